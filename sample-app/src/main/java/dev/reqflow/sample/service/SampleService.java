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
import java.util.Optional;

/**
 * The demo service: every strategy and the page server, with the backends they call either in the
 * same process or in another one (as a real service's backends are).
 */
public final class SampleService implements AutoCloseable {
  private final Optional<BackendServer> ownBackends;
  private final URI backendsUri;
  private final List<PageStrategy> strategies;
  private final PageServer pages;

  private SampleService(
      Optional<BackendServer> ownBackends,
      URI backendsUri,
      List<PageStrategy> strategies,
      PageServer pages) {
    this.ownBackends = ownBackends;
    this.backendsUri = backendsUri;
    this.strategies = strategies;
    this.pages = pages;
  }

  /** Starts backends then pages on 127.0.0.1; a port of 0 picks a free one. */
  public static SampleService start(int pagePort, int backendPort, BackendSettings settings)
      throws IOException {
    BackendServer backends = BackendServer.start(backendPort, settings);
    try {
      return start(pagePort, Optional.of(backends), backends.baseUri());
    } catch (IOException | RuntimeException e) {
      backends.close();
      throw e;
    }
  }

  /** Starts the page server on 127.0.0.1 against backends that already run at {@code backends}. */
  public static SampleService startWithBackendsAt(int pagePort, URI backends) throws IOException {
    return start(pagePort, Optional.empty(), backends);
  }

  private static SampleService start(
      int pagePort, Optional<BackendServer> ownBackends, URI backendsUri) throws IOException {
    List<PageStrategy> strategies = Strategies.create(new BackendUrls(backendsUri));
    try {
      return new SampleService(
          ownBackends, backendsUri, strategies, PageServer.start(pagePort, strategies));
    } catch (IOException | RuntimeException e) {
      strategies.forEach(PageStrategy::close);
      throw e;
    }
  }

  public URI pagesUri() {
    return pages.baseUri();
  }

  public URI backendsUri() {
    return backendsUri;
  }

  /** Stops taking pages first, then the strategies' clients, then the backends they call. */
  @Override
  public void close() {
    pages.close();
    strategies.forEach(PageStrategy::close);
    ownBackends.ifPresent(BackendServer::close);
  }
}
