package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.PhaseKind;
import java.util.ArrayList;
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

  static CallStats of(List<Flow> flows) {
    Map<Key, long[]> raw = new HashMap<>();
    Map<Key, Integer> sizes = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        Key k = key(c);
        long[] arr = raw.get(k);
        int size = sizes.getOrDefault(k, 0);
        if (arr == null) {
          arr = new long[8];
        } else if (size == arr.length) {
          arr = Arrays.copyOf(arr, size * 2);
        }
        arr[size] = c.durationNanos();
        raw.put(k, arr);
        sizes.put(k, size + 1);
      }
    }
    Map<Key, long[]> out = new HashMap<>();
    for (Map.Entry<Key, long[]> e : raw.entrySet()) {
      long[] arr = Arrays.copyOf(e.getValue(), sizes.get(e.getKey()));
      Arrays.sort(arr);
      out.put(e.getKey(), arr);
    }
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
    Map<String, List<Long>> fresh = new HashMap<>();
    Map<String, List<Long>> reused = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        long wait = c.phaseNanos(PhaseKind.SERVER);
        if (wait == 0) {
          continue;
        }
        if (c.connectionReuse() == ConnectionReuse.NEW) {
          fresh.computeIfAbsent(request(c), k -> new ArrayList<>()).add(wait);
        } else if (c.connectionReuse() == ConnectionReuse.REUSED) {
          reused.computeIfAbsent(request(c), k -> new ArrayList<>()).add(wait);
        }
      }
    }
    Map<String, Long> out = new HashMap<>();
    fresh.forEach(
        (k, news) -> {
          List<Long> olds = reused.get(k);
          if (olds != null
              && olds.size() >= MIN_HANDSHAKE_SAMPLES
              && news.size() >= MIN_HANDSHAKE_SAMPLES) {
            long d = median(news) - median(olds);
            if (d > 0) {
              out.put(k, d);
            }
          }
        });
    return out;
  }

  private static long median(List<Long> values) {
    long[] a = values.stream().mapToLong(Long::longValue).sorted().toArray();
    return Percentiles.nearestRank(a, 0.5);
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
