package dev.reqflow.sample.backend;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The slow services the home page is built from, with the latency each has by default. */
public enum Backend {
  USER("/user", Latency.fixed(60)),
  RECOMMENDATIONS("/recommendations", Latency.fixed(250)),
  REVIEWS("/reviews", Latency.fixed(180)),
  CART("/cart", Latency.fixed(80)),
  ADS("/ads", Latency.fixed(90)),
  /**
   * A real-time ad auction: usually as quick as {@link #ADS}, but one auction in ten waits for a
   * slow bidder. The slow-outlier page uses it.
   */
  ADS_AUCTION("/ads/auction", Latency.heavyTail(90, 1500, 0.1, BackendSettings.DEFAULT_SEED)),
  DEALS("/deals", Latency.fixed(150)),
  PRODUCT("/product", Latency.fixed(100)),
  /** Answers after {@code ?ms=}: the seeds' one-second endpoint. */
  DELAY("/delay", Latency.fixed(0));

  private final String path;
  private final Latency defaultLatency;

  Backend(String path, Latency defaultLatency) {
    this.path = path;
    this.defaultLatency = defaultLatency;
  }

  public String path() {
    return path;
  }

  public Latency defaultLatency() {
    return defaultLatency;
  }

  /** The name used on the command line: {@code ads-auction}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<Backend> forPath(String path) {
    return Arrays.stream(values()).filter(b -> b.path.equals(path)).findFirst();
  }

  public static Optional<Backend> forCliName(String name) {
    return Arrays.stream(values()).filter(b -> b.cliName().equals(name)).findFirst();
  }
}
