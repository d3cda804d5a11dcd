package dev.reqflow.agent.recorder;

import dev.reqflow.agent.content.CallContent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.concurrent.atomic.AtomicBoolean;

/** One outbound call: its span and what its phases have shown so far. */
final class CallRecord {
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

  /** What the request and response bodies tell, until the call ends; null when not looked at. */
  volatile CallContent content;

  CallRecord(Span span, FlowRecord flow, String client, boolean sync) {
    this.span = span;
    this.context = span.getSpanContext();
    this.flow = flow;
    this.client = client;
    this.sync = sync;
  }
}
