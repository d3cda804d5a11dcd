package dev.reqflow.sample.page;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reqflow.sample.http.LoopbackServer;
import dev.reqflow.sample.http.Query;
import dev.reqflow.sample.http.Responses;
import dev.reqflow.sample.threads.NamedThreads;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The page server: {@code GET /} lists the strategies, {@code GET /home?strategy=NAME} builds the
 * home page with one. Each page is rendered on the request thread of this JDK {@code HttpServer}
 * handler, which is what the reqflow agent treats as a flow.
 */
public final class PageServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService requestThreads;
  private final Map<String, PageStrategy> strategies = new LinkedHashMap<>();

  private PageServer(HttpServer server, ExecutorService requestThreads, List<PageStrategy> all) {
    this.server = server;
    this.requestThreads = requestThreads;
    all.forEach(strategy -> strategies.put(strategy.name(), strategy));
  }

  /** Starts the page server on 127.0.0.1 (port 0 picks a free one) serving these strategies. */
  public static PageServer start(int port, List<PageStrategy> strategies) throws IOException {
    HttpServer server = LoopbackServer.create(port);
    ExecutorService requestThreads = NamedThreads.cached("page-request");
    PageServer pages = new PageServer(server, requestThreads, strategies);
    server.createContext("/", pages::handle);
    server.setExecutor(requestThreads);
    server.start();
    return pages;
  }

  /** Where the pages are served, e.g. {@code http://127.0.0.1:8080/}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      if (!"GET".equals(exchange.getRequestMethod())) {
        Responses.text(exchange, 405, "only GET\n");
      } else if (path.equals("/")) {
        Responses.html(exchange, 200, Index.render(strategies.values(), ""));
      } else if (path.equals("/home")) {
        home(exchange);
      } else {
        Responses.text(exchange, 404, "no page at " + path + "\n");
      }
    } finally {
      exchange.close();
    }
  }

  private void home(HttpExchange exchange) throws IOException {
    Query query = Query.of(exchange.getRequestURI());
    String name = query.get("strategy", "");
    PageStrategy strategy = strategies.get(name);
    if (strategy == null) {
      String message = name.isEmpty() ? "Pick a strategy." : "No strategy named '" + name + "'.";
      Responses.html(exchange, 404, Index.render(strategies.values(), message));
      return;
    }
    String page;
    try {
      page = HomePage.render(name, strategy.issue(PageRequest.from(query)));
    } catch (IllegalArgumentException e) {
      Responses.text(exchange, 400, e.getMessage() + "\n");
      return;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Responses.text(exchange, 500, "the page failed: " + e + "\n");
      return;
    }
    Responses.html(exchange, 200, page);
  }

  /** Stops listening at once; the strategies are closed by whoever created them. */
  @Override
  public void close() {
    server.stop(0);
    NamedThreads.shutdown(requestThreads);
  }
}
