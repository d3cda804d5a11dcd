package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Call;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One slow call that dominates the flow and is an outlier against its own history: suggest a
 * timeout from the distribution of that call across the flows analysed together.
 */
final class TimeoutSlowCallRule implements Rule {
  /** Fewer samples than this say nothing about a call's usual time. */
  static final int MIN_SAMPLES = 5;

  /** The call must hold the page up for at least this share of the flow. */
  static final double MIN_SHARE = 0.3;

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
      if (e.getValue() < MIN_SHARE * ctx.flow.durationNanos()) {
        continue;
      }
      int n = ctx.stats.count(c);
      if (n < MIN_SAMPLES) {
        continue;
      }
      long p50 = ctx.stats.quantile(c, 0.5);
      long p95 = ctx.stats.quantile(c, 0.95);
      // Twice the usual time, and above nine calls in ten: the tail, not the body.
      long timeout = roundUp(Math.max(ctx.stats.quantile(c, 0.9), 2 * p50));
      if (c.durationNanos() <= timeout * 3 / 2) {
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
              + n
              + " calls it took "
              + Durations.format(p50)
              + " (median), "
              + Durations.format(p95)
              + " (p95)."
              + "\nSet a "
              + Durations.format(timeout)
              + " timeout"
              + site
              + " (OkHttp callTimeout, HttpRequest.timeout) and fall back to a cached or default"
              + " result: this page would not wait for the slow tail, and the timeout would have"
              + " fired on "
              + Math.round(100 * ctx.stats.shareAbove(c, timeout))
              + "% of these calls.";
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

  /** Rounds up to a figure people would write in a configuration: 1, 10 or 50 ms steps. */
  static long roundUp(long nanos) {
    long ms = 1_000_000L;
    long step = nanos < 50 * ms ? ms : nanos < 1000 * ms ? 10 * ms : 50 * ms;
    return (nanos + step - 1) / step * step;
  }
}
