package dev.reqflow.sample.strategy;

import dev.reqflow.sample.threads.NamedThreads;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Calls through OkHttp 4: synchronous, or enqueued and bridged to a {@link CompletableFuture}. */
final class OkHttpCalls {
  private OkHttpCalls() {}

  /**
   * A client to share: its dispatcher runs callbacks on named daemon threads, with OkHttp's default
   * limits (64 calls, 5 per host), and its pool keeps enough idle connections for a page's calls
   * (the default keeps 5, so a page of six parallel calls would open a new one every time).
   */
  static OkHttpClient sharedClient(String threadPrefix) {
    return new OkHttpClient.Builder()
        .dispatcher(new Dispatcher(NamedThreads.cached(threadPrefix)))
        .connectionPool(new ConnectionPool(32, 5, TimeUnit.MINUTES))
        .build();
  }

  /** Stops the client's dispatcher threads and closes its idle connections. */
  static void close(OkHttpClient client) {
    client.dispatcher().executorService().shutdownNow();
    client.connectionPool().evictAll();
  }

  /** Calls {@code url} on this thread and returns the body of a successful answer. */
  static String execute(OkHttpClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return bodyOf(url, response);
    }
  }

  /** Enqueues the call: the future completes on a dispatcher thread when the answer is in. */
  static CompletableFuture<String> enqueue(OkHttpClient client, String url) {
    CompletableFuture<String> body = new CompletableFuture<>();
    enqueue(client, url, new Completing(url, body));
    return body;
  }

  /** Enqueues the call with a callback of the caller's own (see {@link Completing}). */
  static void enqueue(OkHttpClient client, String url, Callback callback) {
    client.newCall(new Request.Builder().url(url).build()).enqueue(callback);
  }

  static String bodyOf(String url, Response response) throws IOException {
    if (!response.isSuccessful()) {
      throw new BackendException(url, response.code());
    }
    return response.body().string();
  }

  /** A callback that completes a future with the body, or with the failure. */
  static class Completing implements Callback {
    private final String url;
    private final CompletableFuture<String> body;

    Completing(String url, CompletableFuture<String> body) {
      this.url = url;
      this.body = body;
    }

    @Override
    public void onResponse(Call call, Response response) {
      try (response) {
        body.complete(bodyOf(url, response));
      } catch (IOException | RuntimeException e) {
        body.completeExceptionally(e);
      }
    }

    @Override
    public void onFailure(Call call, IOException e) {
      body.completeExceptionally(e);
    }
  }
}
