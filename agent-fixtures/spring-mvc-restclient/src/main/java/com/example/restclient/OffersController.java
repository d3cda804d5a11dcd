package com.example.restclient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * {@code GET /offers}: the offers of {@link RestClientApp#FAN_OUT} partners, fetched together from
 * the backend, through the default pool; {@code GET /offers-widened}: the same through the widened
 * pool.
 */
@RestController
class OffersController {
  private final RestClient defaultPool;
  private final RestClient widenedPool;
  private final ExecutorService fanOut;
  private final String backend;

  OffersController(
      @Qualifier("defaultPool") RestClient defaultPool,
      @Qualifier("widenedPool") RestClient widenedPool,
      ExecutorService fanOut,
      @Value("${backend.url}") String backend) {
    this.defaultPool = defaultPool;
    this.widenedPool = widenedPool;
    this.fanOut = fanOut;
    this.backend = backend;
  }

  @GetMapping("/offers")
  String offers() {
    return fetchAll(defaultPool);
  }

  @GetMapping("/offers-widened")
  String offersWidened() {
    return fetchAll(widenedPool);
  }

  private String fetchAll(RestClient client) {
    List<CompletableFuture<String>> offers = new ArrayList<>();
    for (int i = 0; i < RestClientApp.FAN_OUT; i++) {
      String url = backend + "partners/" + i + "/offer";
      offers.add(CompletableFuture.supplyAsync(() -> fetch(client, url), fanOut));
    }
    return String.join(",", offers.stream().map(CompletableFuture::join).toList());
  }

  private static String fetch(RestClient client, String url) {
    return client.get().uri(url).retrieve().body(String.class);
  }
}
