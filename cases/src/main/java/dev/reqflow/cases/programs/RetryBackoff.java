package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.OkHttpClient;

/**
 * A retry with back-off inside a page: the inventory service fails every other request with 503,
 * and Resilience4j's retry waits 500 ms before the second attempt, while the page waits for it.
 */
public final class RetryBackoff implements Case {
  private static final OkHttpClient CLIENT = new OkHttpClient();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(3, Http.named("part"));
  private static final Retry BACKING_OFF = retry("backing-off", Duration.ofMillis(500));
  private static final Retry AT_ONCE = retry("at-once", Duration.ofMillis(1));

  private static Retry retry(String name, Duration wait) {
    return Retry.of(
        name,
        RetryConfig.custom()
            .maxAttempts(3)
            .waitDuration(wait)
            .retryExceptions(IOException.class)
            .build());
  }

  @Override
  public String name() {
    return "retry-backoff";
  }

  @Override
  public String pattern() {
    return "a failed call retried after a 500 ms back-off (Resilience4j) inside the page";
  }

  @Override
  public String expectedKind() {
    return "retry-backoff";
  }

  @Override
  public String fix() {
    return "retry at once (waitDuration 1 ms)";
  }

  @Override
  public void bad(Services s) throws Exception {
    render(s, BACKING_OFF, "bad");
  }

  @Override
  public void fixed(Services s) throws Exception {
    render(s, AT_ONCE, "fixed");
  }

  private static void render(Services s, Retry retry, String page) throws Exception {
    String inventory = s.svc("inventory", 200, "failEvery=2&count=" + page);
    List<Future<String>> parts = new ArrayList<>();
    parts.add(POOL.submit(() -> Http.get(CLIENT, s.svc("profile", 200))));
    parts.add(POOL.submit(() -> retry.executeCallable(() -> Http.get(CLIENT, inventory))));
    parts.add(POOL.submit(() -> Http.get(CLIENT, s.svc("recs", 240))));
    for (Future<String> f : parts) {
      Http.await(f);
    }
  }
}
