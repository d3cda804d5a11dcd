package com.example.asyncmvc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The slow backends the pages are made of, through one shared JDK {@code HttpClient}. */
@Component
public class Backends {
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  public Backends(@Value("${backend}") String base) {
    this.base = base.endsWith("/") ? base : base + "/";
  }

  /** One resource, waiting for it on the calling thread. */
  public String get(String resource) {
    try {
      return client.send(request(resource), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One resource, without waiting. */
  public CompletableFuture<String> getAsync(String resource) {
    return client
        .sendAsync(request(resource), HttpResponse.BodyHandlers.ofString())
        .thenApply(HttpResponse::body);
  }

  private HttpRequest request(String resource) {
    return HttpRequest.newBuilder(URI.create(base + resource)).build();
  }
}
