package dev.reqflow.agent.recorder;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Each endpoint's running p90 of flow durations, for {@code keep.slow}: a histogram per endpoint of
 * log-scale buckets (four per doubling, so a bucket spans 19% at most), halved whenever it holds
 * {@link #WINDOW} flows, so that it follows the endpoint's recent flows rather than all of them.
 * Bounded: {@link #MAX_ENDPOINTS} endpoints, then one shared histogram for the rest.
 */
final class EndpointLatencies {
  static final int MAX_ENDPOINTS = 1024;

  /** Flows an endpoint needs before its p90 means something; until then every flow is slow. */
  static final int MIN_FLOWS = 20;

  static final int WINDOW = 2000;

  private static final int BUCKETS = 64 * 4;

  private final ConcurrentHashMap<String, Histogram> byEndpoint = new ConcurrentHashMap<>();
  private final Histogram others = new Histogram();

  /** A flow no slower than its endpoint's p90. */
  static final int NOT_SLOWER = 0;

  /** A flow slower than its endpoint's p90. */
  static final int SLOWER = 1;

  /** A flow of an endpoint with fewer than {@link #MIN_FLOWS} flows: no p90 yet. */
  static final int NO_P90 = 2;

  /**
   * Whether a flow of {@code endpoint} that took {@code nanos} is slower than the endpoint's p90 so
   * far (its bucket is above the p90's), then counts it: {@link #SLOWER}, {@link #NOT_SLOWER}, or
   * {@link #NO_P90} while the endpoint has fewer than {@link #MIN_FLOWS} flows (without a p90, a
   * flow cannot be called fast).
   */
  int slowerThanP90(String endpoint, long nanos) {
    Histogram h = byEndpoint.get(endpoint);
    if (h == null) {
      h =
          byEndpoint.size() < MAX_ENDPOINTS
              ? byEndpoint.computeIfAbsent(endpoint, k -> new Histogram())
              : others;
    }
    return h.slowerThanP90ThenAdd(bucket(nanos));
  }

  static int bucket(long nanos) {
    if (nanos < 4) {
      return (int) Math.max(nanos, 0);
    }
    int msb = 63 - Long.numberOfLeadingZeros(nanos);
    return msb * 4 + (int) ((nanos >>> (msb - 2)) & 3);
  }

  private static final class Histogram {
    private final int[] counts = new int[BUCKETS];
    private int total;

    synchronized int slowerThanP90ThenAdd(int bucket) {
      int slow;
      if (total < MIN_FLOWS) {
        slow = NO_P90;
      } else {
        int need = (int) Math.ceil(total * 0.9);
        int seen = 0;
        int p90 = 0;
        for (int i = 0; i < BUCKETS; i++) {
          seen += counts[i];
          if (seen >= need) {
            p90 = i;
            break;
          }
        }
        slow = bucket > p90 ? SLOWER : NOT_SLOWER;
      }
      counts[bucket]++;
      if (++total >= WINDOW) {
        total = 0;
        for (int i = 0; i < BUCKETS; i++) {
          counts[i] >>= 1;
          total += counts[i];
        }
      }
      return slow;
    }
  }
}
