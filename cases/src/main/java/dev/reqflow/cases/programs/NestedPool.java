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
 * Nested waits in one pool: two tasks each fetch a category, then submit a task per item to the
 * same three-thread pool and {@code get()} them. The parents hold two of the three threads while
 * they wait, so the four item calls run one at a time (the pool-induced starvation that deadlocks
 * when every thread is a parent).
 */
public final class NestedPool implements Case {
  private static final OkHttpClient CLIENT = new OkHttpClient();
  private static final ExecutorService THREE =
      Executors.newFixedThreadPool(3, Http.named("nested"));
  private static final ExecutorService SIX = Executors.newFixedThreadPool(6, Http.named("wide"));

  @Override
  public String name() {
    return "nested-pool";
  }

  @Override
  public String pattern() {
    return "tasks submit child calls to their own 3-thread pool and get() them";
  }

  @Override
  public String expectedKind() {
    return "raise-pool-limit";
  }

  @Override
  public String fix() {
    return "a pool of 6: the 2 waiting parents and their 4 children";
  }

  @Override
  public void bad(Services s) throws Exception {
    render(s, THREE);
  }

  @Override
  public void fixed(Services s) throws Exception {
    render(s, SIX);
  }

  private static void render(Services s, ExecutorService pool) throws Exception {
    List<Future<Integer>> categories = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      String url = s.svc("category", 200, "c=" + c);
      categories.add(
          pool.submit(
              () -> {
                Http.get(CLIENT, url);
                List<Future<String>> items = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                  String item = s.svc("item", 200, "c=" + url.hashCode() + "&i=" + i);
                  items.add(pool.submit(() -> Http.get(CLIENT, item)));
                }
                for (Future<String> f : items) {
                  Http.await(f);
                }
                return items.size();
              }));
    }
    for (Future<Integer> f : categories) {
      Http.await(f);
    }
  }
}
