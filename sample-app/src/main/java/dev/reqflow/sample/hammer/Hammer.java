package dev.reqflow.sample.hammer;

import dev.reqflow.sample.threads.NamedThreads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load driver, like the seeds' {@code hammer.py}: loads one strategy's page a set number of
 * times from a few threads at once and times each page. One page per strategy is loaded first and
 * not counted, so that every strategy is timed with its connections and classes warm.
 */
public final class Hammer implements AutoCloseable {
  private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);

  private final URI pages;
  private final int loads;
  private final int concurrency;
  private final ExecutorService loaders;
  private final HttpClient client;

  public Hammer(URI pages, int loads, int concurrency) {
    this.pages = pages;
    this.loads = loads;
    this.concurrency = concurrency;
    this.loaders = NamedThreads.fixed("hammer-loader", concurrency);
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Loads the strategy's page {@code loads} times, {@code concurrency} at a time. */
  public PageTimes load(String strategy) throws Exception {
    URI page = pages.resolve("home?strategy=" + strategy);
    loadOnce(page);
    AtomicInteger remaining = new AtomicInteger(loads);
    List<Future<List<Long>>> loaderResults = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      loaderResults.add(
          loaders.submit(
              () -> {
                List<Long> times = new ArrayList<>();
                while (remaining.getAndDecrement() > 0) {
                  times.add(loadOnce(page));
                }
                return times;
              }));
    }
    List<Long> times = new ArrayList<>();
    for (Future<List<Long>> result : loaderResults) {
      times.addAll(result.get());
    }
    long[] ok = times.stream().filter(ms -> ms >= 0).mapToLong(Long::longValue).toArray();
    return new PageTimes(strategy, ok, times.size() - ok.length);
  }

  /** The page's time in ms, or -1 if it failed. */
  private long loadOnce(URI page) throws InterruptedException {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(page).timeout(PAGE_TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return -1;
      }
    } catch (IOException failedOrTimedOut) {
      return -1;
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  public void close() {
    NamedThreads.shutdown(loaders);
  }
}
