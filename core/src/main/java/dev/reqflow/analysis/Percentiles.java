package dev.reqflow.analysis;

/** Nearest-rank percentiles of sorted values. */
final class Percentiles {
  private Percentiles() {}

  static long nearestRank(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }
}
