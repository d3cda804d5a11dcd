package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp callbacks that enqueue a follow-up call and {@code join()} it on the dispatcher thread.
 * OkHttp counts a call against its host's limit (5) until its callback returns, so the four blocked
 * callbacks leave one slot, and the follow-ups run one at a time (OkHttp's "do not block in
 * callbacks", and the dispatcher deadlocks users report when every slot waits).
 */
public final class BlockingCallback implements Case {
  private static final OkHttpClient CLIENT = new OkHttpClient();

  @Override
  public String name() {
    return "blocking-callback";
  }

  @Override
  public String pattern() {
    return "OkHttp callbacks join() a follow-up call on the dispatcher thread";
  }

  @Override
  public String expectedKind() {
    return "blocking-wait-on-dispatcher";
  }

  @Override
  public String fix() {
    return "chain the follow-up with thenCompose";
  }

  @Override
  public void bad(Services s) {
    List<CompletableFuture<String>> products = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      CompletableFuture<String> done = new CompletableFuture<>();
      String url = s.svc("product", 200, "n=" + i);
      CLIENT
          .newCall(new Request.Builder().url(url).build())
          .enqueue(
              new Callback() {
                @Override
                public void onResponse(Call call, Response response) {
                  try (response) {
                    String product = response.body().string();
                    String price = Http.getAsync(CLIENT, priceUrl(s, product)).join();
                    done.complete(product + price);
                  } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                  }
                }

                @Override
                public void onFailure(Call call, IOException e) {
                  done.completeExceptionally(e);
                }
              });
      products.add(done);
    }
    products.forEach(CompletableFuture::join);
  }

  @Override
  public void fixed(Services s) {
    List<CompletableFuture<String>> products = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      products.add(
          Http.getAsync(CLIENT, s.svc("product", 200, "n=" + i))
              .thenCompose(product -> Http.getAsync(CLIENT, priceUrl(s, product))));
    }
    products.forEach(CompletableFuture::join);
  }

  private static String priceUrl(Services s, String product) {
    return s.svc("price", 200, "product=" + Services.id(product));
  }
}
