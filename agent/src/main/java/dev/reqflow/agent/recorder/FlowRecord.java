package dev.reqflow.agent.recorder;

import dev.reqflow.agent.content.FlowTokens;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/** One flow in progress: its span, the context its children hang from, its render thread. */
final class FlowRecord {
  /** The span until the flow ends, then a no-op: calls still referenced must not keep it alive. */
  volatile Span span;

  /** Parent of the flow's children: the span's identity only, not the span. */
  final Context context;

  final Thread renderThread;

  /** What the flow's requests and responses carried, as keyed hashes; null once it ended. */
  volatile FlowTokens tokens = new FlowTokens();

  FlowRecord(Span span, Thread renderThread) {
    this.span = span;
    this.context = Context.root().with(Span.wrap(span.getSpanContext()));
    this.renderThread = renderThread;
  }
}
