package dev.reqflow.agent.recorder;

import dev.reqflow.agent.content.FlowTokens;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

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

  /** The span until the flow ends, then a no-op: calls still referenced must not keep it alive. */
  volatile Span span;

  /** Parent of the flow's children: the span's identity only, not the span. */
  final Context context;

  final Thread renderThread;

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
   * set as it began; null when they could.
   */
  volatile String lockWaitsUnseen;

  /** The inbound request's method, or null for a flow of a configured method. */
  volatile String method;

  /** What {@code flow.query} adds to the flow's name ({@code ?strategy=pool-2}), or "". */
  volatile String nameQuery = "";

  /** The server's template of the path ({@code http.route}) once it is known, else null. */
  volatile String route;

  /** What the flow's requests and responses carried, as keyed hashes; null once it ended. */
  volatile FlowTokens tokens = new FlowTokens();

  FlowRecord(Span span, Thread renderThread) {
    this.span = span;
    this.context = Context.root().with(Span.wrap(span.getSpanContext()));
    this.renderThread = renderThread;
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
}
