package dev.reqflow.agent.export;

import dev.reqflow.agent.AgentConfig;
import dev.reqflow.agent.recorder.IncompleteCalls;
import dev.reqflow.agent.recorder.StallTotals;
import dev.reqflow.agent.recorder.UnseenTotals;
import dev.reqflow.contract.TraceContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenTelemetry SDK as the agent uses it: batched off the application's threads into a bounded
 * queue, to OTLP/HTTP and/or an OTLP JSON lines file, flushed at exit.
 */
public final class Export {

  private static final Logger SDK_LOGGER = Logger.getLogger(sdkLoggerName());

  /** The longest the exit waits for the sinks, all together. */
  private static final long EXIT_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final long FAILURE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** OTLP/HTTP request timeout: a hanging collector holds one batch this long, never the app. */
  private static final Duration OTLP_TIMEOUT = Duration.ofSeconds(5);

  private final SdkTracerProvider provider;
  private final Accounting accounting;
  private final List<Sink> sinks;
  private final OutputStream fileOut;

  private Export(
      SdkTracerProvider provider, Accounting accounting, List<Sink> sinks, OutputStream fileOut) {
    this.provider = provider;
    this.accounting = accounting;
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
    List<Sink> sinks = new ArrayList<>();
    OutputStream fileOut = null;
    if (config.endpoint() != null) {
      try {
        SpanExporter otlp =
            new UntracedByOtelAgent(
                OtlpHttpSpanExporter.builder()
                    .setEndpoint(config.endpoint())
                    .setTimeout(OTLP_TIMEOUT)
                    .setConnectTimeout(OTLP_TIMEOUT)
                    // A viewer that is not running must cost nothing: no retries, one report.
                    .setRetryPolicy(null)
                    .build());
        sinks.add(new Sink(otlp, "OTLP " + config.endpoint(), "sent", config.queueSize()));
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
        sinks.add(new Sink(file, "file " + path, "written", config.queueSize()));
      } catch (IOException | RuntimeException | LinkageError e) {
        System.err.println("reqflow: cannot write spans to " + config.file() + ": " + e);
      }
    }
    Accounting accounting = new Accounting(List.copyOf(sinks));
    b.addSpanProcessor(accounting);
    return new Export(b.build(), accounting, sinks, fileOut);
  }

  public Tracer tracer(String version) {
    return provider.get(TraceContract.SCOPE_NAME, version);
  }

  public int sinks() {
    return sinks.size();
  }

  /**
   * Where spans that have not ended go when a snapshot writes them as they are now (views that end
   * at the snapshot): counted and handed to every sink as ended spans are.
   */
  public Consumer<ReadableSpan> openSpans() {
    return accounting::onEnd;
  }

  /**
   * Flushes and stops; called from the shutdown hook. Waits at most {@link #EXIT_BUDGET_NANOS} in
   * all, and for each sink only until one of its exports fails: a sink whose last export timed out
   * is not waited for at all. What a sink still holds then is counted as not flushed.
   */
  public void shutdown() {
    long deadline = System.nanoTime() + EXIT_BUDGET_NANOS;
    long[] failuresBefore = new long[sinks.size()];
    for (int i = 0; i < sinks.size(); i++) {
      failuresBefore[i] = sinks.get(i).counts.failedExports();
    }
    List<CompletableResultCode> flushes = new ArrayList<>();
    for (Sink s : sinks) {
      flushes.add(s.forceFlush());
    }
    awaitWorking(flushes, failuresBefore, deadline);
    List<CompletableResultCode> stops = new ArrayList<>();
    for (Sink s : sinks) {
      stops.add(s.shutdown());
    }
    awaitWorking(stops, failuresBefore, deadline);
    // The sinks are down already; this only stops the provider itself.
    provider.shutdown();
    if (fileOut != null) {
      try {
        fileOut.close();
      } catch (IOException e) {
        System.err.println("reqflow: closing the span file failed: " + e);
      }
    }
  }

  /** Waits for each result until the deadline or until its sink fails another export. */
  private void awaitWorking(
      List<CompletableResultCode> results, long[] failuresBefore, long deadline) {
    for (int i = 0; i < results.size(); i++) {
      CompletableResultCode r = results.get(i);
      DropCounts counts = sinks.get(i).counts;
      long left;
      while (!r.isDone()
          && !counts.timingOut()
          && counts.failedExports() == failuresBefore[i]
          && (left = deadline - System.nanoTime()) > 0) {
        // In slices, to notice a failure meanwhile.
        r.join(Math.min(left, FAILURE_POLL_NANOS), TimeUnit.NANOSECONDS);
      }
    }
  }

  /**
   * The exit line: spans recorded and, per sink, delivered and dropped by reason; then the
   * recorder's own losses. Closes the accounting: spans that end after this go nowhere; those that
   * ended after the flush are counted as not flushed.
   */
  public String exitLine(
      long agentErrors,
      long openAtExit,
      long linksCut,
      long untracked,
      long valuesCut,
      UnseenTotals unseen,
      List<String> unrecordedLibraries,
      long callsOpenAtExit,
      IncompleteCalls incomplete,
      StallTotals stalls) {
    accounting.closeAccounts();
    List<DropCounts.Snapshot> counts = new ArrayList<>();
    for (Sink s : sinks) {
      counts.add(s.counts.snapshot());
    }
    return ExitLine.format(
        accounting.recorded(),
        counts,
        new ExitLine.RecorderLosses(agentErrors, openAtExit, linksCut, untracked, valuesCut)
            .withCalls(callsOpenAtExit, incomplete),
        new ExitLine.Unseen(
            unseen.flows(), unseen.socketNanos(), unseen.waitNanos(), unrecordedLibraries),
        stalls);
  }

  private static String sdkLoggerName() {
    // The relocated package of the SDK: everything below it is the SDK's own logging.
    String n = SdkTracerProvider.class.getName();
    return n.substring(0, n.indexOf(".sdk."));
  }
}
