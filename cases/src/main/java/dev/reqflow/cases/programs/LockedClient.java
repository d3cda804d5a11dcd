package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.OkHttpClient;

/**
 * Six calls issued together, one task each, through a client wrapper whose method is {@code
 * synchronized} ("is OkHttpClient thread-safe? I made my wrapper synchronized to be sure"): they
 * run one at a time on one connection. The fixed wrapper holds no lock; its calls then run together
 * and need six connections, of which OkHttp's default pool keeps five idle between pages, so every
 * page opens one, its handshake included: a cost the locked page never paid.
 */
public final class LockedClient implements Case {
  private static final OkHttpClient CLIENT = new OkHttpClient();
  private static final ExecutorService TASKS =
      Executors.newFixedThreadPool(6, Http.named("section"));
  private static final String[] SERVICES = {
    "profile", "orders", "wishlist", "points", "tips", "faq"
  };
  private static final int[] MS = {110, 130, 120, 100, 140, 120};
  private static final Locked LOCKED = new Locked();
  private static final Unlocked UNLOCKED = new Unlocked();

  /** What both wrappers are: a GET returning the body. */
  interface Api {
    String get(String url) throws IOException;
  }

  /** The wrapper as first written: every call holds the wrapper's monitor. */
  static final class Locked implements Api {
    @Override
    public synchronized String get(String url) throws IOException {
      return Http.get(CLIENT, url);
    }
  }

  /** The wrapper fixed: OkHttpClient is safe to share between threads. */
  static final class Unlocked implements Api {
    @Override
    public String get(String url) throws IOException {
      return Http.get(CLIENT, url);
    }
  }

  @Override
  public String name() {
    return "locked-client";
  }

  @Override
  public String pattern() {
    return "calls issued together through a synchronized client wrapper (OkHttp, default pool)";
  }

  @Override
  public String expectedKind() {
    return "serialized-by-lock";
  }

  @Override
  public String fix() {
    return "no synchronized on the wrapper's method";
  }

  @Override
  public void bad(Services s) throws Exception {
    render(s, LOCKED);
  }

  @Override
  public void fixed(Services s) throws Exception {
    render(s, UNLOCKED);
  }

  private static void render(Services s, Api api) throws Exception {
    List<Future<String>> sections = new ArrayList<>();
    for (int i = 0; i < SERVICES.length; i++) {
      String url = s.svc(SERVICES[i], MS[i]);
      sections.add(TASKS.submit(() -> api.get(url)));
    }
    for (Future<String> f : sections) {
      Http.await(f);
    }
  }
}
