package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;

/**
 * Results awaited in issue order: three products are fetched together, then the page takes them in
 * the order it asked, and for each makes the price call that needs its id. The first product is
 * slow, so every price waits for it.
 */
public final class FollowUpsInIssueOrder implements Case {
  private static final HttpClient PRODUCTS = HttpClient.newHttpClient();
  private static final OkHttpClient PRICES = new OkHttpClient();
  private static final int[] MS = {300, 80, 80};

  @Override
  public String name() {
    return "issue-order-follow-ups";
  }

  @Override
  public String pattern() {
    return "futures awaited in issue order, each then a dependent call";
  }

  @Override
  public String expectedKind() {
    return "parallelize";
  }

  @Override
  public String fix() {
    return "chain each price to its product (thenCompose)";
  }

  @Override
  public void bad(Services s) throws Exception {
    List<CompletableFuture<String>> products = products(s);
    for (CompletableFuture<String> product : products) {
      Http.get(PRICES, priceUrl(s, product.join()));
    }
  }

  @Override
  public void fixed(Services s) {
    List<CompletableFuture<String>> prices = new ArrayList<>();
    for (CompletableFuture<String> product : products(s)) {
      prices.add(product.thenCompose(p -> Http.getAsync(PRICES, priceUrl(s, p))));
    }
    prices.forEach(CompletableFuture::join);
  }

  private static List<CompletableFuture<String>> products(Services s) {
    List<CompletableFuture<String>> out = new ArrayList<>();
    for (int i = 0; i < MS.length; i++) {
      out.add(Http.sendAsync(PRODUCTS, s.svc("product", MS[i], "n=" + i)));
    }
    return out;
  }

  private static String priceUrl(Services s, String product) {
    return s.svc("price", 100, "product=" + Services.id(product));
  }
}
