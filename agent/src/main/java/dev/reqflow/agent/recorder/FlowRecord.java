package dev.reqflow.agent.recorder;

import dev.reqflow.agent.content.FlowTokens;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One flow in progress: its span, the context its children hang from, its render thread. A flow may
 * outlive the thread that started it (servlet async, a reactive server): it is then detached from
 * that thread, work on other threads attaches to it, and any thread ends it.
 */
final class FlowRecord {
  private static final AtomicLongFieldUpdater<FlowRecord> SOCKET_NANOS =
      AtomicLongFieldUpdater.newUpdater(FlowRecord.class, "unseenSocketNanos");
  private static final AtomicLongFieldUpdater<FlowRecord> SOCKET_OPS =
      AtomicLongFieldUpdater.newUpdater(FlowRecord.class, "unseenSocketOps");
  private static final AtomicLongFieldUpdater<FlowRecord> WAIT_NANOS =
      AtomicLongFieldUpdater.newUpdater(FlowRecord.class, "unseenWaitNanos");
  private static final AtomicIntegerFieldUpdater<FlowRecord> SOCKET_SPANS =
      AtomicIntegerFieldUpdater.newUpdater(FlowRecord.class, "socketSpans");

  @SuppressWarnings("rawtypes")
  private static final java.util.concurrent.atomic.AtomicReferenceFieldUpdater<
          FlowRecord, AtomicReferenceArray>
      OPEN_CALLS =
          java.util.concurrent.atomic.AtomicReferenceFieldUpdater.newUpdater(
              FlowRecord.class, AtomicReferenceArray.class, "openCalls");

  private static final AtomicIntegerFieldUpdater<FlowRecord> CALLS_NOT_KEPT =
      AtomicIntegerFieldUpdater.newUpdater(FlowRecord.class, "openCallsNotKept");

  /**
   * Calls in progress a flow keeps for a snapshot, should it stall: past this many at once, the
   * others are counted ({@link #openCallsNotKept}) and the snapshot says how many it left out.
   */
  static final int OPEN_CALLS_KEPT = 32;

  /** The span until the flow ends, then a no-op: calls still referenced must not keep it alive. */
  volatile Span span;

  /** Parent of the flow's children: the span's identity only, not the span. */
  final Context context;

  final Thread renderThread;

  /**
   * Its trace's entry in the hold ({@code keep.slow}, {@code keep.slower}: the flows of a trace are
   * decided together); null otherwise.
   */
  HeldSpans.Trace trace;

  /** Whether its start left its sampling to its end. */
  boolean undecided;

  /** When the flow started ({@code nanoTime}). */
  final long startNanos;

  /** The recorder's state this flow belongs to: a watchdog snapshots its own recorder's flows. */
  final Followed owner;

  /** Calls of the flow in progress, in slots claimed by CAS; made with the flow's first call. */
  private volatile AtomicReferenceArray<CallRecord> openCalls;

  /** Calls in progress that found every slot of {@link #openCalls} taken. */
  private volatile int openCallsNotKept;

  /** Snapshots written of this flow; written by the snapshot writer only, under its lock. */
  int snapshots;

  /** The flow's age at which the next stalled snapshot is due; the writer's, under its lock. */
  long nextSnapshotAgeNanos;

  /** What the last snapshot held, to skip one that would hold the same; the writer's. */
  long lastSnapshotSignature;

  /** Counted once among the stalled flows; the writer's. */
  boolean countedStalled;

  /** Set once, by whichever thread ends the flow first. */
  final AtomicBoolean ended = new AtomicBoolean();

  /** When the render thread returned with the flow still open; 0 while it has not. */
  volatile long detachedNanos;

  /** The response wait (from {@link #detachedNanos} to the async result) has been written. */
  final AtomicBoolean waitWritten = new AtomicBoolean();

  /**
   * The calls whose completion the flow's work last ran in (a client's callback, a future's
   * dependent action): what released the response when the thread that writes it knows no better.
   */
  volatile CallRecord[] lastCause;

