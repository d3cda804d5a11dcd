package com.example.reactive;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Servlet async without a framework, in Jetty 12: {@code /complete} starts async, a worker makes
 * the call and writes the response, then {@code AsyncContext.complete()}; {@code /dispatch} starts
 * async, a worker makes the call, then {@code AsyncContext.dispatch()}, and the servlet's second
 * pass writes the response. Usage: {@code AsyncServletProgram BACKEND_URL}: loads each page four
 * times, printing what the client waited ({@code page status ms}), then exits.
 */
public final class AsyncServletProgram {
  private AsyncServletProgram() {}

  public static void main(String[] args) throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(2);
    HttpClient backend = HttpClient.newHttpClient();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = context.addServlet(new AsyncPage(workers, backend, args[0]), "/*");
    holder.setAsyncSupported(true);
    server.setHandler(context);
    server.start();
    HttpClient client = HttpClient.newHttpClient();
    // Four rounds unless told (args[1]): the first warms the client and the container up.
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    for (int round = 0; round < rounds; round++) {
      for (String page : new String[] {"complete", "dispatch"}) {
        long start = System.nanoTime();
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/" + page))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println(
            page + " " + r.statusCode() + " " + (System.nanoTime() - start) / 1_000_000 + " ms");
      }
    }
    server.stop();
    workers.shutdown();
  }

  /** The async page. */
  static final class AsyncPage extends HttpServlet {
    private final ExecutorService workers;
    private final HttpClient backend;
    private final String backendUrl;

    AsyncPage(ExecutorService workers, HttpClient backend, String backendUrl) {
      this.workers = workers;
      this.backend = backend;
      this.backendUrl = backendUrl;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (req.getDispatcherType() == DispatcherType.ASYNC) {
        resp.getWriter().write("dispatched " + req.getAttribute("body"));
        return;
      }
      boolean complete = req.getRequestURI().endsWith("/complete");
      AsyncContext async = req.startAsync();
      workers.submit(
          () -> {
            String body = call();
            if (complete) {
              try {
                async.getResponse().getWriter().write("completed " + body);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              async.complete();
            } else {
              async.getRequest().setAttribute("body", body);
              async.dispatch();
            }
          });
    }

    private String call() {
      try {
        return backend
            .send(
                HttpRequest.newBuilder(URI.create(backendUrl + "slow")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
