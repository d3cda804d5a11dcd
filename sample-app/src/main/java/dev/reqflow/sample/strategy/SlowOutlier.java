package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageRequest;
import dev.reqflow.sample.page.PageStrategy;
import dev.reqflow.sample.page.Section;
import dev.reqflow.sample.threads.NamedThreads;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The async page, with the ads from the live auction backend, which is usually quick and sometimes
 * very slow: those pages wait for the one slow call. {@code &timeoutMs=N} caps the auction call and
 * shows house ads when it runs over (the fix, to compare with what an analysis predicts).
 */
final class SlowOutlier implements PageStrategy {
  static final String NAME = "slow-outlier";
  static final String HOUSE_ADS =
      "{\"fallback\":true,\"ads\":[{\"id\":\"ad-house-1\",\"text\":\"Our house blend, roasted"
          + " this week\"}]}";

  private final BackendUrls backends;
  private final ExecutorService httpThreads = NamedThreads.cached("slow-outlier-http");
  private final HttpClient client = JdkHttpCalls.sharedClient(httpThreads);

  SlowOutlier(BackendUrls backends) {
    this.backends = backends;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "async, but the ads come from an auction with a heavy tail;"
        + " &timeoutMs=N caps it and falls back to house ads";
  }

  @Override
  public List<Section> issue(PageRequest request) {
    int timeoutMs = request.query().intValue("timeoutMs", 0, 1, 60_000);
    Map<HomeSection, CompletableFuture<String>> bodies = new EnumMap<>(HomeSection.class);
    for (HomeSection section : HomeSection.values()) {
      if (section == HomeSection.ADS) {
        bodies.put(section, auction(timeoutMs));
      } else {
        bodies.put(section, JdkHttpCalls.sendAsync(client, section.url(backends, request)));
      }
    }
    return Sections.joining(bodies);
  }

  private CompletableFuture<String> auction(int timeoutMs) {
    if (timeoutMs == 0) {
      return JdkHttpCalls.sendAsync(client, backends.adsAuction());
    }
    return JdkHttpCalls.sendAsync(client, backends.adsAuction(), Duration.ofMillis(timeoutMs))
        .exceptionally(
            failure -> {
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof HttpTimeoutException) {
                return HOUSE_ADS;
              }
              throw failure instanceof CompletionException c ? c : new CompletionException(cause);
            });
  }

  @Override
  public void close() {
    NamedThreads.shutdown(httpThreads);
  }
}
