package dev.reqflow.analysis;

import dev.reqflow.whatif.Change;
import dev.reqflow.whatif.Prediction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Runs the rules on a flow, keeps what saves enough, ranks by saving. */
final class Suggestions {
  /** A suggestion must save at least this much... */
  static final long MIN_SAVING_NANOS = 5_000_000L;

  /** ...and at least this share of the flow: a good page gets none. */
  static final double MIN_SAVING_SHARE = 0.05;

  static final List<Rule> RULES =
      List.of(
          new ParallelizeRule(),
          new IssueEarlierRule(),
          new RaisePoolLimitRule(),
          new ReuseConnectionsRule(),
          new BlockingWaitOnDispatcherRule(),
          new TimeoutSlowCallRule(),
          new DuplicateCallRule(),
          new RetryBackoffRule(),
          new SerializedByLockRule(),
          new SemaphoreLimitRule(),
          new CloseResponseBodyRule());

  private Suggestions() {}

  static List<Suggestion> of(FlowContext ctx) {
    return report(ctx).suggestions();
  }

  /** The flow's suggestions, best first, and when there are none, why. */
  static FlowReport report(FlowContext ctx) {
    if (ctx.flow.inProgress()) {
      // Its calls and waits end at the snapshot, not where they will: no what-if holds.
      return new FlowReport(ctx.flow, ctx.path, List.of(), WhyNone.IN_PROGRESS);
    }
    List<Suggestion> out = new ArrayList<>();
    long min = minSaving(ctx);
    Suggestion best = null;
    for (Rule r : RULES) {
      for (Suggestion s : r.apply(ctx)) {
        if (best == null || s.savingNanos() > best.savingNanos()) {
          best = s;
        }
        if (s.savingNanos() >= min) {
          out.add(s);
        }
      }
    }
    out = Ranking.suggestions(out);
    return new FlowReport(ctx.flow, ctx.path, out, out.isEmpty() ? WhyNone.of(ctx, best, min) : "");
  }

  /** The least a suggestion must save on this flow. */
  static long minSaving(FlowContext ctx) {
    return Math.max(MIN_SAVING_NANOS, (long) (ctx.flow.durationNanos() * MIN_SAVING_SHARE));
  }

  /** A suggestion whose prediction is the replay of the change. */
  static Suggestion make(
      FlowContext ctx,
      SuggestionKind kind,
      String title,
      String explanation,
      Collection<String> spanIds,
      List<Change> changes) {
    Prediction p = ctx.predict(changes);
    return new Suggestion(
        kind,
        title,
        explanation,
        List.copyOf(spanIds),
        changes,
        p.predictedNanos(),
        p.savingNanos());
  }
}
