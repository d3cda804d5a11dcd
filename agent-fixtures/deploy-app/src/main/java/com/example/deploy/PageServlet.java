package com.example.deploy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code GET .../page?threads=platform|virtual}: a page built from four backend calls, the ways
 * services make them. One async OkHttp call completes a future in its callback; two sync OkHttp
 * calls run as tasks on an executor (a fixed pool of platform threads, or a virtual thread per
 * task); the request thread waits on the three futures, then makes one JDK {@code HttpClient.send}.
 * The response also says which class loaders the servlet and OkHttp came from, so a test can tell
 * the deployment it ran in.
 */
public final class PageServlet extends HttpServlet {
  private static final OkHttpClient OKHTTP = new OkHttpClient();
  private static final HttpClient JDK = HttpClient.newHttpClient();
  private static final AtomicInteger POOL_THREADS = new AtomicInteger();
  private static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "page-pool-" + POOL_THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private String backend;

  @Override
  public void init() {
    backend = getInitParameter("backend");
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    ExecutorService executor;
    String threads = req.getParameter("threads");
    if ("virtual".equals(threads)) {
      executor = virtualThreadPerTask();
      if (executor == null) {
        res.sendError(501, "no virtual threads on Java " + Runtime.version().feature());
        return;
      }
    } else {
      executor = POOL;
    }
    try {
      CompletableFuture<String> profile = enqueue("profile");
      Future<String> cart = executor.submit(() -> execute("cart"));
      Future<String> offers = executor.submit(() -> execute("offers"));
      // Waits at once, in issue order: the backend answers each later than the one before.
      String body =
          String.join(" ", profile.get(), cart.get(), offers.get(), send("stock"))
              + " jdk="
              + Runtime.version().feature()
              + " servlet-loader="
              + PageServlet.class.getClassLoader().getClass().getName()
              + " okhttp-loader="
              + OkHttpClient.class.getClassLoader().getClass().getName();
      res.setContentType("text/plain");
      res.getWriter().write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    } finally {
      if (executor != POOL) {
        executor.shutdown();
      }
    }
  }

  /** Java 21+'s executor, looked up so that this compiles and runs on Java 17 too. */
  private static ExecutorService virtualThreadPerTask() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private CompletableFuture<String> enqueue(String what) {
    CompletableFuture<String> f = new CompletableFuture<>();
    OKHTTP
        .newCall(new Request.Builder().url(backend + what).build())
        .enqueue(
            new Callback() {
              @Override
              public void onResponse(Call call, Response response) throws IOException {
                try (response) {
                  f.complete(response.body().string());
                }
              }

              @Override
              public void onFailure(Call call, IOException e) {
                f.completeExceptionally(e);
              }
            });
    return f;
  }

  private String execute(String what) throws IOException {
    try (Response r = OKHTTP.newCall(new Request.Builder().url(backend + what).build()).execute()) {
      return r.body().string();
    }
  }

  private String send(String what) throws IOException, InterruptedException {
    return JDK.send(
            HttpRequest.newBuilder(URI.create(backend + what)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
