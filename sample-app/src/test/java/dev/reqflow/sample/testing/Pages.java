package dev.reqflow.sample.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads pages from a running page server, times them, and reads their sections. */
public final class Pages {
  private static final Pattern SECTION =
      Pattern.compile(
          "<section id=\"([^\"]+)\"( class=\"error\")?><h2>[^<]*</h2>\\n<(pre|p class=\"error\")>(.*?)</",
          Pattern.DOTALL);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;

  public Pages(URI base) {
    this.base = base;
  }

  /** A page as loaded: status, body, and how long it took. */
  public record Loaded(int status, String body, long millis) {
    /** Section id to its text (data, or the error message for a failed section), in order. */
    public Map<String, String> sections() {
      Map<String, String> sections = new LinkedHashMap<>();
      Matcher matcher = SECTION.matcher(body);
      while (matcher.find()) {
        String text = matcher.group(4).replace("&quot;", "\"").replace("&amp;", "&");
        sections.put(matcher.group(1), (matcher.group(2) != null ? "ERROR " : "") + text);
      }
      return sections;
    }
  }

  public Loaded get(String pathAndQuery) throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Loaded(response.statusCode(), response.body(), millis);
  }

  /** The home page with this strategy (and any extra query, e.g. {@code &perHost=10}). */
  public Loaded home(String strategyAndQuery) throws IOException, InterruptedException {
    return get("home?strategy=" + strategyAndQuery);
  }

  /**
   * The fastest of {@code times} loads: for upper bounds, so one hiccup of a busy machine passes.
   */
  public long fastestOf(int times, String strategyAndQuery)
      throws IOException, InterruptedException {
    long fastest = Long.MAX_VALUE;
    for (int i = 0; i < times; i++) {
      Loaded page = home(strategyAndQuery);
      if (page.status() != 200) {
        throw new AssertionError("page answered " + page.status() + ": " + page.body());
      }
      fastest = Math.min(fastest, page.millis());
    }
    return fastest;
  }
}
