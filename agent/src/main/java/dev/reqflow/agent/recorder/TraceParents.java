package dev.reqflow.agent.recorder;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Arrays;
import java.util.List;

/** Where a new flow hangs: the application's current span, inbound W3C headers, or nowhere. */
final class TraceParents {
  private final AppTraceContext appTraceContext = new AppTraceContext();

  /** A flow's parent and whether it is a server span already (then our flow is INTERNAL). */
  static final class Parent {
    static final Parent ROOT = new Parent(Context.root(), false);

    final Context context;

    /**
     * The application's current span is a SERVER span (the OpenTelemetry Java agent's, or the
     * application's own SDK's): semantic conventions have one server span per request, so our flow
     * is an INTERNAL child of it rather than a second SERVER span that service graphs would count.
     */
    final boolean insideServerSpan;

    Parent(Context context, boolean insideServerSpan) {
      this.context = context;
      this.insideServerSpan = insideServerSpan;
    }
  }

  /**
   * The span our flow hangs below: the one current in the application's OpenTelemetry (its own API
   * or the OpenTelemetry Java agent's), which is the server span made from an inbound {@code
   * traceparent} when there is one; else the inbound {@code traceparent} and {@code tracestate},
   * read by the W3C propagator (the flow span inherits the {@code tracestate}). Every flow is
   * recorded, whatever the sampling decision of the trace it joins.
   */
  Parent parent(String traceparent, String tracestate) {
    AppTraceContext.Current app = appTraceContext.current();
    SpanContext parent = app == null ? null : extract(app.traceparent, app.tracestate);
    if (parent == null) {
      parent = extract(traceparent, tracestate);
    }
    if (parent == null) {
      return Parent.ROOT;
    }
    SpanContext sampled =
        SpanContext.createFromRemoteParent(
            parent.getTraceId(),
            parent.getSpanId(),
            TraceFlags.getSampled(),
            parent.getTraceState());
    return new Parent(Context.root().with(Span.wrap(sampled)), app != null && app.server);
  }

  /**
   * The sampled flag of the trace a new flow joins (the application's current span, else {@code
   * traceparent}): 1 sampled, 0 not, -1 when it joins none.
   */
  int sampledFlag(String traceparent) {
    SpanContext parent = extract(appTraceContext.currentTraceparent(), null);
    if (parent == null) {
      parent = extract(traceparent, null);
    }
    return parent == null ? -1 : parent.isSampled() ? 1 : 0;
  }

  /** The remote span context of W3C trace context headers, or null when none is valid. */
  static SpanContext extract(String traceparent, String tracestate) {
    if (traceparent == null) {
      return null;
    }
    Context c =
        W3CTraceContextPropagator.getInstance()
            .extract(Context.root(), new String[] {traceparent, tracestate}, HEADERS);
    SpanContext sc = Span.fromContext(c).getSpanContext();
    return sc.isValid() ? sc : null;
  }

  /** The two headers, {@code traceparent} then {@code tracestate}, as the propagator reads them. */
  private static final TextMapGetter<String[]> HEADERS =
      new TextMapGetter<>() {
        private final List<String> keys = Arrays.asList("traceparent", "tracestate");

        @Override
        public Iterable<String> keys(String[] carrier) {
          return keys;
        }

        @Override
        public String get(String[] carrier, String key) {
          if (carrier == null) {
            return null;
          }
          return "traceparent".equals(key)
              ? carrier[0]
              : "tracestate".equals(key) ? carrier[1] : null;
        }
      };
}
