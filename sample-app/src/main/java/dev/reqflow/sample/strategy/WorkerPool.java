package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageRequest;
import dev.reqflow.sample.page.PageStrategy;
import dev.reqflow.sample.page.Section;
import dev.reqflow.sample.threads.NamedThreads;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Submits every section's synchronous call to a fixed pool of workers, then renders, waiting on
 * each {@code Future.get}, like {@code FuturesSession(max_workers=N)}. With 2 workers the six calls
 * run two at a time, and those that wait for a worker queue; with enough workers they all run at
 * once. The pool is shared by all pages, as a service's executor is.
 */
final class WorkerPool implements PageStrategy {
  static final String TWO_WORKERS = "pool-2";
  static final String ENOUGH_WORKERS = "pool-n";

  /** Enough for the six calls of ten pages at once. */
  static final int ENOUGH = 64;

  private final String name;
  private final String description;
  private final BackendUrls backends;
  private final ExecutorService workers;
  private final ExecutorService httpThreads;
  private final HttpClient client;

  private WorkerPool(
      String name, String threadPrefix, int size, String description, BackendUrls backends) {
    this.name = name;
    this.description = description;
    this.backends = backends;
    this.workers = NamedThreads.fixed(threadPrefix + "-worker", size);
    this.httpThreads = NamedThreads.cached(threadPrefix + "-http");
    this.client = JdkHttpCalls.sharedClient(httpThreads);
  }

  static WorkerPool twoWorkers(BackendUrls backends) {
    return new WorkerPool(
        TWO_WORKERS,
        "pool2",
        2,
        "an executor of 2 workers runs the sync calls; the page waits on each Future.get"
            + " (like FuturesSession(max_workers=2))",
        backends);
  }

  static WorkerPool enoughWorkers(BackendUrls backends) {
    return new WorkerPool(
        ENOUGH_WORKERS,
        "pooln",
        ENOUGH,
        "an executor with a worker for every call runs the sync calls"
            + " (like FuturesSession(max_workers=N))",
        backends);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<Section> issue(PageRequest request) {
    List<Section> sections = new ArrayList<>();
    for (HomeSection section : HomeSection.values()) {
      String url = section.url(backends, request);
      Future<String> body = workers.submit(() -> JdkHttpCalls.send(client, url));
      sections.add(new Section(section.id(), section.title(), body::get));
    }
    return sections;
  }

  @Override
  public void close() {
    NamedThreads.shutdown(workers);
    NamedThreads.shutdown(httpThreads);
  }
}
