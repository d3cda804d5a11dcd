package dev.reqflow.agent.recorder;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;

/**
 * A span exporter for the recorder's tests: every exported span goes into a list the test reads.
 */
final class CollectingExporter implements SpanExporter {
  private final List<SpanData> into;

  CollectingExporter(List<SpanData> into) {
    this.into = into;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> batch) {
    into.addAll(batch);
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
