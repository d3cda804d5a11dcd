package dev.reqflow.flow;

import java.util.List;
import java.util.Objects;

/**
 * What one thread of a flow in progress was doing when the snapshot was taken: waiting in a
 * recorded wait (on calls, on a task), or, outside one, in a {@code Thread.State} at a line.
 *
 * @param thread the thread
 * @param kind the wait's kind ({@code future.get}, {@code httpclient.send}...), or {@link
 *     #THREAD_STATE} for a thread in no recorded wait
 * @param state the thread's {@code Thread.State} for {@link #THREAD_STATE}, {@code ""} otherwise
 * @param sinceNanos when the wait began (epoch nanoseconds); the snapshot's time for {@link
 *     #THREAD_STATE}
 * @param site the application's line the thread is at
 * @param frame the innermost frame of the thread's stack ({@code jdk.internal.misc.Unsafe.park}),
 *     {@code ""} when unknown
 * @param waitingOn span ids of the calls whose completion would release the wait
 * @param taskState {@code queued} or {@code running} when it waits on a task, {@code ""} otherwise
 * @param taskExecutor the executor in whose queue that task waits, {@code ""} when not queued
 * @param taskThread the thread running that task, {@code ""} when not running
 * @param executor the executor whose worker this thread is, {@link ExecutorState#NONE} when none
 * @param blockSpanId the span id of the wait's block in the flow, {@code ""} for {@link
 *     #THREAD_STATE}
 */
public record ThreadNow(
    ThreadRef thread,
    String kind,
    String state,
    long sinceNanos,
    CodeLocation site,
    String frame,
    List<String> waitingOn,
    String taskState,
    String taskExecutor,
    String taskThread,
    ExecutorState executor,
    String blockSpanId) {

  /** The kind of a thread that was in no recorded wait. */
  public static final String THREAD_STATE = "thread.state";

  public static final String TASK_QUEUED = "queued";
  public static final String TASK_RUNNING = "running";

  public ThreadNow {
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(taskState, "taskState");
    Objects.requireNonNull(taskExecutor, "taskExecutor");
    Objects.requireNonNull(taskThread, "taskThread");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(blockSpanId, "blockSpanId");
    waitingOn = List.copyOf(waitingOn);
  }

  /** True when the thread was in a wait the agent records (not merely in a thread state). */
  public boolean waiting() {
    return !kind.equals(THREAD_STATE);
  }
}
