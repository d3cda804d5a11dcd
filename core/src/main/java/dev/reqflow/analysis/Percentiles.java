package dev.reqflow.analysis;

/** Nearest-rank percentiles of sorted values. */
final class Percentiles {
  private Percentiles() {}

  static long nearestRank(long[] sorted, double q) {
    return sorted[rank(sorted.length, q)];
  }

  /** Index of the nearest-rank quantile q among n sorted values. */
  static int rank(int n, double q) {
    int rank = (int) Math.ceil(q * n);
    return Math.min(n - 1, Math.max(0, rank - 1));
  }
}
