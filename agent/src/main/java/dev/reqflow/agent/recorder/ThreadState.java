package dev.reqflow.agent.recorder;

import io.opentelemetry.context.Context;

/**
 * What the agent knows about one thread. Mutable and confined to its thread; the parts that change
 * when work is handed to the thread are saved and restored as a {@link Saved}.
 */
final class ThreadState {
  FlowRecord flow;
  Context parent;
  TaskScope scope;
  CallRecord[] cause;
  CallRecord[] lastWaited;
  CallRecord issuing;
  String role;
  int blockDepth;
  int callDepth;

  Saved save() {
    Saved s = new Saved(flow, parent, scope, cause, lastWaited, role, callDepth, blockDepth);
    s.issuing = issuing;
    return s;
  }

  void restore(Saved s) {
    flow = s.flow;
    parent = s.parent;
    scope = s.scope;
    cause = s.cause;
    lastWaited = s.lastWaited;
    role = s.role;
    callDepth = s.callDepth;
    blockDepth = s.blockDepth;
    issuing = s.issuing;
  }

  /** A snapshot to put back when a hand-off, a flow or a callback ends on this thread. */
  static final class Saved {
    final FlowRecord flow;
    final Context parent;
    final TaskScope scope;
    final CallRecord[] cause;
    final CallRecord[] lastWaited;
    final String role;
    final int callDepth;
    final int blockDepth;
    CallRecord issuing;
    Object payload;

    Saved(
        FlowRecord flow,
        Context parent,
        TaskScope scope,
        CallRecord[] cause,
        CallRecord[] lastWaited,
        String role,
        int callDepth,
        int blockDepth) {
      this.flow = flow;
      this.parent = parent;
      this.scope = scope;
      this.cause = cause;
      this.lastWaited = lastWaited;
      this.role = role;
      this.callDepth = callDepth;
      this.blockDepth = blockDepth;
    }
  }
}
