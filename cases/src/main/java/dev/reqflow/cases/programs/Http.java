package dev.reqflow.cases.programs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The few lines every application writes around its HTTP clients: a GET that returns the body or
 * throws on an error status, synchronously or as a future.
 */
final class Http {
  private Http() {}

  /**
   * An OkHttp client that keeps up to 16 idle connections: the default keeps 5, so a page of six
   * parallel calls would open a sixth connection on every load, a cost apart from the pattern a
   * case is about.
   */
  static OkHttpClient client() {
    return new OkHttpClient.Builder()
        .connectionPool(new okhttp3.ConnectionPool(16, 5, java.util.concurrent.TimeUnit.MINUTES))
        .build();
  }

  /** OkHttp {@code execute}: the body, or an exception for a failed call or an error status. */
  static String get(OkHttpClient client, String url) throws IOException {
    try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
      String body = r.body().string();
      if (!r.isSuccessful()) {
        throw new IOException(url + " answered " + r.code() + ": " + body);
      }
      return body;
    }
  }

  /** OkHttp {@code enqueue}: a future of the body, completed in the callback. */
  static CompletableFuture<String> getAsync(OkHttpClient client, String url) {
    CompletableFuture<String> body = new CompletableFuture<>();
    client.newCall(new Request.Builder().url(url).build()).enqueue(completing(url, body));
    return body;
  }

  /** A callback that completes {@code body} with the response's body, or with the failure. */
  static Callback completing(String url, CompletableFuture<String> body) {
    return new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          String text = response.body().string();
          if (response.isSuccessful()) {
            body.complete(text);
          } else {
            body.completeExceptionally(new IOException(url + " answered " + response.code()));
          }
        } catch (IOException | RuntimeException e) {
          body.completeExceptionally(e);
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        body.completeExceptionally(e);
      }
    };
  }

  /** JDK {@code HttpClient.send}. */
  static String send(HttpClient client, String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 400) {
      throw new IOException(url + " answered " + r.statusCode());
    }
    return r.body();
  }

  /** JDK {@code HttpClient.sendAsync}: a future of the body. */
  static CompletableFuture<String> sendAsync(HttpClient client, String url) {
    return client
        .sendAsync(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              if (r.statusCode() >= 400) {
                throw new UncheckedIOException(
                    new IOException(url + " answered " + r.statusCode()));
              }
              return r.body();
            });
  }

  /** {@code Future.get} as pages write it: the cause of a failed task is the page's failure. */
  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof Exception ? (Exception) cause : new IOException(cause);
    }
  }

  /** Threads named {@code prefix-N}, daemons, so that a case's pool never keeps the JVM alive. */
  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
