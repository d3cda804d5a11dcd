package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;

/**
 * Synchronous calls where one truly needs another: the orders call carries the user id that the
 * user call returned; reviews and ads need nothing. Issued together, the page still waits for user,
 * then orders.
 */
public final class DataDependency implements Case {
  private static final OkHttpClient CLIENT = new OkHttpClient();

  @Override
  public String name() {
    return "data-dependency";
  }

  @Override
  public String pattern() {
    return "serial calls, one carrying an id an earlier response returned";
  }

  @Override
  public String expectedKind() {
    return "parallelize";
  }

  @Override
  public String fix() {
    return "user then orders chained; reviews and ads at once beside them";
  }

  @Override
  public void bad(Services s) throws Exception {
    String user = Http.get(CLIENT, s.svc("user", 200));
    Http.get(CLIENT, ordersUrl(s, user));
    Http.get(CLIENT, s.svc("reviews", 160));
    Http.get(CLIENT, s.svc("ads", 180));
  }

  @Override
  public void fixed(Services s) {
    CompletableFuture<String> orders =
        Http.getAsync(CLIENT, s.svc("user", 200))
            .thenCompose(user -> Http.getAsync(CLIENT, ordersUrl(s, user)));
    CompletableFuture<String> reviews = Http.getAsync(CLIENT, s.svc("reviews", 160));
    CompletableFuture<String> ads = Http.getAsync(CLIENT, s.svc("ads", 180));
    orders.join();
    reviews.join();
    ads.join();
  }

  private static String ordersUrl(Services s, String user) {
    return s.svc("orders", 240, "user=" + Services.id(user));
  }
}
