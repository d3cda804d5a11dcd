package com.example.locks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A page server whose page issues six calls together, one task per call, and waits for each: on
 * platform threads (a pool of six) or on virtual threads (one per task, JDK 21+). The calls go
 * through a {@code synchronized} client wrapper ({@code locked}), through the same wrapper without
 * the lock ({@code shared}), or through the shared one behind a {@link Semaphore} of one or two
 * permits ({@code semaphore1}, {@code semaphore2}); or, with no call, need a class whose
 * initializer sleeps ({@code pinned}: virtual threads pinned to their carriers, once per run). The
 * backend is the test's.
 *
 * <p>Usage: {@code LockedPages BACKEND page[*N]...}: {@code BACKEND} a base URL ending in {@code /}
 * answering {@code /NAME?ms=N} after N ms; a page is {@code CLIENT-THREADS} ({@code
 * locked-virtual}, {@code semaphore2-platform}...). Loads {@code /page/NAME} N times, one after
 * another, from outside any flow, prints {@code NAME STATUS BODY} for each and whether a JDK Flight
 * Recorder recording runs after the last ({@code jfr-recording after=true}), then exits. After the
 * first page, a warm-up, it waits until the agent's JDK Flight Recorder recording runs.
 */
public final class LockedPages {
  static final String[] CALLS = {
    "user?ms=150", "cart?ms=150", "ads?ms=150", "deals?ms=150", "reviews?ms=150", "recs?ms=150"
  };

  static String backend;
  static LockedClient locked;
  static SharedClient shared;
  static final Semaphore ONE = new Semaphore(1);
  static final Semaphore TWO = new Semaphore(2);
  static final ExecutorService PLATFORM = Executors.newFixedThreadPool(6, daemons("call-worker"));
  static ExecutorService virtual;

  private LockedPages() {}

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
    System.setProperty("sun.net.httpserver.nodelay", "true");
    backend = args[0];
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    locked = new LockedClient(http);
    shared = new SharedClient(http);
    virtual = virtualThreadPerTask();

    HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    pages.setExecutor(Executors.newFixedThreadPool(2, daemons("page")));
    pages.createContext("/page/", LockedPages::page);
    pages.start();
    String base = "http://127.0.0.1:" + pages.getAddress().getPort() + "/page/";
    for (int i = 1; i < args.length; i++) {
      String[] spec = args[i].split("\\*");
      int times = spec.length > 1 ? Integer.parseInt(spec[1]) : 1;
      for (int n = 0; n < times; n++) {
        HttpURLConnection c = (HttpURLConnection) new URL(base + spec[0]).openConnection();
        int code = c.getResponseCode();
        try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
          System.out.println(
              spec[0] + " " + code + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        if (i == 1 && n == 0) {
          awaitJfrRecording();
        }
      }
    }
    System.out.println("jfr-recording after=" + jfrRecordingRuns());
    pages.stop(0);
  }

  /**
   * After the warm-up page: waits until the agent's JDK Flight Recorder recording runs (its {@code
   * reqflow-jfr-start} thread ends then), so that the judged pages' monitor waits are recorded even
   * when a busy machine takes seconds to start it. Returns at once when the agent does not stream
   * (jfr=off) or the recording already runs.
   */
  static void awaitJfrRecording() throws InterruptedException {
    Thread starter = JfrGapPages.thread("reqflow-jfr-start");
    if (starter != null) {
      starter.join(TimeUnit.SECONDS.toMillis(60));
    }
  }

  static boolean jfrRecordingRuns() {
    return JfrGapPages.recordingRuns();
  }

  static void page(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    String result;
    int status = 200;
    try {
      result = render(name);
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

  /** Issues the six calls together, then waits for each in turn. */
  static String render(String name) throws Exception {
    String[] parts = name.split("-");
    ExecutorService threads = parts[1].equals("virtual") ? virtual : PLATFORM;
    if (threads == null) {
      throw new IllegalStateException("no virtual threads before JDK 21");
    }
    List<Future<String>> sections = new ArrayList<>();
    for (String call : CALLS) {
      String url = backend + call;
      sections.add(threads.submit(section(parts[0], url)));
    }
    StringBuilder page = new StringBuilder();
    for (Future<String> s : sections) {
      page.append(s.get()).append(' ');
    }
    return page.toString().trim();
  }

  static Callable<String> section(String client, String url) {
    switch (client) {
      case "locked":
        return () -> locked.get(url);
      case "shared":
        return () -> shared.get(url);
      case "semaphore1":
        return () -> limited(ONE, url);
      case "semaphore2":
        return () -> limited(TWO, url);
      case "pinned":
        // No call: the first task initializes a class that sleeps, the others wait for it.
        return () -> SlowStart.READY;
      default:
        throw new IllegalArgumentException(client);
    }
  }

  /** A call behind a semaphore: at most its permits run at once. */
  static String limited(Semaphore permits, String url) throws Exception {
    permits.acquire();
    try {
      return shared.get(url);
    } finally {
      permits.release();
    }
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21+, else null. */
  static ExecutorService virtualThreadPerTask() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
