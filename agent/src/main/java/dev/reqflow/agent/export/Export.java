package dev.reqflow.agent.export;

import dev.reqflow.agent.AgentConfig;
import dev.reqflow.contract.TraceContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenTelemetry SDK as the agent uses it: batched off the application's threads into a bounded
 * queue, to OTLP/HTTP and/or an OTLP JSON lines file, flushed at exit.
 */
public final class Export {

  private static final Logger SDK_LOGGER = Logger.getLogger(sdkLoggerName());

  private final SdkTracerProvider provider;
  private final AtomicLong ended;
  private final List<ReportingExporter> sinks;
  private final OutputStream fileOut;

  private Export(
      SdkTracerProvider provider,
      AtomicLong ended,
      List<ReportingExporter> sinks,
      OutputStream fileOut) {
    this.provider = provider;
    this.ended = ended;
    this.sinks = sinks;
    this.fileOut = fileOut;
  }

  /** Builds the exporters the configuration names; a sink that cannot be built is skipped. */
  public static Export start(AgentConfig config, String agentVersion) {
    // The SDK logs every failed export; we report the first failure ourselves, once.
    SDK_LOGGER.setLevel(Level.OFF);
    AttributesBuilder resource =
        Attributes.builder()
            .put(AttributeKey.stringKey("service.name"), config.serviceName())
            .put(AttributeKey.stringKey(TraceContract.Attr.AGENT_VERSION), agentVersion)
            .put(AttributeKey.stringKey("telemetry.sdk.language"), "java");
    for (String pair : config.resourceAttributes().split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        String key = pair.substring(0, eq).trim();
        if (!key.equals("service.name") || config.serviceName().startsWith("unknown_service")) {
          resource.put(AttributeKey.stringKey(key), pair.substring(eq + 1).trim());
        }
      }
    }
    SdkTracerProviderBuilder b =
        SdkTracerProvider.builder().setResource(Resource.create(resource.build()));
    AtomicLong endedCount = new AtomicLong();
    b.addSpanProcessor(new CountingProcessor(endedCount));
    List<ReportingExporter> sinks = new ArrayList<>();
    OutputStream fileOut = null;
    if (config.endpoint() != null) {
      try {
        SpanExporter otlp =
            new UntracedByOtelAgent(
                OtlpHttpSpanExporter.builder()
                    .setEndpoint(config.endpoint())
                    .setTimeout(Duration.ofSeconds(5))
                    // A viewer that is not running must cost nothing: no retries, one report.
                    .setRetryPolicy(null)
                    .build());
        ReportingExporter sink = new ReportingExporter(otlp, "OTLP " + config.endpoint());
        b.addSpanProcessor(batch(sink, config));
        sinks.add(sink);
      } catch (RuntimeException | LinkageError e) {
        System.err.println("reqflow: OTLP/HTTP export to " + config.endpoint() + " is off: " + e);
      }
    }
    if (config.file() != null) {
      try {
        Path path = Paths.get(config.file()).toAbsolutePath();
        if (path.getParent() != null) {
          Files.createDirectories(path.getParent());
        }
        fileOut = new BufferedOutputStream(new FileOutputStream(path.toFile(), true));
        SpanExporter file = new OtlpJsonLinesExporter(fileOut);
        ReportingExporter sink = new ReportingExporter(file, "file " + path);
        b.addSpanProcessor(batch(sink, config));
        sinks.add(sink);
      } catch (IOException | RuntimeException | LinkageError e) {
        System.err.println("reqflow: cannot write spans to " + config.file() + ": " + e);
      }
    }
    return new Export(b.build(), endedCount, sinks, fileOut);
  }

  private static SpanProcessor batch(SpanExporter exporter, AgentConfig config) {
    return BatchSpanProcessor.builder(exporter)
        .setMaxQueueSize(config.queueSize())
        .setMaxExportBatchSize(Math.min(512, config.queueSize()))
        .setScheduleDelay(Duration.ofMillis(500))
        .build();
  }

  public Tracer tracer(String version) {
    return provider.get(TraceContract.SCOPE_NAME, version);
  }

  public int sinks() {
    return sinks.size();
  }

  /** Flushes and stops; called from the shutdown hook. */
  public void shutdown() {
    provider.forceFlush().join(3, TimeUnit.SECONDS);
    provider.shutdown().join(2, TimeUnit.SECONDS);
    for (ReportingExporter sink : sinks) {
      long dropped = ended.get() - sink.exported.get();
      if (dropped > 0) {
        System.err.println(
            "reqflow: "
                + dropped
                + " of "
                + ended.get()
                + " spans did not reach the "
                + sink.name
                + " (queue full or export failed)");
      }
    }
    if (fileOut != null) {
      try {
        fileOut.close();
      } catch (IOException e) {
        System.err.println("reqflow: closing the span file failed: " + e);
      }
    }
  }

  private static String sdkLoggerName() {
    // The relocated package of the SDK: everything below it is the SDK's own logging.
    String n = SdkTracerProvider.class.getName();
    return n.substring(0, n.indexOf(".sdk."));
  }

  /** Counts spans ended, so that drops can be reported. */
  private static final class CountingProcessor implements SpanProcessor {
    private final AtomicLong ended;

    CountingProcessor(AtomicLong ended) {
      this.ended = ended;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      ended.incrementAndGet();
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  /** Reports the first failed export and, at shutdown, spans dropped by a full queue. */
  private static final class ReportingExporter implements SpanExporter {
    private final SpanExporter delegate;
    private final String name;
    private final AtomicBoolean failureReported = new AtomicBoolean();
    private final AtomicLong exported = new AtomicLong();

    ReportingExporter(SpanExporter delegate, String name) {
      this.delegate = delegate;
      this.name = name;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode result = delegate.export(spans);
      result.whenComplete(
          () -> {
            if (result.isSuccess()) {
              exported.addAndGet(spans.size());
            } else if (failureReported.compareAndSet(false, true)) {
              System.err.println(
                  "reqflow: export to " + name + " failed; spans for it are dropped (logged once)");
            }
          });
      return result;
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
}
