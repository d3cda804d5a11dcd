package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageRequest;
import dev.reqflow.sample.page.PageStrategy;
import dev.reqflow.sample.page.Section;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;

/**
 * Each section calls its backend when the render reaches it, through one shared client that keeps
 * its connections, like a {@code requests.Session}. No handshakes once warm, but the page still
 * costs the sum of the latencies: the calls wait for each other for no reason.
 */
final class SerialSharedClient implements PageStrategy {
  static final String NAME = "serial-shared-client";

  private final BackendUrls backends;
  private final OkHttpClient client = OkHttpCalls.sharedClient("serial-okhttp-dispatcher");

  SerialSharedClient(BackendUrls backends) {
    this.backends = backends;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "sync calls one after another through one shared client with pooled connections"
        + " (like requests.Session)";
  }

  @Override
  public List<Section> issue(PageRequest request) {
    List<Section> sections = new ArrayList<>();
    for (HomeSection section : HomeSection.values()) {
      String url = section.url(backends, request);
      sections.add(
          new Section(section.id(), section.title(), () -> OkHttpCalls.execute(client, url)));
    }
    return sections;
  }

  @Override
  public void close() {
    OkHttpCalls.close(client);
  }
}
