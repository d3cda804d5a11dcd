package dev.reqflow.agent.recorder;

import dev.reqflow.agent.content.CallContent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One outbound call: its span and what its phases have shown so far. Told by its content of the
 * earlier calls whose responses returned a value its request carries: each a {@code data} link.
 */
final class CallRecord implements CallContent.DataSources {
  /**
   * The span while the call runs; a no-op span once it ended, so that a record kept alive by the
   * application's futures (for links) does not keep the span's data alive too.
   */
  volatile Span span;

  /** What links to this call need, for as long as the record lives. */
  final SpanContext context;

  final FlowRecord flow;
  final String client;
  final boolean sync;
  final AtomicBoolean ended = new AtomicBoolean();
  volatile boolean listenerSeen;
  volatile boolean connectSeen;
  volatile boolean acquiredSeen;
  volatile boolean firstByteSeen;
  volatile String queueKind;
  volatile int status;

  /** The dispatched event was written: later leases (redirects, retries) add none. */
  volatile boolean dispatchedSeen;

  /** Whether {@code reqflow.connection.reused} is written yet. */
  volatile boolean reuseKnown;

  /** Which queue the call is in was decided (the first lease): later ones are the same call's. */
  volatile boolean queueDecided;

  /** The call leased a connection from a pool the agent sees: it ends when that is released. */
  volatile boolean pooled;

  /** The call holds a connection leased from its pool. */
  volatile boolean held;

  /** When the call last gave its connection back (0: never): where its body was done. */
  volatile long releasedNanos;

  /** The client's method that issued the call returned. */
  volatile boolean issued;

  /**
   * When the executor started the task that made the call (0: not made by a task, or written):
   * written as the dispatched event unless a narrower pool of the client queued the call.
   */
  volatile long taskStartNanos;

  /** The limit of that executor (0: unknown). */
  volatile int executorLimit;

  /**
   * Where its flow keeps the call while it is in progress (see FlowRecord), -1 when it does not.
   */
  volatile int openSlot = -1;

  /** What the request and response bodies tell, until the call ends; null when not looked at. */
  volatile CallContent content;

  /**
   * When the application was last seen using the response (0: not yet): the issuing method or the
   * callback returned, a read of its body returned. Where a call the client never ends is ended.
   */
  volatile long lastUsedNanos;

  /**
   * The call site found by walking the issuing thread's stack when the call was issued, if {@link
   * #siteWalked}: also the site of that thread's wait on the call while it is still inside the
   * client's method that issued it (the advice reports both), which has the same frames below.
   */
  volatile CodeSite walkedSite;

  volatile boolean siteWalked;

  /** Its watch while the application holds the response and the client has not ended the call. */
  volatile OpenResponses.Watch watch;

  private static final AtomicIntegerFieldUpdater<CallRecord> DELIVERY =
      AtomicIntegerFieldUpdater.newUpdater(CallRecord.class, "delivery");

  private static final int RESPONSE_DELIVERED = 1;
  private static final int BODY_DONE = 2;

  /**
   * For a client that says apart when the application has the response and when its body is done
   * (the JDK client): which of the two happened, {@link #RESPONSE_DELIVERED} and {@link
   * #BODY_DONE}.
   */
  private volatile int delivery;

  /** The application has the response; true when its body was done already (the call is over). */
  boolean responseDelivered() {
    return (DELIVERY.getAndUpdate(this, d -> d | RESPONSE_DELIVERED) & BODY_DONE) != 0;
  }

  /** The body is done; true when the application had the response already (the call is over). */
  boolean bodyDone() {
    return (DELIVERY.getAndUpdate(this, d -> d | BODY_DONE) & RESPONSE_DELIVERED) != 0;
  }

  @Override
  public void dependsOn(Object source) {
    span.addLink(((CallRecord) source).context, SpanWriter.DATA);
  }

  CallRecord(Span span, FlowRecord flow, String client, boolean sync) {
    this.span = span;
    this.context = span.getSpanContext();
    this.flow = flow;
    this.client = client;
    this.sync = sync;
  }
}
