package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One slow call that dominates the flow and lies in the tail of its own distribution (the same
 * call, on the same endpoint, across the flows analysed together, warm-up left out): suggest a
 * timeout at twice its usual time (or above nine usual calls in ten, when they vary more).
 *
 * <p>The tail is told from the body by the widest step in the sorted durations above the median: a
 * call that is slow on one page in three has a bimodal distribution whose 90th percentile lies in
 * the tail, so a percentile of the whole would call the tail usual. The body's median is the usual
 * time.
 */
final class TimeoutSlowCallRule implements Rule {
  /** Fewer samples than this say nothing about a call's usual time. */
  static final int MIN_SAMPLES = 5;

  /** The call must hold the page up for at least this share of the flow. */
  static final double MIN_SHARE = 0.3;

  /** A step between neighbouring durations at least this steep separates a tail from the body. */
  static final double TAIL_STEP = 2.0;

  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    // Calls are values with deep equality: identity is what is meant, and it is cheaper.
    Map<Call, Long> held = new IdentityHashMap<>();
    for (Segment s : ctx.path.segments()) {
      if (s.kind() == Kind.BLOCKED && s.releasedBy() != null) {
        held.merge(s.releasedBy(), s.durationNanos(), Long::sum);
      }
    }
    List<Suggestion> out = new ArrayList<>();
    for (Map.Entry<Call, Long> e : held.entrySet()) {
      Call c = e.getKey();
      if (e.getValue() < MIN_SHARE * ctx.flow.durationNanos() || ctx.stats.warmUp(c)) {
        continue;
      }
      long[] all = ctx.stats.durations(ctx.flow, c, MIN_SAMPLES);
      if (all.length < MIN_SAMPLES) {
        continue;
      }
      long[] body = ctx.stats.bodyOf(all);
      long usual = Percentiles.nearestRank(body, 0.5);
      // Twice the usual time, and above nine usual calls in ten: a wide body is not a tail.
      long timeout = roundUp(Math.max(2 * usual, Percentiles.nearestRank(body, 0.9)));
      // A call slow because its thread first waited for a lock (a synchronized client wrapper) is
      // not slow itself: a timeout would cut the wait for the lock, not the call's tail.
      long own = c.durationNanos() - lockWaitDuring(ctx.flow, c);
      if (own <= timeout * 3 / 2 || c.durationNanos() <= body[body.length - 1]) {
        continue;
      }
      String site = c.callSite().isKnown() ? " at " + c.callSite().label() : "";
      String title =
          "Give "
              + Explain.shortName(c)
              + " a "
              + Durations.format(timeout)
              + " timeout and a fallback";
      String explanation =
          Explain.shortName(c)
              + site
              + " took "
              + Durations.format(c.durationNanos())
              + " here; across "
              + all.length
              + " calls on this endpoint it usually took "
              + Durations.format(usual)
              + (body.length < all.length
                  ? ", and "
                      + Math.round(100.0 * (all.length - body.length) / all.length)
                      + "% of them were slow ("
                      + Durations.format(all[body.length])
                      + " or more)"
                  : "")
              + ".\nSet a "
              + Durations.format(timeout)
              + " timeout (twice its usual time, above nine usual calls in ten)"
              + site
              + " (OkHttp callTimeout, HttpRequest.timeout) and fall back to a cached or default"
              + " result: this page would not wait for the slow tail.";
      out.add(
          Suggestions.make(
              ctx,
              SuggestionKind.TIMEOUT_SLOW_CALL,
              title,
              explanation,
              List.of(c.spanId()),
              List.of(new Change.Timeout(c.spanId(), timeout))));
    }
    out.sort((a, b) -> a.spanIds().get(0).compareTo(b.spanIds().get(0)));
    return out;
  }

  /**
   * The body of sorted durations: all of them up to the widest step of at least {@link #TAIL_STEP}
   * above the median, or all of them when there is none.
   */
  static long[] body(long[] sorted) {
    int cut = sorted.length;
    double widest = TAIL_STEP;
    for (int i = (sorted.length - 1) / 2; i + 1 < sorted.length; i++) {
      double step = (double) sorted[i + 1] / Math.max(1, sorted[i]);
      if (step >= widest) {
        widest = step;
        cut = i + 1;
      }
    }
    return Arrays.copyOf(sorted, cut);
  }

  /** Rounds up to a figure people would write in a configuration: 1, 10 or 50 ms steps. */
  static long roundUp(long nanos) {
    long ms = 1_000_000L;
    long step = nanos < 50 * ms ? ms : nanos < 1000 * ms ? 10 * ms : 50 * ms;
    return (nanos + step - 1) / step * step;
  }

  /**
   * How long the call's thread waited for locks while the call was open (issue to end), ns. Not
   * {@link LockWaits#delayed}: that also counts a wait before the call was issued (a virtual thread
   * that takes the lock, then calls), which does not lengthen the call this rule judges.
   */
  static long lockWaitDuring(Flow flow, Call c) {
    long total = 0;
    for (Block b : flow.blocks()) {
      if (b.isLockWait() && b.thread().sameThread(c.thread())) {
        total +=
            Math.max(
                0, Math.min(b.endNanos(), c.endNanos()) - Math.max(b.startNanos(), c.startNanos()));
      }
    }
    return total;
  }
}
