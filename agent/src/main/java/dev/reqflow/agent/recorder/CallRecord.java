package dev.reqflow.agent.recorder;

import io.opentelemetry.api.trace.Span;
import java.util.concurrent.atomic.AtomicBoolean;

/** One outbound call: its span and what its phases have shown so far. */
final class CallRecord {
  final Span span;
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

  CallRecord(Span span, FlowRecord flow, String client, boolean sync) {
    this.span = span;
    this.flow = flow;
    this.client = client;
    this.sync = sync;
  }
}
