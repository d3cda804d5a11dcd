package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.ThreadRole;
import java.util.ArrayList;
import java.util.List;

/**
 * A wait on a thread that others depend on: an HTTP client's dispatcher or callback thread, or a
 * worker of the common pool. While it waits, the calls and tasks that need it stall.
 *
 * <p>The saving is an estimate from the recording, not a replay: the time the page waited while
 * that thread was stuck.
 */
final class BlockingWaitOnDispatcherRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    List<Suggestion> out = new ArrayList<>();
    for (Block b : ctx.flow.blocks()) {
      ThreadRole role = b.thread().role();
      if (!role.isShared() || b.thread().sameThread(ctx.flow.renderThread())) {
        continue;
      }
      long overlap = 0;
      for (Segment s : ctx.path.segments()) {
        if (s.kind() == Kind.BLOCKED) {
          overlap +=
              Math.max(
                  0,
                  Math.min(s.endNanos(), b.endNanos()) - Math.max(s.startNanos(), b.startNanos()));
        }
      }
      List<String> ids = new ArrayList<>();
      ids.add(b.spanId());
      List<Call> waitedFor = new ArrayList<>();
      for (String id : b.releasedBy()) {
        Call c = ctx.flow.call(id);
        if (c != null) {
          ids.add(id);
          waitedFor.add(c);
        }
      }
      String where = b.site().isKnown() ? b.site().label() : "an unknown line";
      String whose =
          role == ThreadRole.COMMON_POOL
              ? "a common-pool worker (" + b.thread().label() + ")"
              : "the HTTP client's own thread " + b.thread().label();
      String title =
          role == ThreadRole.COMMON_POOL
              ? "Do not block the common pool at " + where
              : "Do not block the HTTP client's thread at " + where;
      String explanation =
          "At "
              + where
              + ", "
              + whose
              + " waited "
              + Durations.format(b.durationNanos())
              + (b.kind().isEmpty() ? "" : " in " + b.kind())
              + (waitedFor.isEmpty() ? "." : " for:" + Explain.bullets(waitedFor))
              + "\nThat thread runs other calls' callbacks and tasks, which stall meanwhile."
              + " Chain the work instead (thenCompose/thenCombine), or wait on a thread of your"
              + " own. Saving estimated from the recording: the time the page waited meanwhile.";
      long duration = ctx.flow.durationNanos();
      out.add(
          new Suggestion(
              SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER,
              title,
              explanation,
              ids,
              List.of(),
              duration - Math.min(overlap, b.durationNanos()),
              Math.min(overlap, b.durationNanos())));
    }
    return out;
  }
}
