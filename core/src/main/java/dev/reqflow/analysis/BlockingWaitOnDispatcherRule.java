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
 * Waits on threads that others depend on: an HTTP client's dispatcher or callback threads, an event
 * loop, or workers of the common pool. While they wait, the calls and tasks that need them stall.
 *
 * <p>The replay frees those threads: calls that queued while they were stuck queue that much less.
 * The waits' own dependencies stay: a callback that waited for another call's data still needs it.
 * When the page itself renders on such a thread (a WebFlux handler on a Reactor Netty event loop)
 * the fix is to compose instead of waiting: the calls it issued only after a wait, without needing
 * its result, are issued with the first ones.
 */
final class BlockingWaitOnDispatcherRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    List<Block> stuck = new ArrayList<>();
    boolean commonPool = false;
    boolean onRender = false;
    long firstRenderWait = Long.MAX_VALUE;
    for (Block b : ctx.flow.blocks()) {
      // Reading its own response's body in a callback is the client's design: only that thread
      // can. On a render thread that others need (an event loop), it blocks them all the same.
      if (b.thread().role().isShared()
          && (!b.isBodyRead() || b.thread().sameThread(ctx.flow.renderThread()))) {
        stuck.add(b);
        commonPool |= b.thread().role() == ThreadRole.COMMON_POOL;
        if (b.thread().sameThread(ctx.flow.renderThread())) {
          onRender = true;
          firstRenderWait = Math.min(firstRenderWait, b.startNanos());
        }
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
    Set<String> blockIds = new LinkedHashSet<>();
    for (Block b : stuck) {
      blockIds.add(b.spanId());
    }
    List<Change> changes = new ArrayList<>();
    changes.add(new Change.FreeThreads(blockIds));
    String whose = commonPool ? "the common pool" : "the HTTP client's threads";
    String explanation;
    if (onRender) {
      Set<String> heldBack = heldBack(ctx, firstRenderWait);
      if (!heldBack.isEmpty()) {
        changes.add(new Change.IssueEarly(heldBack));
      }
      whose = "the event loop " + ctx.flow.renderThread().label();
      explanation =
          "The page renders on an event loop, which serves every connection assigned to it, and"
              + " waited there:"
              + list
              + "\nWhile it waits, no other request or response on that loop moves. Compose the"
              + " calls instead of waiting for them (Mono.zip, flatMap; WebClient's Mono as it is,"
              + " never block() or toFuture().join()), so that the calls are issued together and"
              + " the loop stays free. The saving counts the calls issued only after a wait; what"
              + " the page needs is still waited for.";
    } else {
      explanation =
          "The page's work waited on threads that other work needs:"
              + list
              + "\nThese threads run other calls' callbacks and tasks, which stall meanwhile."
              + " Chain the work instead (thenCompose, thenCombine, allOf), or wait on a thread of"
              + " your own. The saving counts the calls that queued for those threads; what the"
              + " waits were for is still waited for.";
    }
    String title = "Do not block " + whose + " at " + String.join(", ", sites);
    return List.of(
        Suggestions.make(
            ctx, SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER, title, explanation, ids, changes));
  }

  /**
   * Calls the render thread issued after it first waited, that need no other call's result (no
   * {@code callback} link): composed, they would have been issued with the first ones.
   */
  private static Set<String> heldBack(FlowContext ctx, long firstWait) {
    Set<String> ids = new LinkedHashSet<>();
    for (Call c : ctx.flow.calls()) {
      if (c.thread().sameThread(ctx.flow.renderThread())
          && c.issueNanos() > firstWait
          && !ParallelizeRule.hasCallbackDependency(c)) {
        ids.add(c.spanId());
      }
    }
    return ids;
  }
}
