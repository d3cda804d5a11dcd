package com.example.compat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * A service that knows nothing of OpenTelemetry, for running under the OpenTelemetry Java agent:
 * its page {@code /page} calls five backends (OkHttp {@code execute} and {@code enqueue}, the JDK
 * client's {@code send}, OkHttp in an executor task, the JDK client's {@code sendAsync}). Loads the
 * page without and then with an inbound {@code traceparent}, prints each answer, then waits at the
 * URL given (if any) before it exits. Usage: {@code TracedPage TRACEPARENT [AWAIT-URL]}.
 */
public final class TracedPage {
  private static final OkHttpClient OKHTTP = new OkHttpClient();
  private static final HttpClient JDK = HttpClient.newHttpClient();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(2);
  private static Backends backends;

  private TracedPage() {}

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
    backends = new Backends();
    HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    pages.createContext("/page", TracedPage::page);
    pages.start();
    String page = "http://127.0.0.1:" + pages.getAddress().getPort() + "/page";
    System.out.println("page " + RawHttp.get(page, null));
    System.out.println("page " + RawHttp.get(page, args[0]));
    if (args.length > 1) {
      System.out.println("await " + RawHttp.get(args[1], null));
    }
    pages.stop(0);
    backends.close();
  }

  static void page(HttpExchange ex) throws IOException {
    String result;
    try {
      result = render();
    } catch (Exception e) {
      result = "error " + e;
    }
    byte[] body = result.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  static String render() throws Exception {
    String a = execute("/b/a");
    CompletableFuture<String> b = new CompletableFuture<>();
    OKHTTP
        .newCall(new Request.Builder().url(backends.url("/b/b")).build())
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                b.completeExceptionally(e);
              }

              @Override
              public void onResponse(Call call, Response response) throws IOException {
                try (Response r = response) {
                  b.complete(r.body().string());
                }
              }
            });
    String c =
        JDK.send(
                HttpRequest.newBuilder(URI.create(backends.url("/b/c"))).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Future<String> d = POOL.submit(() -> execute("/b/d"));
    CompletableFuture<HttpResponse<String>> e =
        JDK.sendAsync(
            HttpRequest.newBuilder(URI.create(backends.url("/b/e"))).build(),
            HttpResponse.BodyHandlers.ofString());
    return a + "," + b.get() + "," + c + "," + d.get() + "," + e.join().body();
  }

  private static String execute(String path) throws IOException {
    try (Response r =
        OKHTTP.newCall(new Request.Builder().url(backends.url(path)).build()).execute()) {
      return r.body().string();
    }
  }
}
