package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CallMode;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.PhaseKind;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.flow.ThreadLane;
import dev.reqflow.flow.ThreadRef;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Serial calls that could be issued together: the render thread makes a synchronous call (itself,
 * or in a task it hands an executor), waits for it, then makes the next; or another thread that the
 * page waits for (Spring MVC's async executor running a {@code Callable}, a task whose future the
 * page joins) does the same while the page waits. Calls issued in the completion of another ({@code
 * callback}) keep their order, and so do calls that carry a value an earlier response returned
 * ({@code data}): the prediction issues them when it is there.
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
    if (serial.size() >= 2) {
      Set<String> ids = new LinkedHashSet<>();
      for (Call c : serial) {
        ids.add(c.spanId());
      }
      return List.of(
          suggestion(
              ctx,
              serial,
              ids,
              "The page makes these calls one after another, waiting for each before it issues"
                  + " the next:",
              true));
    }
    return onWaitedThreads(ctx);
  }

  /**
   * @param onRender the render thread's own serial calls: predicted issued together where it issued
   *     the first; else other threads' runs, each run's first call keeping its time
   */
  private static Suggestion suggestion(
      FlowContext ctx, List<Call> serial, Set<String> hoisted, String intro, boolean onRender) {
    Set<String> ids = new LinkedHashSet<>();
    for (Call c : serial) {
      ids.add(c.spanId());
    }
    // Predicted as the title says: together, where the page issued the first of them; the page's
    // waits before that stay before them. Issuing them with the page's first call as well is a
    // further change, said with its own figure when it saves clearly more.
    List<Change> change = List.of(new Change.IssueEarly(hoisted, onRender));
    String title = "Issue the " + serial.size() + " calls together instead of one after another";
    String explanation =
        intro
            + Explain.bullets(serial)
            + "\nIssue them together (OkHttp enqueue, HttpClient.sendAsync, or submit each to an"
            + " executor with a thread per call) where the page issues the first of them, then"
            + " wait for each result where the page needs it. A call that needs another's result"
            + " must still come after it."
            + (onRender ? sooner(ctx, hoisted, change) : "");
    return Suggestions.make(ctx, SuggestionKind.PARALLELIZE, title, explanation, ids, change);
  }

  /**
   * A sentence when issuing the calls with the page's first call, before the waits that come before
   * them, would save at least a tenth more of the flow than issuing them together where they are;
   * else {@code ""}.
   */
  private static String sooner(FlowContext ctx, Set<String> hoisted, List<Change> together) {
    long here = ctx.predict(together).predictedNanos();
    long first = ctx.predict(List.of(new Change.IssueEarly(hoisted, false))).predictedNanos();
    if (here - first < ctx.flow.durationNanos() / 10) {
      return "";
    }
    return " Issued even earlier, with the page's first call (before the waits that come before"
        + " them; only if they need nothing those calls return), the page would take "
        + Durations.format(first)
        + " instead of "
        + Durations.format(here)
        + ".";
  }

  /**
   * Serial synchronous calls on threads other than the render thread while the page waits for them:
   * each thread's calls one after another, the page blocked while they ran and released by one of
   * them. Threads that others depend on (a client's, the common pool) are the blocking-wait rule's.
   * The first call of each run keeps its time; the others are issued with it.
   */
  private static List<Suggestion> onWaitedThreads(FlowContext ctx) {
    Set<String> named = new java.util.HashSet<>();
    for (Block b : ctx.flow.renderBlocks()) {
      named.addAll(b.releasedBy());
    }
    List<Call> serial = new ArrayList<>();
    Set<String> hoisted = new LinkedHashSet<>();
    List<String> threads = new ArrayList<>();
    List<Call> run = new ArrayList<>();
    for (ThreadLane lane : ctx.flow.lanes()) {
      ThreadRef t = lane.thread();
      if (t.sameThread(ctx.flow.renderThread()) || !t.isKnown() || t.role().isShared()) {
        continue;
      }
      run.clear();
      List<Call> calls = new ArrayList<>(lane.issuedCalls());
      calls.sort(java.util.Comparator.comparingLong(Call::issueNanos));
      for (Call c : calls) {
        boolean fits =
            c.mode() == CallMode.SYNC
                && !hasCallbackDependency(c)
                && pageWaited(ctx, c)
                && !repeats(run, c);
        boolean follows =
            !run.isEmpty()
                && c.issueNanos() >= run.get(run.size() - 1).endNanos()
                && !queuedForAThread(c);
        if (fits && (run.isEmpty() || follows)) {
          run.add(c);
          continue;
        }
        take(run, named, serial, hoisted, threads, t);
        run.clear();
        if (fits) {
          run.add(c);
        }
      }
      take(run, named, serial, hoisted, threads, t);
    }
    if (serial.size() < 2) {
      return List.of();
    }
    String who =
        threads.size() == 1
            ? "Thread " + threads.get(0) + ", which the page waits for, makes"
            : "Threads " + String.join(", ", threads) + ", which the page waits for, make";
    return List.of(
        suggestion(
            ctx,
            serial,
            hoisted,
            who + " these calls one after another, waiting for each before it issues the next:",
            false));
  }

  /**
   * True when the call's task waited in an executor's queue for a thread: it was handed over before
   * this thread was free, so it runs after this thread's earlier call because the pool was full,
   * not because the code waited for that call before issuing it (two tasks, one after the other on
   * one worker: the pool's limit is the raise-pool-limit rule's).
   */
  private static boolean queuedForAThread(Call c) {
    return c.pool().kind() == PoolKind.EXECUTOR && c.phaseNanos(PhaseKind.QUEUED) > SLACK_NANOS;
  }

  /** Keeps a run of two or more calls when the page's waits name one of them. */
  private static void take(
      List<Call> run,
      Set<String> named,
      List<Call> serial,
      Set<String> hoisted,
      List<String> threads,
      ThreadRef t) {
    if (run.size() < 2 || run.stream().noneMatch(c -> named.contains(c.spanId()))) {
      return;
    }
    serial.addAll(run);
    for (Call c : run.subList(1, run.size())) {
      hoisted.add(c.spanId());
    }
    threads.add("'" + t.name() + "'");
  }

  /** True when the call ended while the render thread waited. */
  private static boolean pageWaited(FlowContext ctx, Call c) {
    for (Segment s : ctx.path.segments()) {
      if (s.kind() == Kind.BLOCKED
          && c.endNanos() > s.startNanos()
          && c.endNanos() <= s.endNanos() + SLACK_NANOS) {
        return true;
      }
    }
    return false;
  }

  /** A wait this close after a call's end is taken to have been released by it. */
  private static final long SLACK_NANOS = 2_000_000L;

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
