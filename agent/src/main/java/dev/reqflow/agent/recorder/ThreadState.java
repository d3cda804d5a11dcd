package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.ThreadRole;
import io.opentelemetry.context.Context;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * What the agent knows about one thread. Mutable and confined to its thread; the parts that change
 * when work is handed to the thread are saved and restored as a {@link Saved}.
 *
 * <p>One reader from outside: the stall watchdog ({@link StallWatch}), which finds every state in
 * {@link #ALL} and reads, without a lock, the flow the thread works for and the wait it is in now.
 * Those reads may be a moment stale, which a snapshot of a flow open for seconds can afford; the
 * wait is published with release/acquire so that its object and start are read together.
 */
final class ThreadState {
  private static final ThreadLocal<ThreadState> STATE = new ThreadLocal<>();

  /** Threads the watchdog can look at: at most this many live at once (then counted, not seen). */
  static final int MAX_WATCHED = 1 << 16;

  /**
   * Every thread that worked for a flow, weakly: registered once, when its state is made, which
   * happens only on a thread that works for a flow.
   */
  static final WeakIdentityMap<ThreadState, Boolean> ALL = new WeakIdentityMap<>(MAX_WATCHED);

  private static final VarHandle WAITING_SINCE;

  static {
    try {
      WAITING_SINCE =
          MethodHandles.lookup().findVarHandle(ThreadState.class, "waitingSince", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The thread this state is of. */
  final Thread thread = Thread.currentThread();

  /** What the thread waits on now (a future, a call), while {@link #waitingSince} is not 0. */
  private Object waitingOn;

  /** When the recorded wait the thread is in now began ({@code nanoTime}); 0 when in none. */
  @SuppressWarnings("unused") // through WAITING_SINCE
  private long waitingSince;

  FlowRecord flow;
  Context parent;
  TaskScope scope;
  CallRecord[] cause;
  CallRecord[] lastWaited;
  CallRecord issuing;

  /** Where the application built the request that the next call issued here comes from. */
  CodeSite pendingSite;

  String role;
  int blockDepth;
  int callDepth;

  /**
   * Flows entered on this thread that sampling left out at their start, not yet exited: while above
   * 0, nothing starts another flow here (see {@link FlowRecorder#SKIPPED}).
   */
  int skippedFlows;

  /**
   * The sampling decision {@link FlowRecorder#flowSkipped} drew for the flow about to start on this
   * thread, for the {@code flowEnter} that follows it; -1 when none is pending.
   */
  int decidedAtStart = -1;

  /**
   * For a virtual thread: when it blocked entering a monitor and unmounted, 0 when it did not.
   * Written and read by the threads that block and unblock it (JDK 24+), never by itself.
   */
  volatile long monitorBlockedAt;

  // Of the physical thread, not of the work handed to it: never saved, restored or reset.

  /** True while this thread is inside a counted socket operation (no double count if nested). */
  boolean inSocket;

  // A stretch of reads of one response body by this thread ({@link BodyReads}): the call (null
  // when none), where the flow's spans hang, the thread's role and the callback it ran in then,
  // the first read's start, the last read's end, the time inside reads, the line that read.
  CallRecord readCall;
  Context readParent;
  String readRole;
  CallRecord[] readCause;
  long readStart;
  long readLast;
  long readBlocked;
  CodeSite readSite;

  /** 1 while inside a recorded body read: a read that another read calls is not counted again. */
  int readDepth;

  /** The last calls this thread issued, newest at {@code issuedNext - 1}; made on first call. */
  private CallRecord[] issued;

  private int issuedNext;

  /** Calls remembered per thread for {@link #hasOpenCall}: sync calls are issued one at a time. */
  static final int ISSUED_KEPT = 4;

  /**
   * This thread's state, or null if the agent never followed work onto it. Allocates nothing on a
   * thread that has none ({@link StatefulThreads}).
   */
  static ThreadState peek() {
    return StatefulThreads.mayHaveState() ? STATE.get() : null;
  }

  /** This thread's state, created on first use. */
  static ThreadState current() {
    ThreadState ts = peek();
    if (ts == null) {
      ts = new ThreadState();
      StatefulThreads.counting(ts);
      STATE.set(ts);
      ALL.put(ts, Boolean.TRUE);
    }
    return ts;
  }

  /** The thread starts a recorded wait on {@code on} at {@code sinceNanos} (not 0). */
  void waiting(Object on, long sinceNanos) {
    waitingOn = on;
    WAITING_SINCE.setRelease(this, sinceNanos);
  }

  /** The thread's recorded wait ended. */
  void waited() {
    WAITING_SINCE.setRelease(this, 0L);
    waitingOn = null;
  }

  /** From any thread: when the wait in progress began, 0 when none; read before {@link #on()}. */
  long waitingSince() {
    return (long) WAITING_SINCE.getAcquire(this);
  }

  /** From any thread, after {@link #waitingSince()}: what the wait in progress is on, or null. */
  Object on() {
    return waitingOn;
  }

  /** Clears what this thread carried: it now runs the work of nothing but itself. */
  void reset(FlowRecord flow, Context parent) {
    this.flow = flow;
    this.parent = parent;
    this.scope = null;
    this.cause = null;
    this.lastWaited = null;
    this.issuing = null;
    this.pendingSite = null;
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
    if (isEventLoop(t, name)) {
      // Also when it started the flow: a WebFlux page renders on an event loop, which serves
      // every connection assigned to it and cannot block without stalling them.
      r = ThreadRole.CLIENT_DISPATCHER;
    } else if (flow != null && flow.renderThread == t && scope == null && cause == null) {
      r = ThreadRole.RENDER;
    } else if (name.startsWith("OkHttp ")
        || name.startsWith("HttpClient-")
        || name.startsWith("httpclient-dispatch-")) {
      // OkHttp's dispatcher, the JDK client's executor, Apache HttpClient 5's I/O dispatchers.
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

  /**
   * Reactor Netty's event-loop threads ({@code reactor-http-epoll-N}, {@code reactor-http-nio-N},
   * or a {@code LoopResources} of the application's own naming: their class says so).
   */
  static boolean isEventLoop(Thread t, String name) {
    return name.startsWith("reactor-http-")
        || t.getClass().getName().equals("reactor.netty.resources.DefaultLoopResources$EventLoop");
  }

  /** Remembers a call this thread issued, for {@link #hasOpenCall}. */
  void issued(CallRecord call) {
    CallRecord[] ring = issued;
    if (ring == null) {
      ring = new CallRecord[ISSUED_KEPT];
      issued = ring;
    }
    ring[issuedNext] = call;
    issuedNext = (issuedNext + 1) % ISSUED_KEPT;
  }

  /**
   * True when one of the last calls this thread issued for its current flow has not ended: the
   * thread's socket I/O is then that call's (a response body read after {@code execute} returned).
   * Calls of other flows do not count, so a call that never ends blinds one flow, not the thread.
   */
  boolean hasOpenCall() {
    CallRecord[] ring = issued;
    if (ring == null) {
      return false;
    }
    for (CallRecord c : ring) {
      if (c != null && c.flow == flow && !c.ended.get()) {
        return true;
      }
    }
    return false;
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
