package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageRequest;
import dev.reqflow.sample.page.PageStrategy;
import dev.reqflow.sample.page.Section;
import dev.reqflow.sample.threads.NamedThreads;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The two-phase page with the JDK client: {@code sendAsync} for every section first, then render
 * each, joining its future. The page costs about the slowest call, like aiohttp's {@code gather}.
 */
final class AsyncJdk implements PageStrategy {
  static final String NAME = "async";

  private final BackendUrls backends;
  private final ExecutorService httpThreads = NamedThreads.cached("async-http");
  private final HttpClient client = JdkHttpCalls.sharedClient(httpThreads);

  AsyncJdk(BackendUrls backends) {
    this.backends = backends;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "JDK HttpClient.sendAsync for every section first, then render each"
        + " (the two-phase page, like aiohttp gather)";
  }

  @Override
  public List<Section> issue(PageRequest request) {
    List<Section> sections = new ArrayList<>();
    for (HomeSection section : HomeSection.values()) {
      CompletableFuture<String> body =
          JdkHttpCalls.sendAsync(client, section.url(backends, request));
      sections.add(new Section(section.id(), section.title(), body::join));
    }
    return sections;
  }

  @Override
  public void close() {
    NamedThreads.shutdown(httpThreads);
  }
}
