package dev.reqflow.agent.export;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * The SDK's Zipkin exporter ({@code otel.traces.exporter=zipkin}), configured by the standard
 * {@code otel.exporter.zipkin.endpoint} and {@code otel.exporter.zipkin.timeout}, sending through
 * the JDK's {@code HttpURLConnection} (Zipkin reporter's URLConnection sender) rather than its
 * default OkHttp: the agent ships no HTTP stack of its own. reqflow's links travel as a tag ({@link
 * LinksAsTags}).
 */
final class ZipkinExport {
  private ZipkinExport() {}

  /** Where spans go: {@code otel.exporter.zipkin.endpoint} (reqflow: 127.0.0.1:9411). */
  static String endpoint(ConfigProperties otel) {
    return otel.getString("otel.exporter.zipkin.endpoint", "http://127.0.0.1:9411/api/v2/spans");
  }

  /** Builds the exporter; called at its first export ({@link LazyExporter}). */
  static SpanExporter create(ConfigProperties otel) {
    Duration timeout = otel.getDuration("otel.exporter.zipkin.timeout", Duration.ofSeconds(5));
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    URLConnectionSender sender =
        URLConnectionSender.newBuilder()
            .endpoint(endpoint(otel))
            .connectTimeout(millis)
            .readTimeout(millis)
            .build();
    return new LinksAsTags(ZipkinSpanExporter.builder().setSender(sender).build());
  }
}
