package dev.reqflow.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * A span exporter built at its first export, on the batch processor's thread: {@code premain}
 * neither builds an HTTP client (the JDK's default TLS context alone costs 0.14 s) nor loads the
 * marshalling, and a process that records no span never does. A build that fails fails every export
 * with its reason, so that the sink's accounting counts and says it like any other failure.
 */
final class LazyExporter implements SpanExporter {
  private final Supplier<SpanExporter> build;
  private SpanExporter delegate;
  private RuntimeException failure;

  LazyExporter(Supplier<SpanExporter> build) {
    this.build = build;
  }

  /** The exporter, built now if it was not; null when building it failed ({@link #failure}). */
  private synchronized SpanExporter delegate() {
    if (delegate == null && failure == null) {
      try {
        delegate = build.get();
      } catch (RuntimeException | LinkageError e) {
        failure =
            e instanceof RuntimeException
                ? (RuntimeException) e
                : new IllegalStateException("cannot build the exporter: " + e, e);
      }
    }
    return delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    SpanExporter d = delegate();
    return d != null ? d.export(spans) : CompletableResultCode.ofExceptionalFailure(failure);
  }

  @Override
  public CompletableResultCode flush() {
    SpanExporter d;
    synchronized (this) {
      d = delegate;
    }
    return d != null ? d.flush() : CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    SpanExporter d;
    synchronized (this) {
      d = delegate;
    }
    // Never built: nothing was exported, nothing is to close.
    return d != null ? d.shutdown() : CompletableResultCode.ofSuccess();
  }
}
