package dev.reqflow.agent.recorder;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * Reads the span current in the application's OpenTelemetry, as a W3C {@code traceparent}: the
 * application's own API (found through the thread's context class loader), else the OpenTelemetry
 * Java agent's (its shaded API on the bootstrap class path, where its server and client spans are
 * current even in an application that does not use OpenTelemetry itself). Reflection: ours are
 * relocated and never the same classes. Runs once per flow start; the methods are looked up once
 * per class loader.
 */
final class AppTraceContext {

  // Built at run time so that shading does not relocate the application's package names.
  private static final String API = String.join(".", "io", "opentelemetry", "api");
  private static final String SPAN_CLASS = API + ".trace.Span";
  private static final String OTEL_AGENT_SPAN_CLASS =
      String.join(".", "io", "opentelemetry", "javaagent", "shaded", SPAN_CLASS);

  /** Looked up once, at the first flow: the OpenTelemetry agent's premain has run by then. */
  private volatile SpanMethods otelAgent;

  /**
   * The last loader whose API was found, and its methods: those keep that loader alive, so only one
   * is held. Loaders without the API are remembered weakly, as a failed look-up costs an exception.
   */
  private volatile LoaderMethods last = new LoaderMethods(null, SpanMethods.ABSENT);

  private final WeakIdentityMap<ClassLoader, SpanMethods> withoutApi = new WeakIdentityMap<>();

  /** The application's current span, or null when it has none (or no OpenTelemetry). */
  static final class Current {
    /** Its W3C {@code traceparent}. */
    final String traceparent;

    /** Its W3C {@code tracestate} ({@code k=v,k=v}), or null when empty. */
    final String tracestate;

    /** It is a SERVER span ({@link SpanKinds}). */
    final boolean server;

    Current(String traceparent, String tracestate, boolean server) {
      this.traceparent = traceparent;
      this.tracestate = tracestate;
      this.server = server;
    }
  }

  Current current() {
    Current c = appMethods().current();
    if (c != null) {
      return c;
    }
    SpanMethods agent = otelAgent;
    if (agent == null) {
      agent = SpanMethods.lookup(OTEL_AGENT_SPAN_CLASS, null);
      otelAgent = agent;
    }
    return agent.current();
  }

  String currentTraceparent() {
    Current c = current();
    return c == null ? null : c.traceparent;
  }

  private SpanMethods appMethods() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    LoaderMethods l = last;
    if (l.loader == loader) {
      return l.methods;
    }
    if (withoutApi.get(loader) != null) {
      return SpanMethods.ABSENT;
    }
    SpanMethods m = SpanMethods.lookup(SPAN_CLASS, loader);
    if (m == SpanMethods.ABSENT) {
      withoutApi.put(loader, m);
    } else {
      last = new LoaderMethods(loader, m);
    }
    return m;
  }

  private static final class LoaderMethods {
    final ClassLoader loader;
    final SpanMethods methods;

    LoaderMethods(ClassLoader loader, SpanMethods methods) {
      this.loader = loader;
      this.methods = methods;
    }
  }

  /** {@code Span.current().getSpanContext()} and what it is read with, of one copy of the API. */
  private static final class SpanMethods {
    private static final SpanMethods ABSENT = new SpanMethods(null);

    private final Method[] m;

    private SpanMethods(Method[] m) {
      this.m = m;
    }

    static SpanMethods lookup(String spanClass, ClassLoader loader) {
      try {
        Class<?> span = Class.forName(spanClass, false, loader);
        Class<?> sc = span.getMethod("getSpanContext").getReturnType();
        Method flags = sc.getMethod("getTraceFlags");
        Method state = sc.getMethod("getTraceState");
        return new SpanMethods(
            new Method[] {
              span.getMethod("current"),
              span.getMethod("getSpanContext"),
              sc.getMethod("isValid"),
              sc.getMethod("getTraceId"),
              sc.getMethod("getSpanId"),
              flags,
              flags.getReturnType().getMethod("asHex"),
              state,
              state.getReturnType().getMethod("asMap")
            });
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return ABSENT;
      }
    }

    /** The W3C header of a {@code TraceState.asMap()}, in its order; null when empty. */
    private static String tracestate(Map<?, ?> entries) {
      if (entries == null || entries.isEmpty()) {
        return null;
      }
      StringBuilder b = new StringBuilder();
      for (Map.Entry<?, ?> e : entries.entrySet()) {
        if (b.length() > 0) {
          b.append(',');
        }
        b.append(e.getKey()).append('=').append(e.getValue());
      }
      return b.toString();
    }

    Current current() {
      if (m == null) {
        return null;
      }
      try {
        Object span = m[0].invoke(null);
        Object sc = m[1].invoke(span);
        if (!(Boolean) m[2].invoke(sc)) {
          return null;
        }
        Object flags = m[5].invoke(sc);
        return new Current(
            "00-" + m[3].invoke(sc) + "-" + m[4].invoke(sc) + "-" + m[6].invoke(flags),
            tracestate((Map<?, ?>) m[8].invoke(m[7].invoke(sc))),
            SpanKinds.isServer(span));
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return null;
      }
    }
  }
}
