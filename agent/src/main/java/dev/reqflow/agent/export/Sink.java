package dev.reqflow.agent.export;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One destination of spans: a bounded queue in front of the SDK's batch processor, which exports
 * off the application's threads, and the count of what became of every span sent to it.
 *
 * <p>The bound is enforced here rather than by the batch processor so that a full queue is counted
 * as such: the processor itself only reports drops to an OpenTelemetry meter.
 */
final class Sink {

  private static final int MAX_BATCH = 512;

  /**
   * How long the batch processor waits for one export before it moves on; the exporters' own
   * timeouts are shorter, so this only cuts loose an exporter that never answers.
   */
  private static final Duration EXPORT_BACKSTOP = Duration.ofSeconds(10);

  final DropCounts counts;
  private final SpanProcessor batch;

  Sink(SpanExporter exporter, String name, String deliveredVerb, int queueSize) {
    this.counts = new DropCounts(name, deliveredVerb, queueSize);
    this.batch =
        BatchSpanProcessor.builder(new CountingExporter(exporter, counts))
            .setMaxQueueSize(queueSize)
            .setMaxExportBatchSize(Math.min(MAX_BATCH, queueSize))
            .setScheduleDelay(Duration.ofMillis(500))
            .setExporterTimeout(EXPORT_BACKSTOP)
            .build();
  }

  /** A sampled span that ended: queued if there is room, else dropped and counted. */
  void offer(ReadableSpan span) {
    if (counts.admit()) {
      batch.onEnd(span);
    }
  }

  CompletableResultCode forceFlush() {
    return batch.forceFlush();
  }

  CompletableResultCode shutdown() {
    return batch.shutdown();
  }

  /** Counts each batch as delivered or dropped by reason; says so the first time one fails. */
  private static final class CountingExporter implements SpanExporter {
    private final SpanExporter delegate;
    private final DropCounts counts;
    private final AtomicBoolean failureReported = new AtomicBoolean();

    CountingExporter(SpanExporter delegate, DropCounts counts) {
      this.delegate = delegate;
      this.counts = counts;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      // The batch processor clears the collection once the export returns or times out.
      int n = spans.size();
      counts.exporting(n);
      CompletableResultCode result;
      try {
        result = delegate.export(spans);
      } catch (RuntimeException e) {
        result = CompletableResultCode.ofExceptionalFailure(e);
      }
      CompletableResultCode r = result;
      r.whenComplete(
          () -> {
            if (r.isSuccess()) {
              counts.delivered(n);
              return;
            }
            Throwable failure = r.getFailureThrowable();
            // Said before it is counted: the exit stops waiting for a sink once it counts a
            // failure, and the JVM may halt right after.
            if (failureReported.compareAndSet(false, true)) {
              System.err.println(
                  "reqflow: export to "
                      + counts.sink
                      + " failed ("
                      + describe(failure)
                      + "); its spans are dropped and counted, the count is printed at exit"
                      + " (logged once)");
            }
            counts.failed(n, isTimeout(failure));
          });
      return r;
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }

  static boolean isTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpTimeoutException
          || t instanceof InterruptedIOException
          || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** A short reason for the log: an HTTP status, a refused connection, a timeout, an exception. */
  static String describe(Throwable failure) {
    if (failure == null) {
      return "no reason given";
    }
    if (failure instanceof FailedExportException.HttpExportException
        && ((FailedExportException.HttpExportException) failure).failedWithResponse()) {
      return "HTTP "
          + ((FailedExportException.HttpExportException) failure).getResponse().getStatusCode();
    }
    Throwable root = failure;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException) {
        return "cannot connect";
      }
      if (isTimeout(t)) {
        return "timed out";
      }
      root = t;
    }
    return root.toString();
  }
}
