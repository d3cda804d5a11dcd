package com.example.compat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Slow loopback backends: {@code GET /b/x} answers {@code /b/x} after 30 ms, and prints {@code
 * backend /b/x traceparent N [VALUES]}: the {@code traceparent} headers the request carried.
 */
final class Backends implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  Backends() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.setExecutor(pool);
    server.createContext("/b/", Backends::answer);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static void answer(HttpExchange ex) throws IOException {
    try {
      Thread.sleep(30);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // What the test checks of the trace context each request carried: how many traceparent
    // headers, and their values.
    java.util.List<String> tp =
        ex.getRequestHeaders().getOrDefault("traceparent", java.util.List.of());
    System.out.println(
        "backend " + ex.getRequestURI().getPath() + " traceparent " + tp.size() + " " + tp);
    byte[] body = ex.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
