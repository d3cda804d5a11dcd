package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A product page that issues its price and stock calls together and waits for both, then fetches
 * the bundle's parts one after another with the JDK client's {@code send} (a newcomer's program in
 * a trial of the agent). The parts need nothing the price or stock return. The natural fix issues
 * the parts together where the page issued the first of them, after the price and stock waits: the
 * prediction must be of that fix, not of one that also moves them before those waits.
 */
public final class BundleAfterPrices implements Case {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Override
  public String name() {
    return "bundle-after-prices";
  }

  @Override
  public String pattern() {
    return "two calls issued together and awaited, then four more one after another (JDK send)";
  }

  @Override
  public String expectedKind() {
    return "parallelize";
  }

  @Override
  public String fix() {
    return "price and stock as before, then the four parts with sendAsync together";
  }

  @Override
  public void bad(Services s) throws Exception {
    CompletableFuture<String> price = Http.sendAsync(CLIENT, s.svc("price", 60));
    CompletableFuture<String> stock = Http.sendAsync(CLIENT, s.svc("stock", 80));
    price.join();
    stock.join();
    for (int i = 0; i < 4; i++) {
      Http.send(CLIENT, s.svc("part", 100, "part=" + i));
    }
  }

  @Override
  public void fixed(Services s) throws Exception {
    CompletableFuture<String> price = Http.sendAsync(CLIENT, s.svc("price", 60));
    CompletableFuture<String> stock = Http.sendAsync(CLIENT, s.svc("stock", 80));
    price.join();
    stock.join();
    List<CompletableFuture<String>> parts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      parts.add(Http.sendAsync(CLIENT, s.svc("part", 100, "part=" + i)));
    }
    parts.forEach(CompletableFuture::join);
  }
}
