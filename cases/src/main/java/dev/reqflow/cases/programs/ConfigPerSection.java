package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;

/**
 * The N+1 on one URL: every section of the page fetches the tenant's configuration again, the same
 * request four times per page, one after another.
 */
public final class ConfigPerSection implements Case {
  private static final OkHttpClient CONFIG = new OkHttpClient();
  private static final HttpClient SECTIONS = HttpClient.newHttpClient();

  @Override
  public String name() {
    return "config-per-section";
  }

  @Override
  public String pattern() {
    return "each section fetches the same configuration URL again (N+1 on one URL)";
  }

  @Override
  public String expectedKind() {
    return "duplicate-call";
  }

  @Override
  public String fix() {
    return "fetch the configuration once per page";
  }

  @Override
  public void bad(Services s) throws Exception {
    List<CompletableFuture<String>> sections = sections(s);
    for (CompletableFuture<String> section : sections) {
      Http.get(CONFIG, s.svc("config", 120, "tenant=acme"));
      section.join();
    }
  }

  @Override
  public void fixed(Services s) throws Exception {
    List<CompletableFuture<String>> sections = sections(s);
    Http.get(CONFIG, s.svc("config", 120, "tenant=acme"));
    for (CompletableFuture<String> section : sections) {
      section.join();
    }
  }

  private static List<CompletableFuture<String>> sections(Services s) {
    List<CompletableFuture<String>> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      out.add(Http.sendAsync(SECTIONS, s.svc("section", 300, "n=" + i)));
    }
    return out;
  }
}
