package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.ThreadRole;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Waits on threads that others depend on: an HTTP client's dispatcher or callback threads, or
 * workers of the common pool. While they wait, the calls and tasks that need them stall.
 *
 * <p>The saving is an estimate from the recording, not a replay: the time the page waited while
 * such a thread was stuck.
 */
final class BlockingWaitOnDispatcherRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    List<Block> stuck = new ArrayList<>();
    boolean commonPool = false;
    for (Block b : ctx.flow.blocks()) {
      if (b.thread().role().isShared() && !b.thread().sameThread(ctx.flow.renderThread())) {
        stuck.add(b);
        commonPool |= b.thread().role() == ThreadRole.COMMON_POOL;
      }
    }
    if (stuck.isEmpty()) {
      return List.of();
    }
    long saving = overlap(stuck, ctx.path);
    Set<String> sites = new LinkedHashSet<>();
    List<String> ids = new ArrayList<>();
    StringBuilder list = new StringBuilder();
    for (Block b : stuck) {
      String where = b.site().isKnown() ? b.site().label() : "an unknown line";
      sites.add(where);
      ids.add(b.spanId());
      list.append("\n  - ")
          .append(b.thread().label())
          .append(" waited ")
          .append(Durations.format(b.durationNanos()))
          .append(" at ")
          .append(where);
      List<String> waitedFor = new ArrayList<>();
      for (String id : b.releasedBy()) {
        Call c = ctx.flow.call(id);
        if (c != null) {
          waitedFor.add(Explain.shortName(c));
          if (!ids.contains(id)) {
            ids.add(id);
          }
        }
      }
      if (!waitedFor.isEmpty()) {
        list.append(" for ").append(String.join(", ", waitedFor));
      }
    }
    String whose = commonPool ? "the common pool" : "the HTTP client's threads";
    String title = "Do not block " + whose + " at " + String.join(", ", sites);
    String explanation =
        "The page's work waited on threads that other work needs:"
            + list
            + "\nThese threads run other calls' callbacks and tasks, which stall meanwhile."
            + " Chain the work instead (thenCompose, thenCombine, allOf), or wait on a thread of"
            + " your own. Saving estimated from the recording: the time the page waited"
            + " meanwhile.";
    return List.of(
        new Suggestion(
            SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER,
            title,
            explanation,
            ids,
            List.of(),
            ctx.flow.durationNanos() - saving,
            saving));
  }

  /** Time during which the render thread waited and at least one of the blocks was waiting. */
  private static long overlap(List<Block> blocks, CriticalPath path) {
    long total = 0;
    for (Segment s : path.segments()) {
      if (s.kind() != Kind.BLOCKED) {
        continue;
      }
      long coveredTo = s.startNanos();
      for (Block b : blocks) {
        long from = Math.max(b.startNanos(), coveredTo);
        long to = Math.min(b.endNanos(), s.endNanos());
        if (to > from) {
          total += to - from;
          coveredTo = to;
        }
      }
    }
    return total;
  }
}
