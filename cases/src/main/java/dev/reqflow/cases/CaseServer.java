package dev.reqflow.cases;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cases' page server: {@code GET /case/NAME?variant=bad|fixed} renders that case's page on the
 * request thread, so that each page is one flow to the agent. Usage: {@code CaseServer
 * SERVICES_URL}; prints {@code pages: URL} once it listens on 127.0.0.1, and runs until killed.
 */
public final class CaseServer {
  private final Map<String, Case> cases;
  private final Services services;

  CaseServer(Map<String, Case> cases, Services services) {
    this.cases = cases;
    this.services = services;
  }

  /** Every case listed in {@code META-INF/services/dev.reqflow.cases.Case}, by name. */
  public static Map<String, Case> all() {
    Map<String, Case> out = new LinkedHashMap<>();
    for (Case c : ServiceLoader.load(Case.class)) {
      if (out.put(c.name(), c) != null) {
        throw new IllegalStateException("two cases are named " + c.name());
      }
    }
    return out;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: CaseServer SERVICES_URL");
      System.exit(2);
    }
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    AtomicInteger n = new AtomicInteger();
    server.setExecutor(
        Executors.newCachedThreadPool(r -> new Thread(r, "page-request-" + n.incrementAndGet())));
    server.createContext("/case/", new CaseServer(all(), new Services(args[0]))::handle);
    server.start();
    System.out.println("pages: http://127.0.0.1:" + server.getAddress().getPort() + "/");
    System.out.flush();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String name = exchange.getRequestURI().getPath().substring("/case/".length());
      String query = exchange.getRequestURI().getQuery();
      Case c = cases.get(name);
      if (c == null) {
        reply(exchange, 404, "no case named " + name + "\n");
        return;
      }
      try {
        if ("variant=bad".equals(query)) {
          c.bad(services);
        } else if ("variant=fixed".equals(query)) {
          c.fixed(services);
        } else {
          reply(exchange, 400, "ask for ?variant=bad or ?variant=fixed\n");
          return;
        }
        reply(exchange, 200, "ok\n");
      } catch (Exception | Error e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        reply(exchange, 500, trace.toString());
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, b.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(b);
    }
  }
}
