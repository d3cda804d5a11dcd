package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Durations of the same call (site, method, host and path) across the flows analysed together. */
final class CallStats {
  private final Map<String, long[]> sorted;

  private CallStats(Map<String, long[]> sorted) {
    this.sorted = sorted;
  }

  static CallStats of(List<Flow> flows) {
    Map<String, long[]> raw = new HashMap<>();
    Map<String, Integer> sizes = new HashMap<>();
    for (Flow f : flows) {
      for (Call c : f.calls()) {
        String k = key(c);
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
    Map<String, long[]> out = new HashMap<>();
    for (Map.Entry<String, long[]> e : raw.entrySet()) {
      long[] arr = Arrays.copyOf(e.getValue(), sizes.get(e.getKey()));
      Arrays.sort(arr);
      out.put(e.getKey(), arr);
    }
    return new CallStats(out);
  }

  /** What makes two calls "the same call": site, method, host and path without the query. */
  static String key(Call c) {
    String url = c.url();
    int q = url.indexOf('?');
    if (q >= 0) {
      url = url.substring(0, q);
    }
    return c.callSite().label() + " " + c.method() + " " + (url.isEmpty() ? c.hostPort() : url);
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
