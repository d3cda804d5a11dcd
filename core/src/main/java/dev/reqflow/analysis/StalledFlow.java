package dev.reqflow.analysis;

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
 * A flow that had not ended when its trace was written, judged and worded for every output: how
 * long it had been open, whether it stalled, its deadlocks, what each of its threads waited on and
 * its calls in progress. Reports list these first: a page that hangs is the worst outcome there is.
 *
 * @param deadlocks what {@link Deadlock#of} finds in it, one per executor
 */
public record StalledFlow(Flow flow, List<Deadlock> deadlocks) {
  public StalledFlow {
    Objects.requireNonNull(flow, "flow");
    deadlocks = List.copyOf(deadlocks);
  }

  /**
   * The flows in progress among {@code flows}: the deadlocked first, then the stalled, then those
   * merely running when the process stopped; the longest open first within each.
   */
  public static List<StalledFlow> of(List<Flow> flows) {
    List<StalledFlow> out = new ArrayList<>();
    for (Flow f : flows) {
      if (f.inProgress()) {
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

  /** True when it had been open for the agent's {@code stall.after} or more. */
  public boolean stalled() {
    return flow.stalled();
  }

  /**
   * {@code open 11.4 s when the process stopped: stalled (still open after stall.after, 1.00 s)},
   * or {@code open 12.0 s at its last snapshot, still running: stalled (...)}.
   */
  public String headline() {
    Stall st = flow.stall();
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
    long end = flow.endNanos();
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
      out.add(b.toString());
    }
    return out;
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

  /** The calls in progress, oldest first: {@code GET http://h/details0, open 10.2 s}. */
  public List<String> callsInProgress() {
    List<String> out = new ArrayList<>();
    for (Call c : flow.calls()) {
      if (flow.stall().callsInProgress().contains(c.spanId())) {
        out.add(c.label() + ", open " + Durations.format(c.durationNanos()));
      }
    }
    return out;
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
