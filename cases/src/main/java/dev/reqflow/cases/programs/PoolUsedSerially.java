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
 * A pool used serially: each synchronous call runs on a worker, but the page waits for each task
 * before it submits the next, so the four workers take turns.
 */
public final class PoolUsedSerially implements Case {
  private static final OkHttpClient CLIENT = new OkHttpClient();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(4, Http.named("io"));
  private static final String[] SERVICES = {"user", "recs", "cart", "deals"};
  private static final int[] MS = {200, 240, 160, 300};

  @Override
  public String name() {
    return "pool-used-serially";
  }

  @Override
  public String pattern() {
    return "each task submitted only after the previous one's get()";
  }

  @Override
  public String expectedKind() {
    return "parallelize";
  }

  @Override
  public String fix() {
    return "submit the four tasks, then get() each";
  }

  @Override
  public void bad(Services s) throws Exception {
    for (int i = 0; i < SERVICES.length; i++) {
      String url = s.svc(SERVICES[i], MS[i]);
      Http.await(POOL.submit(() -> Http.get(CLIENT, url)));
    }
  }

  @Override
  public void fixed(Services s) throws Exception {
    List<Future<String>> all = new ArrayList<>();
    for (int i = 0; i < SERVICES.length; i++) {
      String url = s.svc(SERVICES[i], MS[i]);
      all.add(POOL.submit(() -> Http.get(CLIENT, url)));
    }
    for (Future<String> f : all) {
      Http.await(f);
    }
  }
}
