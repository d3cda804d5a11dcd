package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CallMode;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Serial calls that could be issued together: the render thread makes a synchronous call (itself,
 * or in a task it hands an executor), waits for it, then makes the next. Calls issued in the
 * completion of another ({@code callback}) keep their order, and so do calls that carry a value an
 * earlier response returned ({@code data}): the prediction issues them when it is there.
 */
final class ParallelizeRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    if (ctx.renderWaitsOnSharedThread()) {
      return List.of();
    }
    List<Call> serial = new ArrayList<>();
    long previousWaitEnd = ctx.flow.startNanos();
    for (Segment s : ctx.path.segments()) {
      if (s.kind() != Kind.BLOCKED) {
        continue;
      }
      Call c = s.releasedBy();
      if (c != null
          && c.mode() == CallMode.SYNC
          && (byRender(ctx, c) || c.pool().kind() == PoolKind.EXECUTOR)
          && c.issueNanos() >= previousWaitEnd
          && !hasCallbackDependency(c)
          && serial.stream().noneMatch(x -> x == c)
          && !repeats(serial, c)) {
        serial.add(c);
      }
      previousWaitEnd = s.endNanos();
    }
    if (serial.size() < 2) {
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Call c : serial) {
      ids.add(c.spanId());
    }
    List<Change> change = List.of(new Change.IssueEarly(ids));
    String title = "Issue the " + serial.size() + " calls together instead of one after another";
    String explanation =
        "The page makes these calls one after another, waiting for each before it issues the next:"
            + Explain.bullets(serial)
            + "\nIssue them all first (OkHttp enqueue, HttpClient.sendAsync, or submit each to an"
            + " executor with a thread per call), then wait for each result where the page needs"
            + " it. A call that needs another's result must still come after it.";
    return List.of(
        Suggestions.make(ctx, SuggestionKind.PARALLELIZE, title, explanation, ids, change));
  }

  private static boolean byRender(FlowContext ctx, Call c) {
    return c.thread().sameThread(ctx.flow.renderThread()) || !c.thread().isKnown();
  }

  /** A repeat of an earlier request is the duplicate-call rule's business, not this one's. */
  private static boolean repeats(List<Call> earlier, Call c) {
    if (!c.requestKnown()) {
      return false;
    }
    for (Call e : earlier) {
      if (e.requestKey().equals(c.requestKey())) {
        return true;
      }
    }
    return false;
  }

  static boolean hasCallbackDependency(Call c) {
    for (Dependency d : c.dependencies()) {
      if (d.type() == DependencyType.CALLBACK) {
        return true;
      }
    }
    return false;
  }
}
