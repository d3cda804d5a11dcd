package com.example.apache;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A page server whose pages call slow backends on 127.0.0.1 through one HTTP client, the way
 * services do. Usage: {@code Pages CLIENT LOADS STRATEGY[*N]...}: loads {@code /home/<strategy>}
 * {@code LOADS} times per strategy, round after round, in order, then exits; a strategy written
 * {@code NAME*N} only in the last {@code N} rounds. Clients: {@code hc5}, {@code hc5-async}, {@code
 * hc4}, {@code restclient} ({@link #calls}).
 *
 * <ul>
 *   <li>{@code serial}: 6 calls, 2 to each of 3 backends, one after another;
 *   <li>{@code parallel}: the same 6 calls issued together, then waited for;
 *   <li>{@code route-limited}: {@link #ROUTE_CALLS} calls to one backend issued together through
 *       the client's default connection pool;
 *   <li>{@code route-widened}: the same through a client whose pool allows them all at once;
 *   <li>{@code shape}: the client's other forms, a 500 and a refused connection.
 * </ul>
 */
public final class Pages {
  /** Backend latency, ms. */
  static final int MS = 200;

  /** Calls to one route in route-limited: more than the default per-route limit allows. */
  static int ROUTE_CALLS = 10;

  static final List<String> backends = new ArrayList<>();
  static String refused;
  static Calls calls;
  static Calls widened;

  public static void main(String[] args) {
    try {
      run(args);
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }

  static void run(String[] args) throws Exception {
    for (int i = 0; i < 3; i++) {
      backends.add(new SlowBackend(MS).url());
    }
    try (ServerSocket s = new ServerSocket(0)) {
      refused = "http://127.0.0.1:" + s.getLocalPort() + "/refused";
    }
    calls = calls(args[0], false);
    widened = calls(args[0], true);
    int loads = Integer.parseInt(args[1]);

    HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    pages.createContext("/home/", Pages::page);
    pages.start();
    String base = "http://127.0.0.1:" + pages.getAddress().getPort() + "/home/";
    HttpClient loader = HttpClient.newHttpClient();
    // Round after round, so that a burst of load on a shared machine hits every page alike.
    for (int i = 0; i < loads; i++) {
      for (int a = 2; a < args.length; a++) {
        String[] spec = args[a].split("\\*");
        if (spec.length > 1 && i < loads - Integer.parseInt(spec[1])) {
          continue;
        }
        HttpResponse<String> r =
            loader.send(
                HttpRequest.newBuilder(URI.create(base + spec[0])).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println(spec[0] + " " + r.statusCode() + " " + r.body());
      }
    }
    calls.close();
    widened.close();
  }

  static Calls calls(String client, boolean wide) throws Exception {
    switch (client) {
      case "hc5":
        return new Hc5Calls(wide);
      case "hc5-async":
        return new Hc5AsyncCalls(wide);
      case "hc4":
        ROUTE_CALLS = 8;
        return new Hc4Calls(wide);
      case "restclient":
        return new SpringCalls(wide);
      default:
        throw new IllegalArgumentException("no client " + client);
    }
  }

  static void page(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String strategy = path.substring(path.lastIndexOf('/') + 1);
    String result;
    int status = 200;
    try {
      result = render(strategy);
    } catch (Exception e) {
      result = "error " + e;
      status = 500;
    }
    byte[] body = result.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  /** The 6 calls of serial and parallel: 2 to each backend. */
  static List<String> six() {
    List<String> urls = new ArrayList<>();
    String[] parts = {"user", "cart", "ads", "deals", "reviews", "recs"};
    for (int i = 0; i < parts.length; i++) {
      urls.add(backends.get(i % backends.size()) + parts[i]);
    }
    return urls;
  }

  static List<String> oneRoute() {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < ROUTE_CALLS; i++) {
      urls.add(backends.get(0) + "item/" + i);
    }
    return urls;
  }

  static String render(String strategy) throws Exception {
    switch (strategy) {
      case "serial":
        {
          StringBuilder sb = new StringBuilder();
          for (String url : six()) {
            sb.append(calls.get(url)).append(' ');
          }
          return sb.toString().trim();
        }
      case "parallel":
        return String.join(" ", calls.all(six()));
      case "route-limited":
        return String.join(" ", calls.all(oneRoute()));
      case "route-widened":
        return String.join(" ", widened.all(oneRoute()));
      case "shape":
        return calls.shape(backends.get(1), refused);
      default:
        throw new IllegalArgumentException("no strategy " + strategy);
    }
  }
}
