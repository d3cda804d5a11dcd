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
 * The request carries only the session, so the user id must come from the user backend before the
 * recommendations can be asked for: user then recommendations, chained with {@code thenCompose},
 * and everything else issued at once. The chain is a real data dependency, and the page costs user
 * + recommendations: correct, nothing to fix.
 */
final class DependentCalls implements PageStrategy {
  static final String NAME = "dependent";

  private final BackendUrls backends;
  private final ExecutorService httpThreads = NamedThreads.cached("dependent-http");
  private final HttpClient client = JdkHttpCalls.sharedClient(httpThreads);

  DependentCalls(BackendUrls backends) {
    this.backends = backends;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "recommendations truly need the user id from the session: user then recommendations"
        + " chained, the rest at once (a real dependency, not to be fixed)";
  }

  @Override
  public List<Section> issue(PageRequest request) {
    Map<HomeSection, CompletableFuture<String>> bodies = new EnumMap<>(HomeSection.class);
    CompletableFuture<String> user =
        JdkHttpCalls.sendAsync(client, backends.user(request.session()));
    bodies.put(HomeSection.USER, user);
    bodies.put(
        HomeSection.RECOMMENDATIONS,
        user.thenApply(Json::userId)
            .thenCompose(
                userId -> JdkHttpCalls.sendAsync(client, backends.recommendations(userId))));
    for (HomeSection section : HomeSection.values()) {
      bodies.computeIfAbsent(
          section, s -> JdkHttpCalls.sendAsync(client, s.url(backends, request)));
    }
    return Sections.joining(bodies);
  }

  @Override
  public void close() {
    NamedThreads.shutdown(httpThreads);
  }
}
