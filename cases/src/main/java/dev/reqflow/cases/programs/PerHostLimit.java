package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Ten tiles from one host through OkHttp's dispatcher, which runs at most five calls per host by
 * default ({@code Dispatcher.maxRequestsPerHost}): the second five wait for the first.
 */
public final class PerHostLimit implements Case {
  private static final OkHttpClient BAD = client(5);
  private static final OkHttpClient FIXED = client(10);

  private static OkHttpClient client(int perHost) {
    // Both keep ten idle connections, so that the fix is only the limit.
    OkHttpClient c =
        new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(10, 5, TimeUnit.MINUTES))
            .build();
    c.dispatcher().setMaxRequestsPerHost(perHost);
    return c;
  }

  @Override
  public String name() {
    return "per-host-limit";
  }

  @Override
  public String pattern() {
    return "10 calls to one host, OkHttp's default 5 per host";
  }

  @Override
  public String expectedKind() {
    return "raise-pool-limit";
  }

  @Override
  public String fix() {
    return "dispatcher.setMaxRequestsPerHost(10)";
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
    List<CompletableFuture<String>> tiles = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tiles.add(Http.getAsync(client, s.svc("tile", 200, "n=" + i)));
    }
    for (CompletableFuture<String> t : tiles) {
      t.join();
    }
  }
}
