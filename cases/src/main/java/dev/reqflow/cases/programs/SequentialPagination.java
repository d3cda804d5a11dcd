package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;

/**
 * Five pages of a listing fetched one after another, although the page numbers are known up front:
 * the same URL but for a query value, which the agent redacts.
 */
public final class SequentialPagination implements Case {
  private static final OkHttpClient CLIENT = new OkHttpClient();

  @Override
  public String name() {
    return "sequential-pagination";
  }

  @Override
  public String pattern() {
    return "pages 1..5 of a listing fetched one after another";
  }

  @Override
  public String expectedKind() {
    return "parallelize";
  }

  @Override
  public String fix() {
    return "enqueue the five pages together";
  }

  @Override
  public void bad(Services s) throws Exception {
    for (int page = 1; page <= 5; page++) {
      Http.get(CLIENT, s.svc("listing", 200, "page=" + page));
    }
  }

  @Override
  public void fixed(Services s) {
    List<CompletableFuture<String>> pages = new ArrayList<>();
    for (int page = 1; page <= 5; page++) {
      pages.add(Http.getAsync(CLIENT, s.svc("listing", 200, "page=" + page)));
    }
    pages.forEach(CompletableFuture::join);
  }
}
