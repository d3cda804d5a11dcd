package dev.reqflow.viewer.timeline;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Flow;

/** Which span is under a point of the plot: pure maths over the layout and the viewport. */
public final class HitTest {
  /** How far from a span a pointer still counts as on it, so thin spans stay clickable. */
  static final double SLOP_PX = 3;

  private HitTest() {}

  /**
   * The span at plot pixel {@code x} and content height {@code y} (scroll already added), or null.
   */
  public static TimelineModel.SpanRef at(TimelineLayout layout, Viewport v, double x, double y) {
    int r = layout.rowAt(y);
    if (r < 0) {
      return null;
    }
    TimelineLayout.Row row = layout.rows().get(r);
    Flow flow = layout.flow();
    long t0 = v.nanosAt(x - SLOP_PX);
    long t1 = v.nanosAt(x + SLOP_PX);
    long t = v.nanosAt(x);
    if (row.kind() == TimelineLayout.Kind.THREAD) {
      Block best = null;
      for (Block b : flow.lanes().get(row.lane()).blocks()) {
        if (b.startNanos() <= t1 && b.endNanos() >= t0) {
          if (best == null
              || distance(b.startNanos(), b.endNanos(), t)
                  < distance(best.startNanos(), best.endNanos(), t)) {
            best = b;
          }
        }
      }
      return best == null ? null : TimelineModel.SpanRef.block(best.spanId());
    }
    int i = TimelineLayout.firstEndingAtOrAfter(row, t0);
    int bestIdx = -1;
    long bestDist = Long.MAX_VALUE;
    // A call row's spans are its calls; a callee row's are the called flows, each standing for
    // the call it continues (selecting it selects the call, opening it opens the flow).
    for (; i < row.calls().length; i++) {
      if (row.starts()[i] > t1) {
        break;
      }
      long d = distance(row.starts()[i], row.ends()[i], t);
      if (d < bestDist) {
        bestDist = d;
        bestIdx = row.calls()[i];
      }
    }
    return bestIdx < 0 ? null : TimelineModel.SpanRef.call(bestIdx);
  }

  private static long distance(long start, long end, long t) {
    if (t < start) {
      return start - t;
    }
    return t > end ? t - end : 0;
  }
}
