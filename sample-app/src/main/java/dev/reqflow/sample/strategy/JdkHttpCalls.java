package dev.reqflow.sample.strategy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/** Calls through the JDK's {@link HttpClient}: synchronous {@code send} or {@code sendAsync}. */
final class JdkHttpCalls {
  private JdkHttpCalls() {}

  /**
   * A client to share, completing its futures on the given executor. HTTP/1.1 because the backends
   * speak nothing else, and asking for HTTP/2 would add an upgrade header to every new connection.
   */
  static HttpClient sharedClient(ExecutorService executor) {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).build();
  }

  /** Calls {@code url} on this thread and returns the body of a successful answer. */
  static String send(HttpClient client, String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(HttpRequest.newBuilder(URI.create(url)).build(), bodyAsString());
    return bodyOf(url, response);
  }

  /** Sends the request now; the future completes when the answer is in. */
  static CompletableFuture<String> sendAsync(HttpClient client, String url) {
    return sendAsync(client, HttpRequest.newBuilder(URI.create(url)).build());
  }

  /** Sends the request now; the future fails with a timeout if no answer came within it. */
  static CompletableFuture<String> sendAsync(HttpClient client, String url, Duration timeout) {
    return sendAsync(client, HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build());
  }

  private static CompletableFuture<String> sendAsync(HttpClient client, HttpRequest request) {
    String url = request.uri().toString();
    return client
        .sendAsync(request, bodyAsString())
        .thenApply(
            response -> {
              try {
                return bodyOf(url, response);
              } catch (BackendException e) {
                throw new CompletionException(e);
              }
            });
  }

  private static HttpResponse.BodyHandler<String> bodyAsString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private static String bodyOf(String url, HttpResponse<String> response) throws BackendException {
    if (response.statusCode() / 100 != 2) {
      throw new BackendException(url, response.statusCode());
    }
    return response.body();
  }
}
