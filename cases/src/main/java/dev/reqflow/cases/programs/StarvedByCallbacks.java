package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A client's executor starved by its callbacks: OkHttp runs on an application executor of four
 * threads, and each callback makes a synchronous audit call on it, so the other calls wait for
 * threads the callbacks hold.
 */
public final class StarvedByCallbacks implements Case {
  private static final OkHttpClient CLIENT =
      new OkHttpClient.Builder()
          .dispatcher(new Dispatcher(Executors.newFixedThreadPool(4, Http.named("okhttp-app"))))
          .connectionPool(new okhttp3.ConnectionPool(16, 5, java.util.concurrent.TimeUnit.MINUTES))
          .build();
  private static final ExecutorService AUDITS =
      Executors.newFixedThreadPool(8, Http.named("audit"));

  @Override
  public String name() {
    return "starved-by-callbacks";
  }

  @Override
  public String pattern() {
    return "callbacks make a synchronous call on the client's 4-thread executor";
  }

  @Override
  public String expectedKind() {
    return "blocking-wait-on-dispatcher";
  }

  @Override
  public String fix() {
    return "the callbacks hand the audit call to an executor of their own";
  }

  @Override
  public void bad(Services s) {
    render(s, false);
  }

  @Override
  public void fixed(Services s) {
    render(s, true);
  }

  private static void render(Services s, boolean offload) {
    List<CompletableFuture<String>> done = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      CompletableFuture<String> item = new CompletableFuture<>();
      String audit = s.svc("audit", 200, "n=" + i);
      CLIENT
          .newCall(new Request.Builder().url(s.svc("order", 100, "n=" + i)).build())
          .enqueue(
              new Callback() {
                @Override
                public void onResponse(Call call, Response response) {
                  try (response) {
                    String order = response.body().string();
                    if (offload) {
                      AUDITS.execute(() -> complete(item, order, audit));
                    } else {
                      complete(item, order, audit);
                    }
                  } catch (IOException | RuntimeException e) {
                    item.completeExceptionally(e);
                  }
                }

                @Override
                public void onFailure(Call call, IOException e) {
                  item.completeExceptionally(e);
                }
              });
      done.add(item);
    }
    done.forEach(CompletableFuture::join);
  }

  private static void complete(CompletableFuture<String> item, String order, String audit) {
    try {
      item.complete(order + Http.get(CLIENT, audit));
    } catch (IOException | RuntimeException e) {
      item.completeExceptionally(e);
    }
  }
}
