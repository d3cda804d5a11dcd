package com.example.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A service under stress for the agent's fault tests. Its calls go to a backend the test serves
 * (the second argument, a base URL), so that only this program's own work is recorded. It says on
 * stdout what it did; the tests hold the agent's file and exit line against that.
 *
 * <ul>
 *   <li>{@code pages URL N C}: a page server whose pages each make C calls (the first with the JDK
 *       client, the others with OkHttp); loads N pages one after another; prints their latencies
 *       and the heap after GC before and after.
 *   <li>{@code burst URL N}: one flow ({@code flows=com.example.faults.Faults#burst}) makes N
 *       OkHttp calls in a row; prints the app-side time, the slowest call and the heap.
 *   <li>{@code burst-enqueue URL N}: one flow ({@code #burstEnqueue}) waits on {@code allOf} N
 *       futures, each completed by an OkHttp call it enqueues.
 *   <li>{@code jobs URL THREADS N}: THREADS threads run N jobs, each a flow ({@code #job}) making
 *       one call, printing {@code done ID} after each; then {@code main} returns.
 *   <li>{@code jobs-exit URL THREADS N}: jobs until another thread calls {@code System.exit} once N
 *       are done, printing {@code exit} just before; the workers go on meanwhile.
 *   <li>{@code jobs-forever URL THREADS}: jobs until the process is stopped.
 * </ul>
 */
public final class Faults {
  static final OkHttpClient OK = new OkHttpClient();
  static final HttpClient JDK =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static String backend;

  private Faults() {}

  public static void main(String[] args) throws Exception {
    // Else the JDK server's headers and body wait on the client's delayed ACK: 40 ms a page.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    backend = args[1];
    String[] rest = Arrays.copyOfRange(args, 2, args.length);
    switch (args[0]) {
      case "pages":
        pages(Integer.parseInt(rest[0]), Integer.parseInt(rest[1]));
        System.exit(0);
        break;
      case "burst":
        burstRun(Integer.parseInt(rest[0]), false);
        System.exit(0);
        break;
      case "burst-enqueue":
        burstRun(Integer.parseInt(rest[0]), true);
        System.exit(0);
        break;
      case "jobs":
        jobs(Integer.parseInt(rest[0]), Long.parseLong(rest[1]), new CountDownLatch(0));
        // main returns: a normal exit once the workers are done.
        break;
      case "jobs-exit":
        {
          CountDownLatch done = new CountDownLatch(Integer.parseInt(rest[1]));
          jobs(Integer.parseInt(rest[0]), Long.MAX_VALUE, done);
          done.await();
          synchronized (System.out) {
            System.out.println("exit");
            System.out.flush();
          }
          new Thread(() -> System.exit(0), "exiter").start();
        }
        break;
      case "jobs-forever":
        jobs(Integer.parseInt(rest[0]), Long.MAX_VALUE, new CountDownLatch(0));
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }

  static String get(String path) throws IOException {
    try (Response r = OK.newCall(new Request.Builder().url(backend + path).build()).execute()) {
      if (r.code() != 200) {
        throw new IOException(path + ": " + r.code());
      }
      return r.body().string();
    }
  }

  // --- pages ---

  static void pages(int n, int callsPerPage) throws Exception {
    HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    pages.createContext("/page", ex -> page(ex, callsPerPage));
    pages.setExecutor(Executors.newFixedThreadPool(2));
    pages.start();
    URI page = URI.create("http://127.0.0.1:" + pages.getAddress().getPort() + "/page");
    // The browser is the program's own driver, outside any flow: not recorded.
    HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int warmup = Math.min(50, n / 4);
    long[] nanos = new long[n - warmup];
    long heapStart = 0;
    for (int i = 0; i < n; i++) {
      if (i == warmup) {
        heapStart = heapAfterGc();
      }
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          browser.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
      long took = System.nanoTime() - t0;
      if (r.statusCode() != 200) {
        throw new IOException("page " + r.statusCode() + " " + r.body());
      }
      if (i >= warmup) {
        nanos[i - warmup] = took;
      }
    }
    long heapEnd = heapAfterGc();
    Arrays.sort(nanos);
    System.out.println("pages " + n + " calls-per-page " + callsPerPage);
    System.out.println(
        "latency-us p50 "
            + nanos[nanos.length / 2] / 1000
            + " max "
            + nanos[nanos.length - 1] / 1000);
    System.out.println("heap-after-gc start " + heapStart + " end " + heapEnd);
    pages.stop(0);
  }

  static void page(HttpExchange ex, int calls) throws IOException {
    StringBuilder b = new StringBuilder();
    int status = 200;
    try {
      // The first section through the JDK client, as the OTLP exporter calls; the rest through
      // OkHttp, which is faster.
      for (int i = 0; i < calls; i++) {
        if (i == 0) {
          b.append(
              JDK.send(
                      HttpRequest.newBuilder(URI.create(backend + "section" + i)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
        } else {
          b.append(get("section" + i));
        }
      }
    } catch (Exception e) {
      status = 500;
      b.append(e);
    }
    byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  // --- bursts ---

  static void burstRun(int n, boolean enqueue) throws Exception {
    // Warm the client and the JIT outside any flow: not recorded.
    for (int i = 0; i < 5000; i++) {
      get("warm");
    }
    long heapStart = heapAfterGc();
    long[] result = enqueue ? burstEnqueue(n) : burst(n);
    System.out.println("burst-calls " + n);
    System.out.println(
        "burst-ms " + result[0] / 1_000_000 + " slowest-call-us " + result[1] / 1000);
    System.out.println("heap-after-gc start " + heapStart + " end " + result[2]);
  }

  /** A flow (by the agent's {@code flows=} option) that makes {@code n} calls in a row. */
  static long[] burst(int n) throws IOException {
    long slowest = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long c0 = System.nanoTime();
      get("burst");
      slowest = Math.max(slowest, System.nanoTime() - c0);
    }
    long took = System.nanoTime() - t0;
    // Still inside the flow: whatever the agent keeps for it is alive here.
    return new long[] {took, slowest, heapAfterGc()};
  }

  /**
   * A flow that prepares {@code n} futures and a wait on {@code allOf} them, then issues the calls
   * that complete them, and waits: every relay of the {@code allOf} tree fires as calls complete.
   */
  static long[] burstEnqueue(int n) {
    long t0 = System.nanoTime();
    List<CompletableFuture<String>> fs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      fs.add(new CompletableFuture<>());
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0]));
    long slowest = 0;
    for (int i = 0; i < n; i++) {
      long c0 = System.nanoTime();
      enqueue("burst", fs.get(i));
      slowest = Math.max(slowest, System.nanoTime() - c0);
    }
    all.join();
    long took = System.nanoTime() - t0;
    long heap = heapAfterGc();
    // The futures stay reachable up to here, as in a job that reads their results afterwards.
    for (CompletableFuture<String> f : fs) {
      if (!f.join().equals("ok")) {
        throw new IllegalStateException(f.join());
      }
    }
    return new long[] {took, slowest, heap};
  }

  static void enqueue(String path, CompletableFuture<String> cf) {
    OK.newCall(new Request.Builder().url(backend + path).build())
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                cf.completeExceptionally(e);
              }

              @Override
              public void onResponse(Call call, Response response) throws IOException {
                try (Response r = response) {
                  cf.complete(r.body().string());
                }
              }
            });
  }

  // --- jobs ---

  static void jobs(int threads, long count, CountDownLatch done) {
    AtomicLong next = new AtomicLong();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                for (long id = next.getAndIncrement(); id < count; id = next.getAndIncrement()) {
                  try {
                    job(id);
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                  // After job() returned: its flow span and its call's span have ended.
                  System.out.println("done " + id);
                  done.countDown();
                }
              },
              "worker-" + t);
      w.start();
    }
  }

  /** A flow (by the agent's {@code flows=} option) with one call. */
  static String job(long id) throws IOException {
    return get("job/" + id);
  }

  static long heapAfterGc() {
    // Twice: what the first leaves to reference processing, the second collects.
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
