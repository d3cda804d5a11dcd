package com.example.mvc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

/**
 * The composite page of the reported service: three backend calls through {@code RestTemplate} with
 * its default request factory ({@code SimpleClientHttpRequestFactory}, on {@code
 * java.net.HttpURLConnection}), one after another ({@code /page}), and the fix, the same calls
 * issued together on a pool and joined ({@code /page-parallel}); and a page per product ({@code
 * /product/{id}}), one endpoint with many paths.
 */
@RestController
public class PageController {
  /** The backends' latencies (ms) of the page's three sections, in the order the page calls. */
  static final String[] SECTIONS = {"user?ms=80", "cart?ms=160", "ads?ms=120"};

  private final RestTemplate rest = new RestTemplate();
  private final ExecutorService pool = Executors.newFixedThreadPool(3);
  private final String backends;

  public PageController(@Value("${backends}") String backends) {
    this.backends = backends;
  }

  @GetMapping("/page")
  public String page() {
    StringBuilder b = new StringBuilder();
    for (String section : SECTIONS) {
      b.append(rest.getForObject(backends + section, String.class)).append(' ');
    }
    return b.toString();
  }

  @GetMapping("/page-parallel")
  public String pageParallel() {
    CompletableFuture<?>[] parts = new CompletableFuture<?>[SECTIONS.length];
    for (int i = 0; i < SECTIONS.length; i++) {
      String url = backends + SECTIONS[i];
      parts[i] = CompletableFuture.supplyAsync(() -> rest.getForObject(url, String.class), pool);
    }
    StringBuilder b = new StringBuilder();
    for (CompletableFuture<?> part : parts) {
      b.append(part.join()).append(' ');
    }
    return b.toString();
  }

  @GetMapping("/product/{id}")
  public String product(@PathVariable("id") String id) {
    return id + " " + rest.getForObject(backends + SECTIONS[0], String.class);
  }
}
