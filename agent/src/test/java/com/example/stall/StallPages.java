package com.example.stall;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Pages that deadlock, as Java services are reported to, and their fixed variants; for the agent's
 * stalled-flow tests. A backend on 127.0.0.1 answers {@code ok} after 20 ms; the pages are served
 * by the JDK's {@code HttpServer} (each request a flow), and the program loads one page itself,
 * from outside any flow.
 *
 * <ul>
 *   <li>{@code client-executor}: a JDK {@code HttpClient} built with a 2-thread executor; the page
 *       issues two calls with {@code sendAsync} and, in a dependent stage run on that same executor
 *       ({@code thenApplyAsync(..., executor)}), a second call each with the blocking {@code send}.
 *       Both threads of the executor then wait in {@code send} for responses that the client
 *       processes on that executor: the page hangs. {@code client-executor-fixed}: the client has
 *       an executor of its own. {@code client-executor-timeout}: the same deadlock, but the page
 *       waits for its parts as services are told to, with a timeout ({@code get(4, SECONDS)}), and
 *       answers HTTP 500 when it runs out: the page ends after 4 s, the deadlock stays.
 *   <li>{@code nested-pool}: a fixed pool of 2 runs two tasks that each make a call, then submit a
 *       child task (another call) to the same pool and wait on it with {@code get}: the children
 *       queue behind their parents, which wait for them. {@code nested-pool-fixed}: the children
 *       run on a pool of their own.
 * </ul>
 *
 * Prints {@code loading} when the page was requested. A variant that completes prints {@code loaded
 * MS} (variants that complete may be loaded in turn in one process: {@code MODE+MODE}) (the timeout
 * variant {@code loaded 500 MS}) and exits. One that hangs prints {@code hung} once its pool shows
 * the deadlock (every thread busy, work queued behind them), then waits for a line on stdin: {@code
 * exit} calls {@code System.exit(0)} from another thread; a signal stops it as well.
 */
public final class StallPages {
  static final int THREADS = 2;

  /** How long the timeout variant's page waits for its parts before it answers 500. */
  static final int PAGE_TIMEOUT_SECONDS = 4;

  private static String backend;

  private StallPages() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    backend = args[1];
    // Else the JDK server's headers and body wait on the client's delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");

    // Variants that complete may be loaded one after another in one process: MODE+MODE.
    String[] modes = mode.split("\\+");
    AtomicReference<Page> current = new AtomicReference<>();
    HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    pages.createContext("/page", ex -> serve(ex, current.get()));
    ExecutorService requests = Executors.newCachedThreadPool(daemon("page-request"));
    pages.setExecutor(requests);
    pages.start();

    HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + pages.getAddress().getPort() + "/page");
    for (int m = 0; m < modes.length; m++) {
      current.set(page(modes[m]));
      long t0 = System.nanoTime();
      CompletableFuture<HttpResponse<String>> load =
          browser.sendAsync(
              HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      say("loading");
      boolean timesOut = modes[m].endsWith("-timeout");
      if (!modes[m].endsWith("-fixed") && !timesOut) {
        if (modes.length > 1) {
          throw new IllegalArgumentException("only variants that complete go together: " + mode);
        }
        break;
      }
      HttpResponse<String> r = load.get(60, TimeUnit.SECONDS);
      if (r.statusCode() != (timesOut ? 500 : 200)) {
        throw new IllegalStateException("page: " + r.statusCode() + " " + r.body());
      }
      say("loaded " + (timesOut ? "500 " : "") + (System.nanoTime() - t0) / 1_000_000);
    }
    Page page = current.get();
    String last = modes[modes.length - 1];
    if (last.endsWith("-fixed") || last.endsWith("-timeout")) {
      // The request's thread may still be on its way out of the server when the page arrived:
      // once it has, the flow has ended.
      requests.shutdown();
      if (!requests.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the page's request did not end");
      }
      System.exit(0);
    }
    page.awaitDeadlock();
    say("hung");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("exit")) {
        new Thread(() -> System.exit(0), "exiter").start();
        return;
      }
    }
  }

  private static Page page(String mode) {
    switch (mode) {
      case "client-executor":
        return new ClientExecutorPage(false, 0);
      case "client-executor-fixed":
        return new ClientExecutorPage(true, 0);
      case "client-executor-timeout":
        return new ClientExecutorPage(false, PAGE_TIMEOUT_SECONDS);
      case "nested-pool":
        return new NestedPoolPage(false);
      case "nested-pool-fixed":
        return new NestedPoolPage(true);
      default:
        throw new IllegalArgumentException(mode);
    }
  }

  /** A page: builds its body; knows when it deadlocked. */
  interface Page {
    String render() throws Exception;

    /** Returns once every thread of the page's pool is busy and work waits behind them. */
    void awaitDeadlock();
  }

  /** The JDK client's executor, blocked in its own calls. */
  static final class ClientExecutorPage implements Page {
    final ExecutorService executor = Executors.newFixedThreadPool(THREADS);
    final HttpClient client;
    final AtomicInteger inSend = new AtomicInteger();
    final int timeoutSeconds;

    /**
     * @param timeoutSeconds how long the page waits for its parts, 0: as long as it takes
     */
    ClientExecutorPage(boolean ownExecutor, int timeoutSeconds) {
      this.timeoutSeconds = timeoutSeconds;
      client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(ownExecutor ? Executors.newFixedThreadPool(THREADS) : executor)
              .build();
    }

    @Override
    public String render() throws Exception {
      List<CompletableFuture<String>> parts = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        int n = i;
        parts.add(
            client
                .sendAsync(get("user" + n), HttpResponse.BodyHandlers.ofString())
                .thenApplyAsync(user -> details(n, user.body()), executor));
      }
      CompletableFuture<Void> all =
          CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
      if (timeoutSeconds > 0) {
        all.get(timeoutSeconds, TimeUnit.SECONDS); // TimeoutException: the page answers 500
      } else {
        all.join();
      }
      StringBuilder body = new StringBuilder();
      for (CompletableFuture<String> p : parts) {
        body.append(p.join()).append('\n');
      }
      return body.toString();
    }

    private String details(int n, String user) {
      inSend.incrementAndGet();
      try {
        return user + client.send(get("details" + n), HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException e) {
        throw new CompletionException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
    }

    @Override
    public void awaitDeadlock() {
      ThreadPoolExecutor p = (ThreadPoolExecutor) executor;
      while (inSend.get() < THREADS || p.getActiveCount() < THREADS || p.getQueue().isEmpty()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    }
  }

  /** Tasks that wait on tasks they queued in their own, full, pool. */
  static final class NestedPoolPage implements Page {
    final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    final ExecutorService children;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    NestedPoolPage(boolean ownPool) {
      children = ownPool ? Executors.newFixedThreadPool(THREADS) : pool;
    }

    @Override
    public String render() throws Exception {
      List<Future<String>> sections = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        int n = i;
        sections.add(pool.submit(() -> section(n)));
      }
      StringBuilder body = new StringBuilder();
      for (Future<String> s : sections) {
        body.append(s.get()).append('\n');
      }
      return body.toString();
    }

    private String section(int n) throws Exception {
      String user = client.send(get("user" + n), HttpResponse.BodyHandlers.ofString()).body();
      Future<String> details =
          children.submit(
              () -> client.send(get("details" + n), HttpResponse.BodyHandlers.ofString()).body());
      return user + details.get();
    }

    @Override
    public void awaitDeadlock() {
      ThreadPoolExecutor p = (ThreadPoolExecutor) pool;
      while (p.getActiveCount() < THREADS || p.getQueue().size() < THREADS) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    }
  }

  static HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(backend + path)).build();
  }

  private static void serve(HttpExchange ex, Page page) throws IOException {
    byte[] body;
    int status = 200;
    try {
      body = page.render().getBytes(StandardCharsets.UTF_8);
    } catch (Exception e) {
      status = 500;
      body = e.toString().getBytes(StandardCharsets.UTF_8);
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
