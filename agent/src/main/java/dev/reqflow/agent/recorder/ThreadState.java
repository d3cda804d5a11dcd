package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.ThreadRole;
import io.opentelemetry.context.Context;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * What the agent knows about one thread. Mutable and confined to its thread; the parts that change
 * when work is handed to the thread are saved and restored as a {@link Saved}.
 */
final class ThreadState {
  private static final ThreadLocal<ThreadState> STATE = new ThreadLocal<>();

  FlowRecord flow;
  Context parent;
  TaskScope scope;
  CallRecord[] cause;
  CallRecord[] lastWaited;
  CallRecord issuing;
  String role;
  int blockDepth;
  int callDepth;

  /**
   * For a virtual thread: when it blocked entering a monitor and unmounted, 0 when it did not.
   * Written and read by the threads that block and unblock it (JDK 24+), never by itself.
   */
  volatile long monitorBlockedAt;

  /** This thread's state, or null if the agent never followed work onto it. */
  static ThreadState peek() {
    return STATE.get();
  }

  /** This thread's state, created on first use. */
  static ThreadState current() {
    ThreadState ts = STATE.get();
    if (ts == null) {
      ts = new ThreadState();
      STATE.set(ts);
    }
    return ts;
  }

  /** Clears what this thread carried: it now runs the work of nothing but itself. */
  void reset(FlowRecord flow, Context parent) {
    this.flow = flow;
    this.parent = parent;
    this.scope = null;
    this.cause = null;
    this.lastWaited = null;
    this.issuing = null;
    this.role = null;
    this.callDepth = 0;
    this.blockDepth = 0;
  }

  /**
   * What the current thread (this state's) is to the flow it works for, one of {@link ThreadRole};
   * computed once per hand-off.
   */
  String role() {
    if (role != null) {
      return role;
    }
    Thread t = Thread.currentThread();
    String r;
    String name = t.getName();
    if (flow != null && flow.renderThread == t && scope == null && cause == null) {
      r = ThreadRole.RENDER;
    } else if (name.startsWith("OkHttp ") || name.startsWith("HttpClient-")) {
      r = ThreadRole.CLIENT_DISPATCHER;
    } else if (t instanceof ForkJoinWorkerThread
        && ((ForkJoinWorkerThread) t).getPool() == ForkJoinPool.commonPool()) {
      r = ThreadRole.COMMON_POOL;
    } else if (cause != null) {
      // Running a call's completion: the client's callback thread, whatever its name.
      r = ThreadRole.CLIENT_DISPATCHER;
    } else if (scope != null) {
      r = ThreadRole.EXECUTOR;
    } else {
      r = ThreadRole.OTHER;
    }
    role = r;
    return r;
  }

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
    workChanged();
  }

  /**
   * Publishes what this thread works for now (it just changed), for waits reported after the fact
   * ({@link WorkLog}) or by other threads ({@link VirtualThreads}). Call on the thread itself,
   * after a hand-off has set every field.
   */
  void workChanged() {
    WorkLog.work(this);
    VirtualThreads.work(this);
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
