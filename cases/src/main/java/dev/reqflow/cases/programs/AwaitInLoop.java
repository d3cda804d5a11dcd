package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous client awaited at once, in a loop: {@code sendAsync(...).join()} per call makes
 * the page as serial as the synchronous API (JavaScript's {@code await} inside a {@code for}).
 */
public final class AwaitInLoop implements Case {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String[] SERVICES = {"user", "recs", "cart", "deals"};
  private static final int[] MS = {200, 260, 160, 220};

  @Override
  public String name() {
    return "await-in-loop";
  }

  @Override
  public String pattern() {
    return "sendAsync(...).join() per call in a loop";
  }

  @Override
  public String expectedKind() {
    return "issue-earlier";
  }

  @Override
  public String fix() {
    return "sendAsync all four, then join each";
  }

  @Override
  public void bad(Services s) {
    for (int i = 0; i < SERVICES.length; i++) {
      Http.sendAsync(CLIENT, s.svc(SERVICES[i], MS[i])).join();
    }
  }

  @Override
  public void fixed(Services s) {
    List<CompletableFuture<String>> all = new ArrayList<>();
    for (int i = 0; i < SERVICES.length; i++) {
      all.add(Http.sendAsync(CLIENT, s.svc(SERVICES[i], MS[i])));
    }
    all.forEach(CompletableFuture::join);
  }
}
