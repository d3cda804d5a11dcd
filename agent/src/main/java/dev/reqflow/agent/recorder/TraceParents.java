package dev.reqflow.agent.recorder;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/** Where a new flow hangs: the application's current span, an inbound header, or nowhere. */
final class TraceParents {
  private final AppTraceContext appTraceContext = new AppTraceContext();

  /**
   * The span our flow hangs below: the one current in the application's OpenTelemetry (its own API
   * or the OpenTelemetry Java agent's), which is the server span made from an inbound {@code
   * traceparent} when there is one; else the inbound {@code traceparent} itself. Every flow is
   * recorded, whatever the sampling decision of the trace it joins.
   */
  Context parentContext(String traceparent) {
    SpanContext parent = parse(appTraceContext.currentTraceparent());
    if (parent == null) {
      parent = parse(traceparent);
    }
    if (parent == null) {
      return Context.root();
    }
    SpanContext sampled =
        SpanContext.createFromRemoteParent(
            parent.getTraceId(),
            parent.getSpanId(),
            TraceFlags.getSampled(),
            parent.getTraceState());
    return Context.root().with(Span.wrap(sampled));
  }

  /**
   * The sampled flag of the trace a new flow joins (the application's current span, else {@code
   * traceparent}): 1 sampled, 0 not, -1 when it joins none.
   */
  int sampledFlag(String traceparent) {
    SpanContext parent = parse(appTraceContext.currentTraceparent());
    if (parent == null) {
      parent = parse(traceparent);
    }
    return parent == null ? -1 : parent.isSampled() ? 1 : 0;
  }

  static SpanContext parse(String tp) {
    if (tp == null || tp.length() < 55) {
      return null;
    }
    String[] parts = tp.trim().split("-");
    if (parts.length < 4 || parts[1].length() != 32 || parts[2].length() != 16) {
      return null;
    }
    SpanContext sc =
        SpanContext.createFromRemoteParent(
            parts[1],
            parts[2],
            TraceFlags.fromHex(parts[3].length() >= 2 ? parts[3] : "01", 0),
            TraceState.getDefault());
    return sc.isValid() ? sc : null;
  }
}
