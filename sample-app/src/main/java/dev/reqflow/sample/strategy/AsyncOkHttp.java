package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageRequest;
import dev.reqflow.sample.page.PageStrategy;
import dev.reqflow.sample.page.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.OkHttpClient;

/**
 * The two-phase page with OkHttp: {@code enqueue} every section's call, each callback completing a
 * {@link CompletableFuture}, then render each, waiting on {@code get}.
 */
final class AsyncOkHttp implements PageStrategy {
  static final String NAME = "async-okhttp";

  private final BackendUrls backends;
  private final OkHttpClient client;

  AsyncOkHttp(BackendUrls backends) {
    this.backends = backends;
    this.client = OkHttpCalls.sharedClient("async-okhttp-dispatcher");
    // The six backends are six hosts in production; here they share one loopback host, and
    // OkHttp's default of 5 calls per host would queue the sixth. That limit is the subject of
    // the per-host-limit page, not of this one.
    client.dispatcher().setMaxRequestsPerHost(64);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "OkHttp enqueue for every section, callbacks complete futures, then render each";
  }

  @Override
  public List<Section> issue(PageRequest request) {
    List<Section> sections = new ArrayList<>();
    for (HomeSection section : HomeSection.values()) {
      CompletableFuture<String> body = OkHttpCalls.enqueue(client, section.url(backends, request));
      sections.add(new Section(section.id(), section.title(), body::get));
    }
    return sections;
  }

  @Override
  public void close() {
    OkHttpCalls.close(client);
  }
}
