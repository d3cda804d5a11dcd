package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;

/**
 * A half-converted page: two calls are issued, the page waits for the first, and only then issues
 * the other three, which did not need it.
 */
public final class LateIssue implements Case {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Override
  public String name() {
    return "late-issue";
  }

  @Override
  public String pattern() {
    return "calls issued only after waiting on an unrelated one (JDK sendAsync)";
  }

  @Override
  public String expectedKind() {
    return "issue-earlier";
  }

  @Override
  public String fix() {
    return "issue all five before the first wait";
  }

  @Override
  public void bad(Services s) {
    CompletableFuture<String> user = Http.sendAsync(CLIENT, s.svc("user", 200));
    CompletableFuture<String> recs = Http.sendAsync(CLIENT, s.svc("recs", 300));
    user.join();
    CompletableFuture<String> reviews = Http.sendAsync(CLIENT, s.svc("reviews", 360));
    CompletableFuture<String> cart = Http.sendAsync(CLIENT, s.svc("cart", 160));
    CompletableFuture<String> ads = Http.sendAsync(CLIENT, s.svc("ads", 180));
    recs.join();
    reviews.join();
    cart.join();
    ads.join();
  }

  @Override
  public void fixed(Services s) {
    CompletableFuture<String> user = Http.sendAsync(CLIENT, s.svc("user", 200));
    CompletableFuture<String> recs = Http.sendAsync(CLIENT, s.svc("recs", 300));
    CompletableFuture<String> reviews = Http.sendAsync(CLIENT, s.svc("reviews", 360));
    CompletableFuture<String> cart = Http.sendAsync(CLIENT, s.svc("cart", 160));
    CompletableFuture<String> ads = Http.sendAsync(CLIENT, s.svc("ads", 180));
    user.join();
    recs.join();
    reviews.join();
    cart.join();
    ads.join();
  }
}
