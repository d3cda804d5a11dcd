package com.example.sampling;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;

/**
 * Pages of which 1% are slow: each page (a configured flow, {@link #page}) makes one call to a
 * loopback backend, which answers at once, or after 150 ms for a slow page's {@code /slow/N}.
 * Usage: {@code SlowPages PAGES SLOW_EVERY}; prints the slow pages' numbers.
 */
public final class SlowPages {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private SlowPages() {}

  public static void main(String[] args) throws Exception {
    int pages = Integer.parseInt(args[0]);
    int slowEvery = Integer.parseInt(args[1]);
    // Else the server writes the headers and the body apart and the body waits for the client's
    // delayed ACK: 40 ms on every fast page, which would be the test server's doing, not a page's.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "backend");
              t.setDaemon(true);
              return t;
            }));
    backend.createContext(
        "/",
        exchange -> {
          if (exchange.getRequestURI().getPath().startsWith("/slow/")) {
            try {
              // The slowness under test: a slow backend, as a slow page meets it.
              Thread.sleep(150);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body = "ok".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    backend.start();
    String base = "http://127.0.0.1:" + backend.getAddress().getPort();
    StringBuilder slow = new StringBuilder();
    for (int i = 1; i <= pages; i++) {
      boolean isSlow = i % slowEvery == 0;
      page(base + (isSlow ? "/slow/" : "/fast/") + i);
      if (isSlow) {
        slow.append(slow.length() == 0 ? "" : " ").append(i);
      }
    }
    System.out.println(slow);
    backend.stop(0);
  }

  /** One page: a flow (configured with {@code flows=}) making one call. */
  static void page(String url) throws Exception {
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + ": " + r.statusCode());
    }
  }
}
