package dev.reqflow.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.reflect.Method;
import java.util.Collection;

/**
 * Keeps our OTLP/HTTP export out of the OpenTelemetry Java agent's traces. That agent instruments
 * the JDK {@code HttpClient} in every class loader, ours too: each export would become a client
 * span of the application's service, with a {@code traceparent} sent to our collector. The export
 * runs inside that agent's "suppress instrumentation" context instead (its executor instrumentation
 * carries the context to the thread that sends). Without that agent, a pass-through.
 */
final class UntracedByOtelAgent implements SpanExporter {

  // Built at run time so that shading does not relocate the other agent's package names.
  private static final String OTEL_AGENT_API =
      String.join(".", "io", "opentelemetry", "javaagent", "shaded", "io", "opentelemetry", "api");

  private final SpanExporter delegate;

  /** Looked up at the first export: the other agent's premain may run after ours. */
  private volatile Method suppress;

  private volatile boolean lookedUp;

  UntracedByOtelAgent(SpanExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    Method m = suppress();
    if (m == null) {
      return delegate.export(spans);
    }
    CompletableResultCode[] result = new CompletableResultCode[1];
    try {
      m.invoke(null, (Runnable) () -> result[0] = delegate.export(spans));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      if (result[0] == null) {
        return CompletableResultCode.ofFailure();
      }
    }
    return result[0];
  }

  private Method suppress() {
    if (!lookedUp) {
      suppress = lookup();
      lookedUp = true;
    }
    return suppress;
  }

  /**
   * {@code InstrumentationUtil.suppressInstrumentation(Runnable)}: in {@code api.internal} before
   * 1.66.
   */
  private static Method lookup() {
    for (String pkg : new String[] {".impl.", ".internal."}) {
      try {
        return Class.forName(OTEL_AGENT_API + pkg + "InstrumentationUtil", false, null)
            .getMethod("suppressInstrumentation", Runnable.class);
      } catch (ReflectiveOperationException | LinkageError e) {
        // Not this version of the agent, or no such agent.
      }
    }
    return null;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
