package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;

/**
 * One call with a heavy tail: the ads service answers in 160 ms, but takes 1.5 s on every third
 * request, and the page waits for it. Judged on the pages that met the tail.
 */
public final class SlowTail implements Case {
  private static final OkHttpClient CLIENT = new OkHttpClient();

  /**
   * What the analysis suggests for a service that usually answers in a little over 160 ms: twice
   * that, rounded up to 10 ms. The fixed page applies it.
   */
  private static final Duration ADS_TIMEOUT = Duration.ofMillis(330);

  private static final OkHttpClient WITH_TIMEOUT =
      CLIENT.newBuilder().callTimeout(ADS_TIMEOUT).build();

  @Override
  public String name() {
    return "slow-tail";
  }

  @Override
  public String pattern() {
    return "one call takes 1.5 s on every third page, no timeout (as reported)";
  }

  @Override
  public String expectedKind() {
    return "timeout-slow-call";
  }

  @Override
  public String fix() {
    return "callTimeout(330 ms), about twice its usual time, and no ads on a timeout";
  }

  @Override
  public int loads() {
    return 15;
  }

  /** The ads service's every third request is slow: the pages that met it. */
  @Override
  public boolean judged(int index) {
    return index % 3 == 2;
  }

  @Override
  public void bad(Services s) {
    render(s, CLIENT, "bad");
  }

  @Override
  public void fixed(Services s) {
    render(s, WITH_TIMEOUT, "fixed");
  }

  private static void render(Services s, OkHttpClient adsClient, String page) {
    CompletableFuture<String> user = Http.getAsync(CLIENT, s.svc("user", 120));
    CompletableFuture<String> cart = Http.getAsync(CLIENT, s.svc("cart", 140));
    CompletableFuture<String> ads =
        Http.getAsync(adsClient, s.svc("ads", 160, "slowEvery=3&slowMs=1500&count=" + page))
            .exceptionally(timedOut -> "{}");
    user.join();
    cart.join();
    ads.join();
  }
}
