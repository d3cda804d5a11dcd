package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CallMode;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Calls issued late: asynchronous calls that the page issued only after it had waited for another
 * call whose result they do not need ({@code after-wait}, or issued after a wait without a {@code
 * callback} link).
 */
final class IssueEarlierRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    if (ctx.renderWaitsOnSharedThread()) {
      return List.of();
    }
    long firstWait = Long.MAX_VALUE;
    for (Segment s : ctx.path.segments()) {
      if (s.kind() == Kind.BLOCKED) {
        firstWait = s.startNanos();
        break;
      }
    }
    List<Call> late = new ArrayList<>();
    for (Call c : ctx.flow.calls()) {
      if (c.mode() == CallMode.SYNC || ParallelizeRule.hasCallbackDependency(c)) {
        continue;
      }
      boolean onRender = c.thread().sameThread(ctx.flow.renderThread()) || !c.thread().isKnown();
      boolean afterWait = false;
      for (Dependency d : c.dependencies()) {
        afterWait |= d.type() == DependencyType.AFTER_WAIT;
      }
      if (afterWait || (onRender && c.issueNanos() > firstWait)) {
        late.add(c);
      }
    }
    if (late.isEmpty()) {
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    StringBuilder why = new StringBuilder();
    for (Call c : late) {
      ids.add(c.spanId());
      why.append("\n  - ").append(Explain.call(c)).append(", issued only after ");
      List<String> after = new ArrayList<>();
      for (Dependency d : c.dependencies()) {
        Call dep = ctx.flow.call(d.spanId());
        if (d.type() == DependencyType.AFTER_WAIT && dep != null) {
          after.add(Explain.shortName(dep));
        }
      }
      why.append(
          after.isEmpty() ? "the page had waited" : "waiting for " + String.join(", ", after));
    }
    String title =
        late.size() == 1
            ? "Issue " + Explain.shortName(late.get(0)) + " earlier, before the page waits"
            : "Issue " + late.size() + " calls earlier, before the page waits";
    String explanation =
        "The page waited for other calls before it issued "
            + (late.size() == 1 ? "this call" : "these calls")
            + ", although it did not pass their results on:"
            + why
            + "\nIssue "
            + (late.size() == 1 ? "it" : "them")
            + " together with the first calls (move the enqueue/sendAsync to the top of the"
            + " render), and wait where the result is used.";
    return List.of(
        Suggestions.make(
            ctx,
            SuggestionKind.ISSUE_EARLIER,
            title,
            explanation,
            ids,
            List.of(new Change.IssueEarly(ids))));
  }
}
