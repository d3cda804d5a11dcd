package com.example.bodies;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A page server whose pages do what Java developers publicly report doing with response bodies:
 *
 * <ul>
 *   <li>{@code leak}: six OkHttp {@code execute()} calls one after another, each checking only
 *       {@code isSuccessful()} and never closing the response, the classic "connection leaked"
 *       mistake; {@code closed}: the same with try-with-resources (each page variant has a client
 *       of its own, as two services would).
 *   <li>{@code okhttp-body}, {@code jdk-stream-body}, {@code jdk-string-body}, {@code
 *       urlconnection-body}: one call whose backend sends the headers at once and then trickles the
 *       body, read by the page after the client returned (OkHttp {@code body().string()}, a JDK
 *       {@code BodyHandlers.ofInputStream()} read to its end, from {@code send} or {@code
 *       sendAsync}, {@code HttpURLConnection}'s stream), or inside {@code send} ({@code ofString}).
 *   <li>{@code okhttp-close}: one OkHttp call whose status only is checked, its response closed
 *       unread (try-with-resources) while the backend still trickles the body: OkHttp's close reads
 *       the rest off the connection to reuse it.
 *   <li>{@code unread}: one call of each client whose response the page never reads nor closes
 *       (OkHttp's twice: from {@code execute}, and in an {@code enqueue} callback).
 * </ul>
 *
 * <p>Usage: {@code BodyPages BACKEND page[*N]...}: {@code BACKEND} a base URL ending in {@code /}
 * that answers {@code /NAME?ms=N}, with {@code first=N} (a new connection's first answer comes N ms
 * later) and {@code trickle=N&size=B} (the body in pieces over N ms). Loads {@code /page/NAME} N
 * times (once without {@code *N}) one after another, and pages separated by commas in turn ({@code
 * leak,closed*6}: leak, closed, leak, ...), from outside any flow; prints {@code NAME STATUS
 * MILLIS} for each, then exits.
 */
public final class BodyPages {
  /**
   * The six calls of the leak pages: backend latencies, and the handshake a new connection costs;
   * long enough that a loaded machine's late wake-ups stay small beside them.
   */
  static final String[] SECTIONS = {
    "user?ms=120", "cart?ms=210", "ads?ms=150", "deals?ms=240", "reviews?ms=135", "offers?ms=180"
  };

  static final int HANDSHAKE_MS = 100;

  /** The slow bodies: headers after 20 ms, then 20,000 bytes over 120 ms. */
  static final String SLOW_BODY = "body?ms=20&trickle=120&size=20000";

  /** The body a page closes unread: headers after 20 ms, then 20,000 bytes over 40 ms. */
  static final String CLOSED_BODY = "body?ms=20&trickle=40&size=20000";

  static String backend;
  static final OkHttpClient LEAKING = new OkHttpClient();
  static final OkHttpClient CLOSING = new OkHttpClient();
  static final OkHttpClient READING = new OkHttpClient();
  static final HttpClient JDK =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private BodyPages() {}

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
    // Else the page server's headers and body wait on the client's delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    backend = args[0];
    HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    pages.setExecutor(Executors.newFixedThreadPool(2, daemons("page")));
    pages.createContext("/page/", BodyPages::page);
    pages.start();
    String base = "http://127.0.0.1:" + pages.getAddress().getPort() + "/page/";
    for (int i = 1; i < args.length; i++) {
      String[] spec = args[i].split("\\*");
      int times = spec.length > 1 ? Integer.parseInt(spec[1]) : 1;
      for (int n = 0; n < times; n++) {
        for (String name : spec[0].split(",")) {
          long start = System.nanoTime();
          // Outside any flow: the agent must not record this call.
          HttpURLConnection c = (HttpURLConnection) new URL(base + name).openConnection();
          int code = c.getResponseCode();
          try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            System.out.println(
                name
                    + " "
                    + code
                    + " "
                    + (System.nanoTime() - start) / 1_000_000
                    + (code < 400 ? "" : " " + body));
          }
        }
      }
    }
    pages.stop(0);
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

  static String render(String name) throws Exception {
    switch (name) {
      case "leak":
        return leak();
      case "closed":
        return closed();
      case "okhttp-body":
        return okHttpBody();
      case "jdk-stream-body":
        return jdkStreamBody();
      case "jdk-string-body":
        return jdkStringBody();
      case "jdk-async-stream-body":
        return jdkAsyncStreamBody();
      case "urlconnection-body":
        return urlConnectionBody();
      case "okhttp-close":
        return okHttpClose();
      case "unread":
        return unread();
      default:
        throw new IllegalArgumentException(name);
    }
  }

  private static Request get(String section) {
    return new Request.Builder().url(backend + section + "&first=" + HANDSHAKE_MS).build();
  }

  /** Only the status is checked; the response is dropped unclosed. */
  static String leak() throws IOException {
    int ok = 0;
    for (String section : SECTIONS) {
      Response r = LEAKING.newCall(get(section)).execute();
      if (r.isSuccessful()) {
        ok++;
      }
    }
    return ok + " ok";
  }

  static String closed() throws IOException {
    int ok = 0;
    for (String section : SECTIONS) {
      try (Response r = CLOSING.newCall(get(section)).execute()) {
        if (r.isSuccessful()) {
          ok++;
        }
      }
    }
    return ok + " ok";
  }

  static String okHttpBody() throws IOException {
    try (Response r =
        READING.newCall(new Request.Builder().url(backend + SLOW_BODY).build()).execute()) {
      return r.body().string().length() + " bytes";
    }
  }

  static String okHttpClose() throws IOException {
    try (Response r =
        READING.newCall(new Request.Builder().url(backend + CLOSED_BODY).build()).execute()) {
      return r.isSuccessful() ? "ok" : "status " + r.code();
    }
  }

  static String jdkStreamBody() throws IOException, InterruptedException {
    HttpResponse<InputStream> r =
        JDK.send(
            HttpRequest.newBuilder(URI.create(backend + SLOW_BODY)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      return in.readAllBytes().length + " bytes";
    }
  }

  static String jdkAsyncStreamBody() throws IOException {
    HttpResponse<InputStream> r =
        JDK.sendAsync(
                HttpRequest.newBuilder(URI.create(backend + SLOW_BODY)).build(),
                HttpResponse.BodyHandlers.ofInputStream())
            .join();
    try (InputStream in = r.body()) {
      return in.readAllBytes().length + " bytes";
    }
  }

  static String jdkStringBody() throws IOException, InterruptedException {
    HttpResponse<String> r =
        JDK.send(
            HttpRequest.newBuilder(URI.create(backend + SLOW_BODY)).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.body().length() + " bytes";
  }

  static String urlConnectionBody() throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(backend + SLOW_BODY).openConnection();
    try (InputStream in = c.getInputStream()) {
      return in.readAllBytes().length + " bytes";
    }
  }

  /**
   * A status from each client, and nothing else: no body read, nothing closed; OkHttp's also in a
   * callback.
   */
  static String unread() throws Exception {
    String url = backend + "unread?ms=10";
    int okHttp = READING.newCall(new Request.Builder().url(url).build()).execute().code();
    CompletableFuture<Integer> status = new CompletableFuture<>();
    READING
        .newCall(new Request.Builder().url(url + "&callback=1").build())
        .enqueue(
            new Callback() {
              @Override
              public void onResponse(Call call, Response response) {
                status.complete(response.code());
              }

              @Override
              public void onFailure(Call call, IOException e) {
                status.completeExceptionally(e);
              }
            });
    int okHttpCallback = status.get();
    int jdk =
        JDK.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream())
            .statusCode();
    int urlConnection = ((HttpURLConnection) new URL(url).openConnection()).getResponseCode();
    return okHttp + " " + okHttpCallback + " " + jdk + " " + urlConnection;
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