  /** The application asked to complete the response while a thread still worked in the flow. */
  volatile boolean completeRequested;

  /**
   * Threads inside the flow's dispatches right now (the one that started it, those attached to it):
   * while there is one, it ends the flow on its way out.
   */
  final AtomicInteger dispatches = new AtomicInteger(1);

  // What the agent could not see as calls, from any of the flow's threads (updaters: no
  // allocation per flow).
  volatile long unseenSocketNanos;
  volatile long unseenSocketOps;
  volatile long unseenWaitNanos;
  volatile int socketSpans;

  /**
   * Why the flow's waits for monitors could not be recorded ({@code reqflow.unseen.lock_waits}),
   * set as it began (on its span too); null when they could.
   */
  volatile String lockWaitsUnseen;

  /** The inbound request's method, or null for a flow of a configured method. */
  volatile String method;

  /** What {@code flow.query} adds to the flow's name ({@code ?strategy=pool-2}), or "". */
  volatile String nameQuery = "";

  /**
   * The flow's name as it started ({@code GET /product/1}, {@code Jobs.run}): its endpoint until a
   * route names it.
   */
  volatile String startName;

  /** The server's template of the path ({@code http.route}) once it is known, else null. */
  volatile String route;

  /** What the flow's requests and responses carried, as keyed hashes; null once it ended. */
  volatile FlowTokens tokens = new FlowTokens();

  FlowRecord(Span span, Thread renderThread, long startNanos, Followed owner) {
    this.span = span;
    this.context = Context.root().with(Span.wrap(span.getSpanContext()));
    this.renderThread = renderThread;
    this.startNanos = startNanos;
    this.owner = owner;
  }

  boolean detached() {
    return detachedNanos != 0L;
  }

  void addUnseenSocket(long nanos) {
    SOCKET_NANOS.addAndGet(this, nanos);
    SOCKET_OPS.incrementAndGet(this);
  }

  void addUnseenWait(long nanos) {
    WAIT_NANOS.addAndGet(this, nanos);
  }

  /** Takes one of the {@code limit} block spans a flow may have for its socket operations. */
  boolean takeSocketSpan(int limit) {
    return SOCKET_SPANS.getAndIncrement(this) < limit;
  }

  /** A call of this flow was issued: kept for a snapshot while it is in progress. */
  void callOpened(CallRecord call) {
    AtomicReferenceArray<CallRecord> slots = openCalls;
    if (slots == null) {
      OPEN_CALLS.compareAndSet(this, null, new AtomicReferenceArray<CallRecord>(OPEN_CALLS_KEPT));
      slots = openCalls;
    }
    // Any start spreads the calls; not the record's identity hash, whose first use is a call into
    // the VM on every recorded call.
    int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(OPEN_CALLS_KEPT);
    for (int i = 0; i < OPEN_CALLS_KEPT; i++) {
      int slot = (start + i) % OPEN_CALLS_KEPT;
      if (slots.get(slot) == null && slots.compareAndSet(slot, null, call)) {
        call.openSlot = slot;
        return;
      }
    }
    CALLS_NOT_KEPT.incrementAndGet(this);
  }

  /** A call of this flow ended. */
  void callClosed(CallRecord call) {
    int slot = call.openSlot;
    AtomicReferenceArray<CallRecord> slots = openCalls;
    if (slot >= 0 && slots != null) {
      slots.compareAndSet(slot, call, null);
    } else if (slot < 0) {
      CALLS_NOT_KEPT.decrementAndGet(this);
    }
  }

  /** The calls in progress the flow keeps now, for a snapshot (any thread). */
  java.util.List<CallRecord> openCalls() {
    AtomicReferenceArray<CallRecord> slots = openCalls;
    java.util.List<CallRecord> out = new java.util.ArrayList<>();
    if (slots != null) {
      for (int i = 0; i < slots.length(); i++) {
        CallRecord c = slots.get(i);
        if (c != null && !c.ended.get()) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** Calls in progress that the flow could not keep for a snapshot. */
  int openCallsNotKept() {
    return Math.max(0, openCallsNotKept);
  }
}
