package dev.reqflow.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Backends on 127.0.0.1 that answer each resource (the path's first segment) after a set latency,
 * with its name as the body: what the fixtures' pages are made of.
 */
final class SlowBackends implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;
  private final Map<String, Integer> latencyMs;

  SlowBackends(Map<String, Integer> latencyMs) throws IOException {
    this.latencyMs = Map.copyOf(latencyMs);
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "slow-backend");
              t.setDaemon(true);
              return t;
            });
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
    server.setExecutor(threads);
    server.createContext("/", this::serve);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private void serve(HttpExchange exchange) throws IOException {
    String resource = exchange.getRequestURI().getPath().substring(1);
    int slash = resource.indexOf('/');
    if (slash >= 0) {
      resource = resource.substring(0, slash);
    }
    Integer ms = latencyMs.get(resource);
    try {
      if (ms == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      Thread.sleep(ms);
      byte[] body = resource.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
