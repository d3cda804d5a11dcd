package dev.reqflow.agent.recorder;

import io.opentelemetry.context.Context;

/** The context of a flow handed to an executor with a task, and when it was handed over. */
final class Captured {
  final FlowRecord flow;
  final Context parent;
  volatile long submitNanos;
  volatile int poolLimit;
  volatile String executorName;

  /**
   * The executor the task was handed to, for a snapshot of a stalled flow: whose queue it waits in
   * before it starts, whose worker the thread that runs it is.
   */
  volatile Object executor;

  /** A call being issued when the task was handed over: the client's own work for it. */
  volatile CallRecord issuing;

  /**
   * True when the task was handed over by a client's own work for a recorded call (issuing it,
   * running its completion, or a task of that work): OkHttp 5 connects on a task of its own. Its
   * socket I/O is the call's, not I/O the agent did not see.
   */
  volatile boolean forCall;

  Captured(FlowRecord flow, Context parent, long submitNanos) {
    this.flow = flow;
    this.parent = parent;
    this.submitNanos = submitNanos;
  }
}
