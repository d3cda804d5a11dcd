package dev.reqflow.agent.recorder;

import dev.reqflow.agent.content.FlowTokens;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/** One flow in progress: its span, the context its children hang from, its render thread. */
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

  // What the agent could not see as calls, from any of the flow's threads (updaters: no
  // allocation per flow).
  volatile long unseenSocketNanos;
  volatile long unseenSocketOps;
  volatile long unseenWaitNanos;
  volatile int socketSpans;

  /** What the flow's requests and responses carried, as keyed hashes; null once it ended. */
  volatile FlowTokens tokens = new FlowTokens();

  FlowRecord(Span span, Thread renderThread) {
    this.span = span;
    this.context = Context.root().with(Span.wrap(span.getSpanContext()));
    this.renderThread = renderThread;
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
