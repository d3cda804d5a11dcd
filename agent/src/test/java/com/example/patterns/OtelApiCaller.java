package com.example.patterns;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.function.Supplier;

/** An application that uses the OpenTelemetry API itself and has a span current. */
final class OtelApiCaller {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN_ID = "00f067aa0ba902b7";

  private OtelApiCaller() {}

  static String inCurrentSpan(Supplier<String> work) {
    SpanContext sc =
        SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());
    try (Scope ignored = Span.wrap(sc).makeCurrent()) {
      return work.get();
    }
  }
}
