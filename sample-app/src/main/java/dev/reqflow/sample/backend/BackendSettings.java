package dev.reqflow.sample.backend;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Latency per backend, the simulated connection cost, and which backends fail. Immutable, except
 * that servers started with the same settings draw their heavy tails from the same generators.
 */
public final class BackendSettings {
  /**
   * What a new connection to a remote host costs (TCP and TLS handshakes at a few tens of ms of
   * round trip). Loopback connects in microseconds, so without this a new client per call would
   * cost nothing extra here; with it the seed experiment keeps the seeds' shape.
   */
  public static final long DEFAULT_CONNECT_MS = 100;

  /**
   * The heavy tail's default seed: with it, the 7th and the 16th request to the ad auction are the
   * slow ones, so twenty page loads show the tail twice, as a 10% tail should.
   */
  public static final long DEFAULT_SEED = 21;

  private final Map<Backend, Latency> latencies;
  private final long connectMs;
  private final Set<Backend> failing;

  private BackendSettings(Map<Backend, Latency> latencies, long connectMs, Set<Backend> failing) {
    this.latencies = Collections.unmodifiableMap(new EnumMap<>(latencies));
    this.connectMs = connectMs;
    this.failing =
        Collections.unmodifiableSet(
            failing.isEmpty() ? EnumSet.noneOf(Backend.class) : EnumSet.copyOf(failing));
  }

  /**
   * Every backend's default latency, with generators of their own: the n-th request to a backend
   * gets the same latency in every run, however many servers ran before in the JVM.
   */
  public static BackendSettings defaults() {
    Map<Backend, Latency> latencies = new EnumMap<>(Backend.class);
    for (Backend backend : Backend.values()) {
      latencies.put(backend, backend.defaultLatency().reseeded(DEFAULT_SEED));
    }
    return new BackendSettings(latencies, DEFAULT_CONNECT_MS, EnumSet.noneOf(Backend.class));
  }

  /** Every latency multiplied by {@code factor}; the connection cost is set on its own. */
  public BackendSettings withScale(double factor) {
    if (!(factor >= 0)) {
      throw new IllegalArgumentException("the latency scale must be >= 0");
    }
    Map<Backend, Latency> scaled = new EnumMap<>(Backend.class);
    latencies.forEach((backend, latency) -> scaled.put(backend, latency.scaled(factor)));
    return new BackendSettings(scaled, connectMs, failing);
  }

  public BackendSettings withLatency(Backend backend, Latency latency) {
    Map<Backend, Latency> changed = new EnumMap<>(latencies);
    changed.put(backend, latency);
    return new BackendSettings(changed, connectMs, failing);
  }

  /** Every latency with a heavy tail draws from a generator seeded with {@code seed}. */
  public BackendSettings withSeed(long seed) {
    Map<Backend, Latency> reseeded = new EnumMap<>(Backend.class);
    latencies.forEach((backend, latency) -> reseeded.put(backend, latency.reseeded(seed)));
    return new BackendSettings(reseeded, connectMs, failing);
  }

  public BackendSettings withConnectMs(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("the connection cost must be >= 0 ms");
    }
    return new BackendSettings(latencies, ms, failing);
  }

  /** The backend answers every request with 503, after its latency. */
  public BackendSettings withFailing(Backend backend) {
    Set<Backend> changed = EnumSet.noneOf(Backend.class);
    changed.addAll(failing);
    changed.add(backend);
    return new BackendSettings(latencies, connectMs, changed);
  }

  public Latency latency(Backend backend) {
    return latencies.get(backend);
  }

  public long connectMs() {
    return connectMs;
  }

  public boolean fails(Backend backend) {
    return failing.contains(backend);
  }
}
