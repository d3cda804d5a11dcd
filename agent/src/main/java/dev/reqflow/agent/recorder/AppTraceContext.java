package dev.reqflow.agent.recorder;

import java.lang.reflect.Method;

/**
 * Reads the application's own current OpenTelemetry span, if the application uses the OpenTelemetry
 * API, as a W3C {@code traceparent}. Reflection on the application's classes: ours are relocated
 * and never the same classes.
 */
final class AppTraceContext {

  // Built at run time so that shading does not relocate the application's package name.
  private static final String SPAN_CLASS =
      String.join(".", "io", "opentelemetry", "api", "trace", "Span");

  private volatile ClassLoader lastLoader;
  private volatile Method[] methods;

  String currentTraceparent() {
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader == null) {
        loader = ClassLoader.getSystemClassLoader();
      }
      Method[] m = methods;
      if (loader != lastLoader) {
        m = lookup(loader);
      }
      if (m == null) {
        return null;
      }
      Object span = m[0].invoke(null);
      Object sc = m[1].invoke(span);
      if (!(Boolean) m[2].invoke(sc)) {
        return null;
      }
      Object flags = m[5].invoke(sc);
      return "00-" + m[3].invoke(sc) + "-" + m[4].invoke(sc) + "-" + m[6].invoke(flags);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private Method[] lookup(ClassLoader loader) {
    Method[] m = null;
    try {
      Class<?> span = Class.forName(SPAN_CLASS, false, loader);
      Class<?> sc = span.getMethod("getSpanContext").getReturnType();
      Method flags = sc.getMethod("getTraceFlags");
      m =
          new Method[] {
            span.getMethod("current"),
            span.getMethod("getSpanContext"),
            sc.getMethod("isValid"),
            sc.getMethod("getTraceId"),
            sc.getMethod("getSpanId"),
            flags,
            flags.getReturnType().getMethod("asHex")
          };
    } catch (ReflectiveOperationException | LinkageError e) {
      m = null;
    }
    methods = m;
    lastLoader = loader;
    return m;
  }
}
