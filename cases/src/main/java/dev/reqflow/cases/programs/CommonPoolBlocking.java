package dev.reqflow.cases.programs;

import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import okhttp3.OkHttpClient;

/**
 * Blocking calls in {@code CompletableFuture.supplyAsync} without an executor: they run on the
 * common pool, sized for CPU work (one worker per core but one), and queue behind each other. The
 * case server runs with a common-pool parallelism of 2, what a 3-core host has.
 */
public final class CommonPoolBlocking implements Case {
  private static final OkHttpClient CLIENT = Http.client();
  private static final ExecutorService IO = Executors.newFixedThreadPool(6, Http.named("io"));

  @Override
  public String name() {
    return "common-pool";
  }

  @Override
  public String pattern() {
    return "blocking calls in supplyAsync on the common pool";
  }

  @Override
  public String expectedKind() {
    return "blocking-wait-on-dispatcher";
  }

  @Override
  public String fix() {
    return "supplyAsync(..., an I/O executor of 6 threads)";
  }

  @Override
  public void bad(Services s) {
    render(s, ForkJoinPool.commonPool());
  }

  @Override
  public void fixed(Services s) {
    render(s, IO);
  }

  private static void render(Services s, Executor executor) {
    List<CompletableFuture<String>> parts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String url = s.svc("part", 200, "n=" + i);
      parts.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return Http.get(CLIENT, url);
                } catch (java.io.IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              executor));
    }
    parts.forEach(CompletableFuture::join);
  }
}
