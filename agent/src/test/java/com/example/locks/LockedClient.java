package com.example.locks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A client wrapper whose methods are {@code synchronized}, as many hand-written API clients are (to
 * guard a token cache, a counter, a lazily built client): every call through it holds its monitor
 * from request to response, so calls issued together from many threads run one after another.
 */
public final class LockedClient {
  private final HttpClient http;
  private int calls;

  LockedClient(HttpClient http) {
    this.http = http;
  }

  public synchronized String get(String url) throws IOException, InterruptedException {
    calls++;
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  synchronized int calls() {
    return calls;
  }
}
