package dev.reqflow.sample.hammer;

import java.util.Arrays;

/**
 * The page times of one strategy under load, in milliseconds.
 *
 * @param strategy the strategy loaded
 * @param millis the time of each page that loaded, in any order
 * @param errors how many pages failed (not counted in the times)
 */
public record PageTimes(String strategy, long[] millis, int errors) {
  public int pages() {
    return millis.length;
  }

  /** The nearest-rank percentile: the smallest time at least {@code p}% of pages were within. */
  public long percentile(double p) {
    if (millis.length == 0) {
      return 0;
    }
    long[] sorted = millis.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  public long max() {
    return percentile(100);
  }
}
