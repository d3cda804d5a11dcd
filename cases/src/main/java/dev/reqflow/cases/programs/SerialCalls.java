package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;

/**
 * Four independent calls made one after another with OkHttp's {@code execute}: the page costs the
 * sum of the calls instead of the slowest (Python's {@code requests.Session} in a loop).
 */
public final class SerialCalls implements Case {
  private static final OkHttpClient CLIENT = new OkHttpClient();

  @Override
  public String name() {
    return "serial-calls";
  }

  @Override
  public String pattern() {
    return "independent calls one after another (OkHttp execute)";
  }

  @Override
  public String expectedKind() {
    return "parallelize";
  }

  @Override
  public String fix() {
    return "enqueue all four, then wait for each";
  }

  @Override
  public void bad(Services s) throws Exception {
    Http.get(CLIENT, s.svc("user", 240));
    Http.get(CLIENT, s.svc("cart", 160));
    Http.get(CLIENT, s.svc("ads", 200));
    Http.get(CLIENT, s.svc("deals", 300));
  }

  @Override
  public void fixed(Services s) throws Exception {
    List<CompletableFuture<String>> all =
        List.of(
            Http.getAsync(CLIENT, s.svc("user", 240)),
            Http.getAsync(CLIENT, s.svc("cart", 160)),
            Http.getAsync(CLIENT, s.svc("ads", 200)),
            Http.getAsync(CLIENT, s.svc("deals", 300)));
    for (CompletableFuture<String> f : all) {
      f.join();
    }
  }
}
