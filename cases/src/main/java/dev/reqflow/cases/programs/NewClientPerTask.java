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
 * Calls in parallel, each task building its own OkHttp client: no call can reuse a connection, so
 * every call of every page pays the handshake.
 */
public final class NewClientPerTask implements Case {
  private static final ExecutorService POOL = Executors.newFixedThreadPool(4, Http.named("fetch"));
  private static final OkHttpClient SHARED = new OkHttpClient();
  private static final String[] SERVICES = {"profile", "orders", "wishlist", "offers"};

  @Override
  public String name() {
    return "new-client-per-task";
  }

  @Override
  public String pattern() {
    return "parallel tasks, each builds its own client: a new connection per call";
  }

  @Override
  public String expectedKind() {
    return "reuse-connections";
  }

  @Override
  public String fix() {
    return "one OkHttpClient shared by the tasks";
  }

  @Override
  public void bad(Services s) throws Exception {
    render(s, true);
  }

  @Override
  public void fixed(Services s) throws Exception {
    render(s, false);
  }

  private static void render(Services s, boolean clientPerTask) throws Exception {
    List<Future<String>> parts = new ArrayList<>();
    for (String name : SERVICES) {
      String url = s.svc(name, 200);
      parts.add(POOL.submit(() -> Http.get(clientPerTask ? new OkHttpClient() : SHARED, url)));
    }
    for (Future<String> f : parts) {
      Http.await(f);
    }
  }
}
