package dev.reqflow.analysis;

/** Nearest-rank percentiles of sorted values. */
public final class Percentiles {
  private Percentiles() {}

  /** The nearest-rank quantile {@code q} (0..1) of {@code sorted}, which must not be empty. */
  public static long nearestRank(long[] sorted, double q) {
    return sorted[rank(sorted.length, q)];
  }

  /** Index of the nearest-rank quantile q among n sorted values. */
  static int rank(int n, double q) {
    int rank = (int) Math.ceil(q * n);
    return Math.min(n - 1, Math.max(0, rank - 1));
  }
}
