package dev.reqflow.viewer.timeline;

/**
 * How much of each pixel column of the timeline narrow waits cover, exactly: a wait's share of a
 * column is the part of the column's time it spans, split across the columns it crosses. The
 * renderer draws each column's share as the height of the blocked band there, so that a flow of
 * many short waits (a 50,000-call page blocked 6% of its time) does not look blocked throughout.
 */
public final class BlockedCoverage {
  /** Waits narrower than this (pixels) are drawn as coverage rather than as a band of their own. */
  public static final double NARROW_PX = 3;

  private BlockedCoverage() {}

  /**
   * Adds the wait from pixel {@code x0} to {@code x1} (fractional, relative to the plot's left) to
   * the columns it covers; parts outside {@code 0..columns.length} are dropped.
   */
  public static void add(double[] columns, double x0, double x1) {
    double from = Math.max(0, x0);
    double to = Math.min(columns.length, x1);
    while (from < to) {
      int col = (int) Math.floor(from);
      double next = Math.min(to, col + 1.0);
      columns[col] += next - from;
      from = next;
    }
  }
}
