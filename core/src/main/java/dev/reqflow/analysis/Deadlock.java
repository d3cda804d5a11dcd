package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.ExecutorState;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Stall;
import dev.reqflow.flow.ThreadNow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A deadlock of a flow in progress, read from its snapshot: the threads of one executor wait for
 * work that only a thread of that same executor can do, and every thread it may run is busy.
 *
 * <ul>
 *   <li>{@link Kind#QUEUED_TASK}: they wait on tasks queued behind them in their own executor (a
 *       fixed pool whose tasks submit child tasks to it and {@code get()} them) — a
 *       thread-starvation deadlock (Goetz et al., <i>Java Concurrency in Practice</i>, 8.1.1);
 *   <li>{@link Kind#CLIENT_EXECUTOR}: they block in calls of an HTTP client that runs its own work
 *       (the response's processing) on that executor: a JDK {@code HttpClient} built with {@code
 *       executor(pool)} whose {@code send()} runs in a stage on that pool (its responses are handed
 *       to the executor by the client's selector thread, {@code
 *       HttpClientImpl.DelegatingExecutor}).
 * </ul>
 *
 * Named only when the snapshot shows the executor saturated (as many threads running tasks as it
 * may run): with a thread free, the work would start and the waits end.
 *
 * @param executor the executor, as the snapshot saw it
 * @param threadNames its threads' names as a pattern ({@code pool-2-thread-*}), or the one name
 * @param threads how many of its threads the flow had waiting so
 * @param sites the application's lines where they wait
 * @param awaited what they wait for: the calls (labels) or the tasks ({@code a task queued in ...})
 */
public record Deadlock(
    Kind kind,
    ExecutorState executor,
    String threadNames,
    int threads,
    List<CodeLocation> sites,
    List<String> awaited) {

  /** How the executor's threads wait on work of their own executor. */
  public enum Kind {
    QUEUED_TASK("queued-task"),
    CLIENT_EXECUTOR("client-executor");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    /** The name in JSON output. */
    public String id() {
      return id;
    }
  }

  public Deadlock {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(threadNames, "threadNames");
    sites = List.copyOf(sites);
    awaited = List.copyOf(awaited);
  }

  /** The deadlocks of a flow in progress, one per executor; none for a flow that ended. */
  public static List<Deadlock> of(Flow flow) {
    Stall stall = flow.stall();
    if (!stall.inProgress()) {
      return List.of();
    }
    Map<String, Group> byExecutor = new LinkedHashMap<>();
    for (ThreadNow t : stall.threads()) {
      ExecutorState e = t.executor();
      if (!t.waiting() || !e.isKnown()) {
        continue;
      }
      Kind kind = null;
      List<String> awaited = new ArrayList<>();
      if (ThreadNow.TASK_QUEUED.equals(t.taskState()) && e.id().equals(t.taskExecutor())) {
        kind = Kind.QUEUED_TASK;
        awaited.add("a task queued in " + e.id());
      }
      for (String callId : t.waitingOn()) {
        if (e.id().equals(stall.callExecutors().get(callId))
            && stall.callsInProgress().contains(callId)) {
          kind = kind == null ? Kind.CLIENT_EXECUTOR : kind;
          Call c = flow.call(callId);
          awaited.add(c == null ? "call " + callId : c.label());
        }
      }
      if (kind != null) {
        Group g = byExecutor.computeIfAbsent(e.id(), k -> new Group());
        g.add(kind, t, awaited);
      }
    }
    List<Deadlock> out = new ArrayList<>();
    for (Group g : byExecutor.values()) {
      if (g.executor.saturated() || (g.executor.limit() > 0 && g.threads >= g.executor.limit())) {
        out.add(
            new Deadlock(
                g.kind,
                g.executor,
                ThreadNames.pattern(g.names),
                g.threads,
                List.copyOf(g.sites),
                List.copyOf(g.awaited)));
      }
    }
    return out;
  }

  /** The threads of one executor that wait on its own work, as they are gathered. */
  private static final class Group {
    Kind kind;
    ExecutorState executor = ExecutorState.NONE;
    int threads;
    final Set<String> names = new LinkedHashSet<>();
    final Set<CodeLocation> sites = new LinkedHashSet<>();
    final Set<String> awaited = new LinkedHashSet<>();

    void add(Kind k, ThreadNow t, List<String> what) {
      // A call of the client is the sharper diagnosis when both are seen.
      kind = kind == Kind.CLIENT_EXECUTOR ? kind : k;
      if (names.add(t.thread().label())) {
        threads++;
      }
      // The busiest view of the executor: the snapshot read it once per thread.
      if (t.executor().active() >= executor.active()) {
        executor = t.executor();
      }
      if (t.site().isKnown()) {
        sites.add(t.site());
      }
      awaited.addAll(what);
    }
  }

  /**
   * {@code Deadlock: both threads of executor ThreadPoolExecutor@5e9f23b4 (pool-2-thread-*) wait on
   * tasks queued behind them in that same executor (2 of 2 busy, 2 tasks queued): the tasks cannot
   * start until a thread is free, and none will be.}
   */
  public String sentence() {
    StringBuilder b = new StringBuilder("Deadlock: ");
    int limit = executor.limit();
    if (limit > 0 && threads >= limit) {
      b.append(limit == 2 ? "both" : "all " + limit).append(" threads of executor ");
    } else {
      b.append(threads).append(" of the ").append(limit).append(" threads of executor ");
    }
    b.append(executor.id()).append(" (").append(threadNames).append(") ");
    String busy = busy();
    if (kind == Kind.QUEUED_TASK) {
      b.append("wait on tasks queued behind them in that same executor (")
          .append(busy)
          .append("): the tasks cannot start until a thread is free, and none will be.");
    } else {
      b.append(
              "are blocked in calls of an HTTP client that runs its own work on that same executor (")
          .append(busy)
          .append("): the responses wait in its queue for a thread, and none will be free.");
    }
    return b.toString();
  }

  /** What to change, and where. */
  public String fix() {
    String where = sites.isEmpty() ? "" : ", at " + sitesLabel();
    if (kind == Kind.QUEUED_TASK) {
      return "Run the tasks they wait on in another executor, or compose their futures instead of"
          + " waiting on them in the executor's threads"
          + where
          + ".";
    }
    return "Give the HTTP client an executor of its own (HttpClient.Builder.executor), or compose"
        + " the call (sendAsync, thenCompose) instead of blocking in send() on the client's"
        + " executor"
        + where
        + ".";
  }

  /** The lines where the threads wait, for people: at most two, then how many more. */
  public String sitesLabel() {
    Set<String> labels = new LinkedHashSet<>();
    for (CodeLocation s : sites) {
      labels.add(s.label());
    }
    return Blindness.some(labels);
  }

  /** {@code 2 of 2 busy, 2 tasks queued}. */
  private String busy() {
    StringBuilder b = new StringBuilder();
    if (executor.active() >= 0) {
      b.append(executor.active()).append(" of ").append(executor.limit()).append(" busy");
    } else {
      b.append(executor.limit()).append(" at most");
    }
    if (executor.queued() >= 0) {
      b.append(", ")
          .append(executor.queued())
          .append(executor.queued() == 1 ? " task queued" : " tasks queued");
    }
    return b.toString();
  }
}
