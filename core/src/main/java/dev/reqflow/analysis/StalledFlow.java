package dev.reqflow.analysis;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.ExecutorState;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Stall;
import dev.reqflow.flow.ThreadNow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A flow that had not ended when its trace was written, or that stalled and ended later (a page
 * that hung until a timeout), judged and worded for every output: how long it had been open,
 * whether it stalled, its deadlocks, what each of its threads waited on and its calls in progress,
 * as its last snapshot saw them. Reports list these first: a page that hangs is the worst outcome
 * there is, and one that ended after it hung must not read as a page that merely took long.
 *
 * @param deadlocks what {@link Deadlock#of} finds in it, one per executor
 */
public record StalledFlow(Flow flow, List<Deadlock> deadlocks) {
  public StalledFlow {
    Objects.requireNonNull(flow, "flow");
    deadlocks = List.copyOf(deadlocks);
  }

  /**
   * The flows in progress among {@code flows}, and those that stalled and ended later: the
   * deadlocked first, then the stalled, then those merely running when the process stopped; the
   * longest open first within each.
   */
  public static List<StalledFlow> of(List<Flow> flows) {
    List<StalledFlow> out = new ArrayList<>();
    for (Flow f : flows) {
      if (f.inProgress() || f.stalledThenEnded()) {
        out.add(new StalledFlow(f, Deadlock.of(f)));
      }
    }
    out.sort(
        Comparator.comparing((StalledFlow s) -> s.deadlocks.isEmpty())
            .thenComparing(s -> !s.flow.stalled())
            .thenComparing(
                Comparator.comparingLong((StalledFlow s) -> s.flow.durationNanos()).reversed())
            .thenComparing(s -> s.flow.traceId())
            .thenComparing(s -> s.flow.spanId()));
    return out;
  }

  /**
   * True when it had been open for the agent's {@code stall.after} or more: still open, or {@link
   * #ended()} later.
   */
  public boolean stalled() {
    return flow.stalled() || flow.stalledThenEnded();
  }

  /** True when it stalled and ended later: the flow's spans are its own, the snapshot its past. */
  public boolean ended() {
    return flow.stalledThenEnded();
  }

  /** How long it had been open at its last snapshot. */
  public long openAtSnapshotNanos() {
    return Math.max(0, flow.stall().atNanos() - flow.startNanos());
  }

  /**
   * {@code open 11.4 s when the process stopped: stalled (still open after stall.after, 1.00 s)},
   * or {@code open 12.0 s at its last snapshot, still running: stalled (...)}; of a flow that ended
   * later, {@code stalled: still open 2.03 s in, at its last snapshot (stall.after 2.00 s), then
   * ended after 4.25 s}.
   */
  public String headline() {
    Stall st = flow.stall();
    if (st.ended()) {
      StringBuilder b =
          new StringBuilder("stalled: still open ")
              .append(Durations.format(openAtSnapshotNanos()))
              .append(" in, at its last snapshot");
      if (st.stallAfterNanos() > 0) {
        b.append(" (stall.after ").append(Durations.format(st.stallAfterNanos())).append(")");
      }
      return b.append(", then ended after ")
          .append(Durations.format(flow.durationNanos()))
          .toString();
    }
    StringBuilder b = new StringBuilder("open ").append(Durations.format(flow.durationNanos()));
    b.append(
        Stall.REASON_EXIT.equals(st.reason())
            ? " when the process stopped"
            : " at its last snapshot, still running");
    if (stalled()) {
      b.append(": stalled");
      if (st.stallAfterNanos() > 0) {
        b.append(" (still open after stall.after, ")
            .append(Durations.format(st.stallAfterNanos()))
            .append(")");
      }
    } else {
      b.append(": in progress, not stalled");
      if (st.stallAfterNanos() > 0) {
        b.append(" (open less than stall.after, ")
            .append(Durations.format(st.stallAfterNanos()))
            .append(")");
      }
    }
    return b.toString();
  }

  /**
   * One line per thread of the flow, the render thread first: {@code pool-2-thread-1 (executor, a
   * worker of ThreadPoolExecutor@5e9f: 2 of 2 busy, 2 queued): waiting 11.1 s at
   * Page.section(Page.java:202) in future.get for a task queued in ThreadPoolExecutor@5e9f (its own
   * executor)}.
   */
  public List<String> threadLines() {
    List<String> out = new ArrayList<>();
    long end = flow.stall().atNanos();
    for (ThreadNow t : flow.stall().threads()) {
      StringBuilder b = new StringBuilder(t.thread().label());
      List<String> about = new ArrayList<>();
      about.add(t.thread().role().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      ExecutorState e = t.executor();
      if (e.isKnown()) {
        about.add("a worker of " + e.id() + executorState(e));
      }
      b.append(" (").append(String.join(", ", about)).append("): ");
      if (!t.waiting()) {
        b.append(t.state().isEmpty() ? "not in a recorded wait" : t.state());
        b.append(" at ").append(t.site().label());
        if (!t.frame().isEmpty()) {
          b.append(", in ").append(t.frame());
        }
        out.add(b.toString());
        continue;
      }
      b.append("waiting ")
          .append(Durations.format(Math.max(0, end - t.sinceNanos())))
          .append(" at ")
          .append(t.site().label())
          .append(" in ")
          .append(t.kind());
      b.append(awaited(t));
      b.append(after(t));
      out.add(b.toString());
    }
    return out;
  }

  /**
   * Of a flow that ended later, what became of a wait: {@code ; still waiting when the flow ended},
   * or {@code ; it ended after 4.00 s}. {@code ""} for a flow in progress.
   */
  private String after(ThreadNow t) {
    Stall st = flow.stall();
    if (!st.ended() || t.blockSpanId().isEmpty()) {
      return "";
    }
    if (st.openAtEnd().contains(t.blockSpanId())) {
      return "; still waiting when the flow ended";
    }
    for (Block b : flow.blocks()) {
      if (b.spanId().equals(t.blockSpanId())) {
        return "; the wait ended after " + Durations.format(b.durationNanos());
      }
    }
    return "";
  }

  /** {@code : 2 of 2 busy, 2 queued}, what the snapshot knew. */
  private static String executorState(ExecutorState e) {
    List<String> parts = new ArrayList<>();
    if (e.limit() > 0 && e.active() >= 0) {
      parts.add(e.active() + " of " + e.limit() + " busy");
    }
    if (e.queued() >= 0) {
      parts.add(e.queued() + " queued");
    }
    return parts.isEmpty() ? "" : ": " + String.join(", ", parts);
  }

  /** What a waiting thread waits for, as a phrase starting with a space; "" when unknown. */
  private String awaited(ThreadNow t) {
    List<String> calls = new ArrayList<>();
    for (String id : t.waitingOn()) {
      Call c = flow.call(id);
      String label = c == null ? "a call not in the trace" : c.label();
      if (flow.stall().callsInProgress().contains(id)) {
        label += " (in progress)";
      }
      calls.add(label);
    }
    StringBuilder b = new StringBuilder();
    if (!calls.isEmpty()) {
      b.append(" for ").append(Blindness.some(new java.util.LinkedHashSet<>(calls)));
    }
    if (ThreadNow.TASK_QUEUED.equals(t.taskState())) {
      b.append(calls.isEmpty() ? " for" : " and").append(" a task queued in ");
      b.append(t.taskExecutor().isEmpty() ? "an executor" : t.taskExecutor());
      if (t.executor().isKnown() && t.executor().id().equals(t.taskExecutor())) {
        b.append(" (its own executor)");
      }
    } else if (ThreadNow.TASK_RUNNING.equals(t.taskState())) {
      b.append(calls.isEmpty() ? " for" : " and").append(" a task running on ");
      b.append(t.taskThread().isEmpty() ? "another thread" : t.taskThread());
    }
    return b.toString();
  }

  /**
   * The calls in progress, oldest first: {@code GET http://h/details0, open 10.2 s}; of a flow that
   * ended later, those in progress at its snapshot, each with what became of it: {@code ..., still
   * in progress when the flow ended (open 4.1 s)} or {@code ..., ended after 2.4 s}.
   */
  public List<String> callsInProgress() {
    List<String> out = new ArrayList<>();
    Stall st = flow.stall();
    for (Call c : flow.calls()) {
      if (!st.callsInProgress().contains(c.spanId())) {
        continue;
      }
      String open = Durations.format(c.durationNanos());
      if (!st.ended()) {
        out.add(c.label() + ", open " + open);
      } else if (st.openAtEnd().contains(c.spanId())) {
        out.add(c.label() + ", still in progress when the flow ended (open " + open + ")");
      } else {
        out.add(c.label() + ", ended after " + open);
      }
    }
    return out;
  }

  /**
   * Of a flow that stalled on a deadlock and ended later, the render thread's wait that no call
   * released, put down to the deadlock: {@code The render thread's wait at
   * Page.render(Page.java:47) in completable.get, 4.00 s, ended with no call releasing it: the
   * deadlock held it.}; {@code ""} otherwise.
   */
  public String heldByDeadlock() {
    Block held = unreleasedRenderBlock(flow);
    if (!ended() || deadlocks.isEmpty() || held == null) {
      return "";
    }
    return "The render thread's wait"
        + (held.site().isKnown() ? " at " + held.site().label() : "")
        + " in "
        + held.kind()
        + ", "
        + Durations.format(held.durationNanos())
        + ", ended with no call releasing it: the deadlock held it.";
  }

  /**
   * The render thread's longest wait that nothing recorded released (no call linked, no thread
   * named), of a flow that stalled: null when there is none.
   */
  public static Block unreleasedRenderBlock(Flow flow) {
    Block longest = null;
    if (!flow.stall().taken()) {
      return null;
    }
    for (Block b : flow.renderBlocks()) {
      if (b.releasedBy().isEmpty()
          && b.completedBy().isEmpty()
          && !b.isLockWait()
          && !b.isSocketIo()
          && (longest == null || b.durationNanos() > longest.durationNanos())) {
        longest = b;
      }
    }
    return longest;
  }

  /**
   * {@code The snapshot left out 40 calls and waits in progress, past its size limit.}, or {@code
   * ""}.
   */
  public String leftOutSentence() {
    long n = flow.stall().leftOut();
    return n == 0
        ? ""
        : "The snapshot left out "
            + n
            + (n == 1 ? " call or wait" : " calls and waits")
            + " in progress, past its size limit.";
  }
}
