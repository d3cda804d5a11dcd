package dev.reqflow.cases.backend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The slow services the cases call: one JDK {@code HttpServer} on 127.0.0.1 whose requests say how
 * they are to be answered, so that every case reads as the pattern it reproduces.
 *
 * <p>{@code GET|POST /svc/NAME?ms=N} answers after N ms with a JSON object of its own: {@code
 * {"service":NAME,"id":"NAME-12345","value":12345,"next":"c7f3a9..."}}, the id, value and cursor
 * derived from the whole request, so that a case can pass them on to a later call (a data
 * dependency) and the same request always gets the same answer. Other parameters:
 *
 * <ul>
 *   <li>{@code slowEvery=K&slowMs=M}: every K-th request to NAME takes M ms instead (a heavy tail);
 *   <li>{@code failEvery=K}: every K-th request to NAME fails at once with 503 (for retries);
 *   <li>{@code count=KEY}: requests are counted per NAME and KEY (two pages calling one service
 *       each meet its tail on their own third request);
 *   <li>{@code items=K}: the object also lists K item ids;
 *   <li>{@code bodyMs=M}: the headers go out at once, the body M ms later (a service that streams
 *       its answer as it renders it), so that reading the body, or closing the response unread,
 *       takes that long.
 * </ul>
 *
 * <p>Loopback has no connection cost, so the first response on each new connection comes {@link
 * #HANDSHAKE_MS} later, standing for the TCP and TLS handshake a remote host would cost (as the
 * sample app's backends do). A connection is told by its client address and port.
 */
public final class SlowServices implements AutoCloseable {
  /** Added to the first response of each new connection. */
  public static final long HANDSHAKE_MS = 80;

  private final HttpServer server;
  private final ExecutorService workers;
  private final Map<InetSocketAddress, Boolean> connections = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();

  private SlowServices(HttpServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  /** Starts the services on 127.0.0.1, on a free port. */
  public static SlowServices start() throws IOException {
    // Without TCP_NODELAY the JDK server's body waits for the client's delayed ACK of the
    // headers: 40 ms more on every response of a reused connection. Read when a server is made.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    AtomicInteger n = new AtomicInteger();
    ExecutorService workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "slow-service-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    SlowServices services = new SlowServices(server, workers);
    server.createContext("/svc/", services::handle);
    server.setExecutor(workers);
    server.start();
    return services;
  }

  /** Where the services listen: {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests answered so far. */
  public long requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      try (InputStream in = exchange.getRequestBody()) {
        in.readAllBytes();
      }
      boolean fresh = connections.putIfAbsent(exchange.getRemoteAddress(), Boolean.TRUE) == null;
      URI uri = exchange.getRequestURI();
      String name = uri.getPath().substring("/svc/".length());
      Map<String, String> q = Query.parse(uri.getRawQuery());
      String counter = name + "/" + q.getOrDefault("count", "");
      int nth = counts.computeIfAbsent(counter, k -> new AtomicInteger()).incrementAndGet();
      long ms = Query.number(q, "ms", 0);
      long slowEvery = Query.number(q, "slowEvery", 0);
      if (slowEvery > 0 && nth % slowEvery == 0) {
        ms = Query.number(q, "slowMs", ms);
      }
      long failEvery = Query.number(q, "failEvery", 0);
      boolean fail = failEvery > 0 && nth % failEvery == 1 % failEvery;
      pause((fresh ? HANDSHAKE_MS : 0) + (fail ? 0 : ms));
      if (fail) {
        reply(exchange, 503, "{\"error\":\"" + name + " is unavailable, retry\"}");
        return;
      }
      reply(
          exchange,
          200,
          Answers.body(name, uri.getRawQuery(), (int) Query.number(q, "items", 0)),
          Query.number(q, "bodyMs", 0));
    }
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    reply(exchange, status, json, 0);
  }

  private static void reply(HttpExchange exchange, int status, String json, long bodyMs)
      throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, b.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (bodyMs > 0) {
        out.flush(); // the headers, now
        pause(bodyMs);
      }
      out.write(b);
    }
  }

  private static void pause(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
