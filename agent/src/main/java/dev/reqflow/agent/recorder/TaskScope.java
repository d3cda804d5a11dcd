package dev.reqflow.agent.recorder;

import java.util.ArrayList;
import java.util.List;

/** A task running on an executor thread for a flow: the calls it made complete its future. */
final class TaskScope {
  final Captured captured;
  final long startNanos;
  final String poolName;

  /** The task's first calls, up to one past the link limit (see {@link Recorder#union}). */
  final List<CallRecord> calls = new ArrayList<>(2);

  boolean firstCallTaken;

  /**
   * The task object that runs (a {@code FutureTask}, or the agent's wrapper): a thread waiting on
   * that future waits for this thread, which a snapshot of a stalled flow says.
   */
  Object task;

  TaskScope(Captured captured, long startNanos, String poolName) {
    this.captured = captured;
    this.startNanos = startNanos;
    this.poolName = poolName;
  }
}
