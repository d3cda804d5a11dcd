package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageRequest;
import dev.reqflow.sample.page.PageStrategy;
import dev.reqflow.sample.page.Section;
import dev.reqflow.sample.threads.NamedThreads;
import java.net.http.HttpClient;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * A half-converted page: the user and reviews calls were made async, but the code after them still
 * starts with the {@code join} its synchronous version needed, so the other four calls are issued
 * only once the reviews are in. Nothing below uses the reviews: the wait delays the rest for no
 * reason, and the page costs the reviews' latency plus the slowest of the rest.
 */
final class LateIssue implements PageStrategy {
  static final String NAME = "late-issue";

  private final BackendUrls backends;
  private final ExecutorService httpThreads = NamedThreads.cached("late-issue-http");
  private final HttpClient client = JdkHttpCalls.sharedClient(httpThreads);

  LateIssue(BackendUrls backends) {
    this.backends = backends;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "issues user and reviews async, blocks on reviews, and only then issues the rest"
        + " (a half-converted page)";
  }

  @Override
  public List<Section> issue(PageRequest request) {
    Map<HomeSection, CompletableFuture<String>> bodies = new EnumMap<>(HomeSection.class);
    bodies.put(HomeSection.USER, call(HomeSection.USER, request));
    bodies.put(HomeSection.REVIEWS, call(HomeSection.REVIEWS, request));

    // Left over from the synchronous version, which fetched the reviews here first.
    bodies.get(HomeSection.REVIEWS).exceptionally(failure -> null).join();

    for (HomeSection section : HomeSection.values()) {
      bodies.computeIfAbsent(section, s -> call(s, request));
    }
    return Sections.joining(bodies);
  }

  private CompletableFuture<String> call(HomeSection section, PageRequest request) {
    return JdkHttpCalls.sendAsync(client, section.url(backends, request));
  }

  @Override
  public void close() {
    NamedThreads.shutdown(httpThreads);
  }
}
