package dev.reqflow.analysis;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.ThreadRole;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Waits on threads that others depend on: an HTTP client's dispatcher or callback threads, or
 * workers of the common pool. While they wait, the calls and tasks that need them stall.
 *
 * <p>The replay frees those threads: calls that queued while they were stuck queue that much less.
 * The waits' own dependencies stay: a callback that waited for another call's data still needs it.
 */
final class BlockingWaitOnDispatcherRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    List<Block> stuck = new ArrayList<>();
    boolean commonPool = false;
    for (Block b : ctx.flow.blocks()) {
      // Reading a response's body in its callback is the client's design: only that thread can.
      if (b.thread().role().isShared()
          && !b.thread().sameThread(ctx.flow.renderThread())
          && !b.isBodyRead()) {
        stuck.add(b);
        commonPool |= b.thread().role() == ThreadRole.COMMON_POOL;
      }
    }
    if (stuck.isEmpty()) {
      return List.of();
    }
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
            + " your own. The saving counts the calls that queued for those threads; what the"
            + " waits were for is still waited for.";
    Set<String> blockIds = new LinkedHashSet<>();
    for (Block b : stuck) {
      blockIds.add(b.spanId());
    }
    return List.of(
        Suggestions.make(
            ctx,
            SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER,
            title,
            explanation,
            ids,
            List.of(new Change.FreeThreads(blockIds))));
  }
}
