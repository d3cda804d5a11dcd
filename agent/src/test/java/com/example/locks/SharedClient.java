package com.example.locks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

/** The same wrapper fixed: the JDK client is safe to share, the counter needs no monitor. */
public final class SharedClient {
  private final HttpClient http;
  private final AtomicInteger calls = new AtomicInteger();

  SharedClient(HttpClient http) {
    this.http = http;
  }

  public String get(String url) throws IOException, InterruptedException {
    calls.incrementAndGet();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
