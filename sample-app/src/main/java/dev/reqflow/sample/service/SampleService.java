package dev.reqflow.sample.service;

import dev.reqflow.sample.backend.BackendServer;
import dev.reqflow.sample.backend.BackendSettings;
import dev.reqflow.sample.page.PageServer;
import dev.reqflow.sample.page.PageStrategy;
import dev.reqflow.sample.strategy.BackendUrls;
import dev.reqflow.sample.strategy.Strategies;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/** The whole demo service in one process: the backends, every strategy, and the page server. */
public final class SampleService implements AutoCloseable {
  private final BackendServer backends;
  private final List<PageStrategy> strategies;
  private final PageServer pages;

  private SampleService(BackendServer backends, List<PageStrategy> strategies, PageServer pages) {
    this.backends = backends;
    this.strategies = strategies;
    this.pages = pages;
  }

  /** Starts backends then pages on 127.0.0.1; a port of 0 picks a free one. */
  public static SampleService start(int pagePort, int backendPort, BackendSettings settings)
      throws IOException {
    BackendServer backends = BackendServer.start(backendPort, settings);
    List<PageStrategy> strategies = Strategies.create(new BackendUrls(backends.baseUri()));
    try {
      return new SampleService(backends, strategies, PageServer.start(pagePort, strategies));
    } catch (IOException | RuntimeException e) {
      strategies.forEach(PageStrategy::close);
      backends.close();
      throw e;
    }
  }

  public URI pagesUri() {
    return pages.baseUri();
  }

  public URI backendsUri() {
    return backends.baseUri();
  }

  /** Stops taking pages first, then the strategies' clients, then the backends they call. */
  @Override
  public void close() {
    pages.close();
    strategies.forEach(PageStrategy::close);
    backends.close();
  }
}
