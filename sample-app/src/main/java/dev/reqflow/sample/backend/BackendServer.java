package dev.reqflow.sample.backend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reqflow.sample.http.LoopbackServer;
import dev.reqflow.sample.http.Query;
import dev.reqflow.sample.http.Responses;
import dev.reqflow.sample.threads.NamedThreads;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The slow JSON services, all on one port of 127.0.0.1 (see {@link Backend} for the paths). Each
 * request is answered after its backend's latency, plus the handshake cost when it is the first on
 * its connection.
 */
public final class BackendServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService workers;
  private final BackendSettings settings;
  private final ConnectionHandshake handshake;

  private BackendServer(HttpServer server, ExecutorService workers, BackendSettings settings) {
    this.server = server;
    this.workers = workers;
    this.settings = settings;
    this.handshake = new ConnectionHandshake(settings.connectMs());
  }

  /** Starts the backends on 127.0.0.1; port 0 picks a free one. */
  public static BackendServer start(int port, BackendSettings settings) throws IOException {
    HttpServer server = LoopbackServer.create(port);
    // The default executor is one thread: every backend would wait for the others.
    ExecutorService workers = NamedThreads.cached("backend-worker");
    BackendServer backends = new BackendServer(server, workers, settings);
    server.createContext("/", backends::handle);
    server.setExecutor(workers);
    server.start();
    return backends;
  }

  /** Where the backends listen, e.g. {@code http://127.0.0.1:41234/}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      long handshakeMs = handshake.delayMs(exchange.getRemoteAddress(), System.nanoTime());
      Optional<Backend> backend = Backend.forPath(exchange.getRequestURI().getPath());
      if (backend.isEmpty()) {
        pause(handshakeMs);
        Responses.json(exchange, 404, "{\"error\":\"no such backend\"}");
        return;
      }
      Query query = Query.of(exchange.getRequestURI());
      String body;
      long latencyMs;
      try {
        body = SampleData.body(backend.get(), query);
        latencyMs =
            backend.get() == Backend.DELAY
                ? SampleData.delayMs(query)
                : settings.latency(backend.get()).nextMillis();
      } catch (IllegalArgumentException e) {
        // A malformed request fails fast, as a real service's validation would.
        pause(handshakeMs);
        Responses.json(exchange, 400, "{\"error\":\"" + e.getMessage() + "\"}");
        return;
      }
      pause(handshakeMs + latencyMs);
      if (settings.fails(backend.get())) {
        Responses.json(exchange, 503, "{\"error\":\"" + backend.get().cliName() + " is down\"}");
      } else {
        Responses.json(exchange, 200, body);
      }
    } finally {
      exchange.close();
    }
  }

  private static void pause(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops listening at once and stops the workers. */
  @Override
  public void close() {
    server.stop(0);
    NamedThreads.shutdown(workers);
  }
}
