package com.example.patterns;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A page server and slow backends in one JVM; each page strategy is one pattern of outbound calls.
 * Usage: {@code Patterns strategy...}: loads {@code /home/<strategy>} once per argument, then
 * exits.
 */
public final class Patterns {
  static final int MS = 60;
  static String backend;
  static final OkHttpClient SHARED = new OkHttpClient();
  static final HttpClient JDK = HttpClient.newHttpClient();

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
    HttpServer backends = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    backends.setExecutor(Executors.newCachedThreadPool());
    backends.createContext("/b/", Patterns::backendHandler);
    backends.start();
    backend = "http://127.0.0.1:" + backends.getAddress().getPort() + "/b/";
    if (args.length > 2 && args[0].equals("self-attach")) {
      // Late attach, as a tool would do to a running service: agent jar, then its options.
      SelfAttach.load(args[1], args[2]);
      args = java.util.Arrays.copyOfRange(args, 3, args.length);
    }
    if (args.length > 0 && args[0].equals("servlet")) {
      System.out.println(ServletPage.serveOnce());
      return;
    }
    if (args.length > 0 && args[0].equals("servlet-javax")) {
      System.out.println(JavaxServletPage.serveOnce());
      return;
    }
    if (args.length > 0 && args[0].equals("null-request")) {
      for (int i = 0; i < 2; i++) {
        try {
          JDK.send(null, HttpResponse.BodyHandlers.ofString());
        } catch (NullPointerException e) {
          System.out.println("app saw NPE");
        }
      }
      return;
    }
    if (args.length > 0 && args[0].equals("batch")) {
      System.out.println(batchJob());
      System.exit(0);
    }
    if (args.length > 0 && args[0].equals("batch-in-app-span")) {
      System.out.println(OtelApiCaller.inCurrentSpan(Patterns::batchJob));
      System.exit(0);
    }

    HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    pages.createContext("/home/", Patterns::page);
    pages.start();
    String base = "http://127.0.0.1:" + pages.getAddress().getPort() + "/home/";
    for (String s : args) {
      HttpURLConnection c =
          (HttpURLConnection)
              new URL(base + s + "?strategy=" + s + "&token=secret").openConnection();
      c.setRequestProperty(
          "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
      int code = c.getResponseCode();
      try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(s + " " + code + " " + body);
      }
    }
    pages.stop(0);
    backends.stop(0);
    System.exit(0);
  }

  static void backendHandler(HttpExchange ex) throws IOException {
    try {
      String q = ex.getRequestURI().getQuery();
      int ms = q != null && q.startsWith("ms=") ? Integer.parseInt(q.substring(3)) : MS;
      Thread.sleep(ms);
      byte[] body = ex.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void page(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String strategy = path.substring(path.lastIndexOf('/') + 1);
    String result;
    try {
      result = render(strategy);
    } catch (Exception e) {
      result = "error " + e;
    }
    byte[] body = result.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  static String render(String strategy) throws Exception {
    switch (strategy) {
      case "serial-new-client":
        return serialNewClient();
      case "serial-shared-client":
        return serial(SHARED);
      case "pool-2":
        return pool(2);
      case "async":
        return async();
      case "async-okhttp":
        return asyncOkHttp();
      case "dependent":
        return dependent();
      case "late-issue":
        return lateIssue();
      case "late-issue-chained":
        return lateIssueChained();
      case "per-host-limit":
        return perHostLimit();
      case "jdk-send":
        return jdkSend();
      case "virtual":
        return virtual();
      case "supply-async":
        return supplyAsync();
      case "user-listener":
        return userListener();
      case "sections":
        return sections();
      default:
        throw new IllegalArgumentException(strategy);
    }
  }

  static String get(OkHttpClient client, String name) throws IOException {
    try (Response r = client.newCall(new Request.Builder().url(backend + name).build()).execute()) {
      return r.body().string();
    }
  }

  static String serialNewClient() throws IOException {
    StringBuilder b = new StringBuilder();
    for (String n : new String[] {"user", "cart", "ads"}) {
      OkHttpClient fresh = new OkHttpClient.Builder().build();
      b.append(get(fresh, n));
      fresh.connectionPool().evictAll();
    }
    return b.toString();
  }

  static String serial(OkHttpClient client) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String n : new String[] {"user", "cart", "ads"}) {
      b.append(get(client, n));
    }
    return b.toString();
  }

  static String pool(int workers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<String>> fs = new ArrayList<>();
      for (String n : new String[] {"user", "reviews", "cart", "ads", "news", "weather"}) {
        fs.add(pool.submit(() -> get(SHARED, n)));
      }
      StringBuilder b = new StringBuilder();
      for (Future<String> f : fs) {
        b.append(f.get());
      }
      return b.toString();
    } finally {
      pool.shutdown();
    }
  }

  static CompletableFuture<HttpResponse<String>> sendAsync(String name) {
    return JDK.sendAsync(
        HttpRequest.newBuilder(URI.create(backend + name)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String async() {
    List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
    for (String n : new String[] {"user", "reviews", "cart", "ads"}) {
      fs.add(sendAsync(n));
    }
    StringBuilder b = new StringBuilder();
    for (CompletableFuture<HttpResponse<String>> f : fs) {
      b.append(f.join().body());
    }
    return b.toString();
  }

  static CompletableFuture<String> enqueue(OkHttpClient client, String name) {
    CompletableFuture<String> cf = new CompletableFuture<>();
    client
        .newCall(new Request.Builder().url(backend + name).build())
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
    return cf;
  }

  static String asyncOkHttp() {
    List<CompletableFuture<String>> fs = new ArrayList<>();
    for (String n : new String[] {"user", "reviews", "cart", "ads"}) {
      fs.add(enqueue(SHARED, n));
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).join();
    return String.valueOf(fs.size());
  }

  static String dependent() {
    return sendAsync("user")
        .thenCompose(u -> sendAsync("recommendations?ms=80"))
        .thenApply(HttpResponse::body)
        .join();
  }

  static String lateIssue() {
    String user = sendAsync("user").join().body();
    String cart = sendAsync("cart").join().body();
    return user + cart;
  }

  /** As the sample app writes it: a chain on the call's future, and the wait on another stage. */
  static String lateIssueChained() {
    CompletableFuture<String> user = sendAsync("user").thenApply(HttpResponse::body);
    CompletableFuture<String> reviews = sendAsync("reviews").thenApply(HttpResponse::body);
    reviews.exceptionally(failure -> null).join();
    CompletableFuture<String> cart = sendAsync("cart").thenApply(HttpResponse::body);
    return user.join() + reviews.join() + cart.join();
  }

  static String perHostLimit() {
    List<CompletableFuture<String>> fs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fs.add(enqueue(SHARED, "item" + i + "?ms=100"));
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).join();
    return String.valueOf(fs.size());
  }

  static String jdkSend() throws Exception {
    HttpResponse<String> r =
        JDK.send(
            HttpRequest.newBuilder(URI.create(backend + "user")).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  /** Blocking calls on the common pool through {@code supplyAsync}. */
  static String supplyAsync() {
    List<CompletableFuture<String>> fs = new ArrayList<>();
    for (String n : new String[] {"user", "cart"}) {
      fs.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return get(SHARED, n);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }));
    }
    return fs.get(0).join() + fs.get(1).join();
  }

  /** A job outside any request, made a flow by the {@code flows=} option. */
  static String batchJob() {
    String user = loadUser();
    return user + sendAsync("cart").join().body();
  }

  /** A part of the page, made a section by the {@code sections=} option. */
  static String loadUser() {
    return sendAsync("user").join().body();
  }

  static String sections() {
    return loadUser() + sendAsync("ads").join().body();
  }

  /** The application's own OkHttp listener must keep seeing every event. */
  static String userListener() throws IOException {
    int[] counts = new int[3];
    OkHttpClient client =
        SHARED
            .newBuilder()
            .eventListener(
                new okhttp3.EventListener() {
                  @Override
                  public void callStart(Call call) {
                    counts[0]++;
                  }

                  @Override
                  public void responseBodyEnd(Call call, long byteCount) {
                    counts[1]++;
                  }

                  @Override
                  public void callEnd(Call call) {
                    counts[2]++;
                  }
                })
            .build();
    get(client, "user");
    get(client, "cart");
    return "listener " + counts[0] + "/" + counts[1] + "/" + counts[2];
  }

  /** Virtual threads (JDK 21+), found reflectively so that this class compiles for 17. */
  static String virtual() throws Exception {
    ExecutorService vt =
        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    try {
      List<Future<String>> fs = new ArrayList<>();
      for (String n : new String[] {"user", "cart", "ads"}) {
        fs.add(vt.submit(() -> get(SHARED, n)));
      }
      StringBuilder b = new StringBuilder();
      for (Future<String> f : fs) {
        b.append(f.get());
      }
      return b.toString();
    } finally {
      vt.shutdown();
    }
  }
}
