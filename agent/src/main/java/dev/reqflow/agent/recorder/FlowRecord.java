package dev.reqflow.agent.recorder;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/** One flow in progress: its span, the context its children hang from, its render thread. */
final class FlowRecord {
  final Span span;
  final Context context;
  final Thread renderThread;

  FlowRecord(Span span, Context context, Thread renderThread) {
    this.span = span;
    this.context = context;
    this.renderThread = renderThread;
  }
}
