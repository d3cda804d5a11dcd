package dev.reqflow.sample.seed;

import dev.reqflow.sample.threads.NamedThreads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The seeds' measurement: the same N requests to a delay endpoint, made five ways. Each approach
 * starts with a client of its own, as each of the seeds' scripts did, so a pooled approach pays for
 * its first connections too.
 */
public final class SeedExperiment {
  /** The approaches, in the order of the seeds' table. */
  public static final List<String> APPROACHES =
      List.of("serial-new-client", "serial-shared-client", "pool-2", "pool-n", "async");

  private final URI backend;
  private final String url;
  private final int requests;

  /** {@code requests} requests to {@code backend}'s delay endpoint, each taking {@code delayMs}. */
  public SeedExperiment(URI backend, long delayMs, int requests) {
    this.backend = backend;
    this.url = backend.resolve("delay?ms=" + delayMs).toString();
    this.requests = requests;
  }

  /** One untimed request with each library, to an endpoint that answers at once. */
  public void warmUp() throws Exception {
    URI quick = backend.resolve("delay?ms=0");
    OkHttpClient okHttp = new OkHttpClient();
    try (Response response =
        okHttp.newCall(new Request.Builder().url(quick.toString()).build()).execute()) {
      response.body().string();
    } finally {
      okHttp.connectionPool().evictAll();
    }
    ExecutorService httpThreads = NamedThreads.cached("seed-warm-up-http");
    try {
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .executor(httpThreads)
          .build()
          .send(HttpRequest.newBuilder(quick).build(), HttpResponse.BodyHandlers.discarding());
    } finally {
      NamedThreads.shutdown(httpThreads);
    }
  }

  /** How long the N requests took, made the named way. */
  public Duration time(String approach) throws Exception {
    long start = System.nanoTime();
    switch (approach) {
      case "serial-new-client" -> serialNewClient();
      case "serial-shared-client" -> serialSharedClient();
      case "pool-2" -> pool(2);
      case "pool-n" -> pool(requests);
      case "async" -> async();
      default -> throw new IllegalArgumentException("no approach named " + approach);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Like {@code requests.get} in a loop: a client, and so a connection, per request. */
  private void serialNewClient() throws IOException {
    for (int i = 0; i < requests; i++) {
      OkHttpClient throwaway = new OkHttpClient();
      try {
        get(throwaway);
      } finally {
        throwaway.connectionPool().evictAll();
      }
    }
  }

  /** Like a {@code requests.Session}: one client whose connection is reused. */
  private void serialSharedClient() throws IOException {
    OkHttpClient client = pooledClient();
    try {
      for (int i = 0; i < requests; i++) {
        get(client);
      }
    } finally {
      client.connectionPool().evictAll();
    }
  }

  /** Like {@code FuturesSession(max_workers=N)}: N workers running the synchronous calls. */
  private void pool(int workers) throws Exception {
    OkHttpClient client = pooledClient();
    ExecutorService pool = NamedThreads.fixed("seed-pool" + workers + "-worker", workers);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        calls.add(pool.submit(() -> get(client)));
      }
      for (Future<?> call : calls) {
        call.get();
      }
    } finally {
      NamedThreads.shutdown(pool);
      client.connectionPool().evictAll();
    }
  }

  /** Like aiohttp's {@code gather}: every request sent at once, then all awaited. */
  private void async() {
    ExecutorService httpThreads = NamedThreads.cached("seed-async-http");
    try {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(httpThreads)
              .build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        int status = call.join().statusCode();
        if (status != 200) {
          throw new IllegalStateException(url + " answered " + status);
        }
      }
    } finally {
      NamedThreads.shutdown(httpThreads);
    }
  }

  /** Keeps enough idle connections for every request at once, as a sized pool would. */
  private OkHttpClient pooledClient() {
    return new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(requests, 5, TimeUnit.MINUTES))
        .build();
  }

  private String get(OkHttpClient client) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException(url + " answered " + response.code());
      }
      return response.body().string();
    }
  }
}
