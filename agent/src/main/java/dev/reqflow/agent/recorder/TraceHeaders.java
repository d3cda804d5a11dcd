package dev.reqflow.agent.recorder;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * The W3C trace-context headers ({@code traceparent}, {@code tracestate}) an outbound call carries,
 * so that the flow of a service it calls that runs reqflow (or any OpenTelemetry instrumentation)
 * continues this trace as a child of the call's span. Written by the W3C propagator of the
 * OpenTelemetry API, from the call's span context, which is known when the call is issued.
 *
 * <p>None when propagation is off ({@code propagate=off}), or when the OpenTelemetry Java agent
 * runs in the same JVM: it instruments the same clients and injects its own client span's context;
 * a second header, or ours over its own, would break its traces. The advice also leaves alone a
 * request that already carries a {@code traceparent} (the application's own instrumentation).
 */
final class TraceHeaders {
  // The OpenTelemetry Java agent's API, on the bootstrap class path (as AppTraceContext reads it);
  // built at run time so that shading does not relocate it.
  private static final String OTEL_AGENT_CLASS =
      String.join(
          ".",
          "io",
          "opentelemetry",
          "javaagent",
          "shaded",
          "io",
          "opentelemetry",
          "api",
          "trace",
          "Span");

  private static final TextMapSetter<List<String>> SETTER =
      (carrier, key, value) -> {
        if (carrier != null) {
          carrier.add(key);
          carrier.add(value);
        }
      };

  private final boolean enabled;

  /**
   * Whether the OpenTelemetry Java agent runs: looked up at the first call, after every premain.
   */
  private volatile Boolean otelAgent;

  TraceHeaders(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * The headers for a call whose span is {@code call}, as name, value, name, value; null when none
   * are to be sent.
   */
  String[] of(SpanContext call) {
    if (!enabled || !call.isValid() || otelAgentRuns()) {
      return null;
    }
    List<String> headers = new ArrayList<>(4);
    W3CTraceContextPropagator.getInstance()
        .inject(Context.root().with(Span.wrap(call)), headers, SETTER);
    return headers.isEmpty() ? null : headers.toArray(new String[0]);
  }

  /**
   * Adds the headers of {@code call} to the request of {@code c}, which has not connected yet,
   * unless it carries a {@code traceparent} already.
   */
  void addTo(HttpURLConnection c, SpanContext call) {
    String[] headers = of(call);
    if (headers == null || c.getRequestProperty(headers[0]) != null) {
      return;
    }
    try {
      for (int i = 0; i + 1 < headers.length; i += 2) {
        c.setRequestProperty(headers[i], headers[i + 1]);
      }
    } catch (IllegalStateException connectedAlready) {
      // Connected by a path the advice does not see: the request left without them.
    }
  }

  private boolean otelAgentRuns() {
    Boolean runs = otelAgent;
    if (runs == null) {
      runs = present(OTEL_AGENT_CLASS);
      otelAgent = runs;
    }
    return runs;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, null);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
