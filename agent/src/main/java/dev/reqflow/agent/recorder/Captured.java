package dev.reqflow.agent.recorder;

import io.opentelemetry.context.Context;

/** The context of a flow handed to an executor with a task, and when it was handed over. */
final class Captured {
  final FlowRecord flow;
  final Context parent;
  volatile long submitNanos;
  volatile int poolLimit;
  volatile String executorName;

  /** A call being issued when the task was handed over: the client's own work for it. */
  volatile CallRecord issuing;

  Captured(FlowRecord flow, Context parent, long submitNanos) {
    this.flow = flow;
    this.parent = parent;
    this.submitNanos = submitNanos;
  }
}
