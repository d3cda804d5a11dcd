package dev.reqflow.viewer.timeline;

/**
 * Merges the visible calls of one row into runs of pixels: calls that would share a pixel with the
 * previous run are drawn as part of it, so a frame costs what the pixels can show, not what the
 * flow holds. One pass over the visible calls, no allocation.
 */
public final class PixelMerge {
  /** Calls narrower than this merge with neighbours that share their pixel. */
  public static final double MERGE_BELOW_PX = 2;

  private PixelMerge() {}

  /** Receives the runs, left to right. */
  public interface Sink {
    /**
     * A run from pixel {@code x0} to {@code x1} holding the row's calls {@code first..last}
     * (positions in {@link TimelineLayout.Row#calls()}).
     */
    void run(double x0, double x1, int first, int last);
  }

  /**
   * Emits the runs of the row's calls visible in the viewport.
   *
   * @param minWidthPx a run is at least this wide, so that a 1 µs call stays visible
   */
  public static void merge(TimelineLayout.Row row, Viewport v, double minWidthPx, Sink sink) {
    long[] starts = row.starts();
    long[] ends = row.ends();
    long origin = v.startNanos();
    long last = v.endNanos();
    double scale = v.widthPx() / v.spanNanos();
    int n = starts.length;
    int i = TimelineLayout.firstEndingAtOrAfter(row, origin);
    int first = -1;
    double runX0 = 0;
    double runX1 = 0;
    boolean runWide = false;
    for (; i < n; i++) {
      long start = starts[i];
      if (start > last) {
        break;
      }
      double x0 = (start - origin) * scale;
      double end = (ends[i] - origin) * scale;
      boolean narrow = end - x0 < MERGE_BELOW_PX;
      double x1 = Math.max(end, x0 + minWidthPx);
      // A wide call is drawn on its own with its phases; narrow neighbours within a pixel merge.
      if (first >= 0 && narrow && !runWide && x0 < runX1 + 1) {
        runX1 = Math.max(runX1, x1);
        continue;
      }
      if (first >= 0) {
        sink.run(runX0, runX1, first, i - 1);
      }
      first = i;
      runX0 = x0;
      runX1 = x1;
      runWide = !narrow;
    }
    if (first >= 0) {
      sink.run(runX0, runX1, first, i - 1);
    }
  }
}
