package dev.reqflow.agent.export;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;

/**
 * Writes each batch as one OTLP JSON {@code ExportTraceServiceRequest} on its own line: the
 * Collector file exporter's format. Uses the SDK's own OTLP marshaler, the one its OTLP/HTTP JSON
 * exporter uses ({@code opentelemetry-exporter-logging-otlp}, which wraps it, stops at 1.63).
 */
final class OtlpJsonLinesExporter implements SpanExporter {

  private final OutputStream out;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);

  OtlpJsonLinesExporter(OutputStream out) {
    this.out = out;
  }

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> spans) {
    if (spans.isEmpty()) {
      return CompletableResultCode.ofSuccess();
    }
    try {
      buffer.reset();
      TraceRequestMarshaler.create(spans).writeJsonTo(buffer);
      buffer.write('\n');
      buffer.writeTo(out);
      out.flush();
      return CompletableResultCode.ofSuccess();
    } catch (IOException | RuntimeException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  @Override
  public synchronized CompletableResultCode flush() {
    try {
      out.flush();
      return CompletableResultCode.ofSuccess();
    } catch (IOException e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  @Override
  public CompletableResultCode shutdown() {
    return flush();
  }
}
