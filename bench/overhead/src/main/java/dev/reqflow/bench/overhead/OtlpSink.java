package dev.reqflow.bench.overhead;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A collector that accepts every OTLP/HTTP export and keeps nothing but counts: both agents then
 * export for real (serialise, send, get a 200), as they would to a collector beside the service,
 * instead of failing against an absent one. The answer is an empty {@code Export*ServiceResponse}:
 * zero bytes in protobuf, {@code {}} in JSON.
 */
final class OtlpSink implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;
  private final Map<String, long[]> received = new TreeMap<>();

  private OtlpSink(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  static OtlpSink start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread t = new Thread(task, "otlp-sink");
              t.setDaemon(true);
              return t;
            });
    OtlpSink sink = new OtlpSink(server, threads);
    server.createContext("/", sink::handle);
    server.setExecutor(threads);
    server.start();
    return sink;
  }

  /** The base URL to give as {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      long bytes = 0;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] buffer = new byte[16 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          bytes += n;
        }
      }
      synchronized (received) {
        long[] counts =
            received.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new long[2]);
        counts[0]++;
        counts[1] += bytes;
      }
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      boolean json = type != null && type.contains("json");
      byte[] body = json ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
      exchange
          .getResponseHeaders()
          .set("Content-Type", json ? "application/json" : "application/x-protobuf");
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** Requests and bytes received per path since the last call, then starts counting anew. */
  Map<String, long[]> takeCounts() {
    synchronized (received) {
      Map<String, long[]> copy = new TreeMap<>(received);
      received.clear();
      return copy;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
