package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.OkHttpClient;

/**
 * Six synchronous calls handed to a pool of two workers: they run two at a time (Python's {@code
 * FuturesSession(max_workers=2)}).
 */
public final class PoolTooSmall implements Case {
  private static final OkHttpClient CLIENT = Http.client();
  private static final ExecutorService TWO = Executors.newFixedThreadPool(2, Http.named("two"));
  private static final ExecutorService SIX = Executors.newFixedThreadPool(6, Http.named("six"));
  private static final String[] SERVICES = {"user", "recs", "reviews", "cart", "ads", "deals"};
  private static final int[] MS = {200, 300, 240, 160, 180, 260};

  @Override
  public String name() {
    return "pool-too-small";
  }

  @Override
  public String pattern() {
    return "calls queue in an executor of 2 workers";
  }

  @Override
  public String expectedKind() {
    return "raise-pool-limit";
  }

  @Override
  public String fix() {
    return "an executor of 6 workers";
  }

  @Override
  public void bad(Services s) throws Exception {
    render(s, TWO);
  }

  @Override
  public void fixed(Services s) throws Exception {
    render(s, SIX);
  }

  private static void render(Services s, ExecutorService pool) throws Exception {
    List<Future<String>> sections = new ArrayList<>();
    for (int i = 0; i < SERVICES.length; i++) {
      String url = s.svc(SERVICES[i], MS[i]);
      sections.add(pool.submit(() -> Http.get(CLIENT, url)));
    }
    for (Future<String> f : sections) {
      Http.await(f);
    }
  }
}
