package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.PhaseKind;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Durations of the same call (site, method, host and path) across the flows analysed together. */
final class CallStats {
  private final Map<Key, long[]> sorted;
  private final Map<String, Long> handshake;

  /** What makes two calls "the same call": site, method, host and path without the query. */
  record Key(CodeLocation site, String method, String where) {
    @Override
    public String toString() {
      return site.label() + " " + method + " " + where;
    }
  }

  private CallStats(Map<Key, long[]> sorted, Map<String, Long> handshake) {
    this.sorted = sorted;
    this.handshake = handshake;
  }

  /** A growing array of durations. */
  private static final class Samples {
    long[] values = new long[8];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] sorted() {
      long[] a = Arrays.copyOf(values, size);
      Arrays.sort(a);
      return a;
    }
  }

  static CallStats of(List<Flow> flows) {
    Map<Key, Samples> raw = new HashMap<>();
    for (Flow f : flows) {
      List<Call> calls = f.calls();
      for (int i = 0; i < calls.size(); i++) {
        Call c = calls.get(i);
        raw.computeIfAbsent(key(c), k -> new Samples()).add(c.durationNanos());
      }
    }
    Map<Key, long[]> out = new HashMap<>(raw.size() * 2);
    raw.forEach((k, v) -> out.put(k, v.sorted()));
    return new CallStats(out, handshakes(flows));
  }

  /** Fewer samples than this of new or of reused connections say nothing about handshakes. */
  static final int MIN_HANDSHAKE_SAMPLES = 3;

  /**
   * Per request (method and URL without query, whatever the call site), how much later the first
   * byte came on a new connection than on a reused one, in medians: what a server or a remote
   * handshake costs that the connect phases do not show.
   */
  private static Map<String, Long> handshakes(List<Flow> flows) {
    // New connections first: most pages reuse theirs, and then there is nothing to compare.
    Map<String, Samples> fresh = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        long wait;
        if (c.connectionReuse() == ConnectionReuse.NEW
            && (wait = c.phaseNanos(PhaseKind.SERVER)) > 0) {
          fresh.computeIfAbsent(request(c), k -> new Samples()).add(wait);
        }
      }
    }
    if (fresh.isEmpty()) {
      return Map.of();
    }
    Map<String, Samples> reused = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        long wait;
        if (c.connectionReuse() == ConnectionReuse.REUSED
            && (wait = c.phaseNanos(PhaseKind.SERVER)) > 0) {
          String k = request(c);
          if (fresh.containsKey(k)) {
            reused.computeIfAbsent(k, x -> new Samples()).add(wait);
          }
        }
      }
    }
    Map<String, Long> out = new HashMap<>();
    fresh.forEach(
        (k, news) -> {
          Samples olds = reused.get(k);
          if (olds != null
              && olds.size >= MIN_HANDSHAKE_SAMPLES
              && news.size >= MIN_HANDSHAKE_SAMPLES) {
            long d =
                Percentiles.nearestRank(news.sorted(), 0.5)
                    - Percentiles.nearestRank(olds.sorted(), 0.5);
            if (d > 0) {
              out.put(k, d);
            }
          }
        });
    return out;
  }

  private static String request(Call c) {
    String url = c.url();
    int q = url.indexOf('?');
    return c.method() + " " + (q >= 0 ? url.substring(0, q) : url);
  }

  /** Extra wait for the first byte on a new connection to this call's URL, or 0 when unknown. */
  long handshakeNanos(Call c) {
    if (handshake.isEmpty()) {
      return 0;
    }
    return handshake.getOrDefault(request(c), 0L);
  }

  static Key key(Call c) {
    String url = c.url();
    int q = url.indexOf('?');
    if (q >= 0) {
      url = url.substring(0, q);
    }
    return new Key(c.callSite(), c.method(), url.isEmpty() ? c.hostPort() : url);
  }

  int count(Call c) {
    long[] a = sorted.get(key(c));
    return a == null ? 0 : a.length;
  }

  /** Share (0..1) of the call's durations above the given one. */
  double shareAbove(Call c, long nanos) {
    long[] a = sorted.get(key(c));
    if (a == null || a.length == 0) {
      return 0;
    }
    int above = 0;
    for (long v : a) {
      if (v > nanos) {
        above++;
      }
    }
    return (double) above / a.length;
  }

  /** The q-quantile (0..1) of the call's durations, nearest rank. */
  long quantile(Call c, double q) {
    long[] a = sorted.get(key(c));
    if (a == null || a.length == 0) {
      return 0;
    }
    return Percentiles.nearestRank(a, q);
  }
}
