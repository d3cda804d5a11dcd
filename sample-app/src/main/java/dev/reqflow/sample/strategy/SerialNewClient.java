package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageRequest;
import dev.reqflow.sample.page.PageStrategy;
import dev.reqflow.sample.page.Section;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;

/**
 * Each section calls its backend when the render reaches it, through a client made for that one
 * call, like {@code requests.get} in a loop. The page costs the sum of the latencies, plus a
 * connection handshake per call, since a new client has no connection to reuse.
 */
final class SerialNewClient implements PageStrategy {
  static final String NAME = "serial-new-client";

  private final BackendUrls backends;

  SerialNewClient(BackendUrls backends) {
    this.backends = backends;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "sync calls one after another, a new client and connection per call"
        + " (like requests.get in a loop)";
  }

  @Override
  public List<Section> issue(PageRequest request) {
    List<Section> sections = new ArrayList<>();
    for (HomeSection section : HomeSection.values()) {
      String url = section.url(backends, request);
      sections.add(new Section(section.id(), section.title(), () -> callWithNewClient(url)));
    }
    return sections;
  }

  private static String callWithNewClient(String url) throws IOException {
    OkHttpClient throwaway = new OkHttpClient();
    try {
      return OkHttpCalls.execute(throwaway, url);
    } finally {
      // What ending a requests call does: its connection is closed, not kept for the next call.
      throwaway.connectionPool().evictAll();
    }
  }
}
