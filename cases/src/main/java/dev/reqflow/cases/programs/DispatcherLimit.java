package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;

/**
 * An OkHttp dispatcher limited to two calls at once ({@code Dispatcher.maxRequests}), as set to
 * throttle a client, on a page of five calls.
 */
public final class DispatcherLimit implements Case {
  private static final OkHttpClient BAD = client(2);
  private static final OkHttpClient FIXED = client(64);

  private static OkHttpClient client(int maxRequests) {
    OkHttpClient c = new OkHttpClient();
    c.dispatcher().setMaxRequests(maxRequests);
    return c;
  }

  @Override
  public String name() {
    return "dispatcher-limit";
  }

  @Override
  public String pattern() {
    return "OkHttp dispatcher.maxRequests = 2 for a page of 5 calls";
  }

  @Override
  public String expectedKind() {
    return "raise-pool-limit";
  }

  @Override
  public String fix() {
    return "the default maxRequests (64)";
  }

  @Override
  public void bad(Services s) {
    render(s, BAD);
  }

  @Override
  public void fixed(Services s) {
    render(s, FIXED);
  }

  private static void render(Services s, OkHttpClient client) {
    List<CompletableFuture<String>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(Http.getAsync(client, s.svc("widget", 200, "n=" + i)));
    }
    all.forEach(CompletableFuture::join);
  }
}
