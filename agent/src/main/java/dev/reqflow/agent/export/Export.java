package dev.reqflow.agent.export;

import dev.reqflow.agent.AgentConfig;
import dev.reqflow.agent.recorder.IncompleteCalls;
import dev.reqflow.agent.recorder.SamplingTotals;
import dev.reqflow.agent.recorder.StallTotals;
import dev.reqflow.agent.recorder.UnseenTotals;
import dev.reqflow.contract.TraceContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.autoconfigure.ResourceConfiguration;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenTelemetry SDK as the agent uses it: batched off the application's threads into a bounded
 * queue per sink, to the exporters the standard configuration names (OTLP/HTTP, Zipkin) and/or an
 * OTLP JSON lines file, flushed at exit.
 */
public final class Export {

  private static final Logger SDK_LOGGER = Logger.getLogger(sdkLoggerName());

  /** The longest the exit waits for the sinks, all together. */
  private static final long EXIT_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final long FAILURE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final SdkTracerProvider provider;
  private final Accounting accounting;
  private final List<Sink> sinks;
  private final OutputStream fileOut;
  private final boolean sdkDisabled;

  private Export(
      SdkTracerProvider provider,
      Accounting accounting,
      List<Sink> sinks,
      OutputStream fileOut,
      boolean sdkDisabled) {
    this.sdkDisabled = sdkDisabled;
    this.provider = provider;
    this.accounting = accounting;
    this.sinks = sinks;
    this.fileOut = fileOut;
  }

  /**
   * Builds the sinks the configuration names ({@link OtelSettings}: the standard {@code OTEL_*}
   * variables and {@code -Dotel.*} properties under reqflow's options); a sink that cannot be built
   * is said and skipped. The exporters themselves are built at their first export ({@link
   * LazyExporter}), off the application's threads.
   */
  public static Export start(AgentConfig config, String agentVersion) {
    // The SDK logs every failed export; we report the first failure ourselves, once.
    SDK_LOGGER.setLevel(Level.OFF);
    ClassLoader loader = Export.class.getClassLoader();
    ConfigProperties otel = OtelSettings.read(config, loader);
    String ignored = OtelSettings.ignoredLine(otel);
    if (ignored != null) {
      System.err.println(ignored);
    }
    List<Sink> sinks = new ArrayList<>();
    boolean disabled = sdkDisabled(otel);
    if (disabled) {
      System.err.println(
          "reqflow: OTEL_SDK_DISABLED=true (otel.sdk.disabled): no OTLP or Zipkin export"
              + (config.file() != null ? "; spans go to file= only" : ""));
    } else {
      for (String name : OtelSettings.exporters(otel)) {
        Sink sink = standardSink(name, otel, loader, config.queueSize());
        if (sink != null) {
          sinks.add(sink);
        }
      }
    }
    OutputStream fileOut = null;
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
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource(otel, agentVersion))
            .addSpanProcessor(accounting)
            .build();
    return new Export(provider, accounting, sinks, fileOut, disabled);
  }

  private static boolean sdkDisabled(ConfigProperties otel) {
    try {
      return otel.getBoolean("otel.sdk.disabled", false);
    } catch (ConfigurationException e) {
      System.err.println("reqflow: " + e.getMessage() + "; taken as false");
      return false;
    }
  }

  /**
   * The sink of one of {@code otel.traces.exporter}'s names, from the SDK's exporter provider of
   * that name (found through the agent's own, relocated, service files: never the application's);
   * null, said, when this agent does not ship it or cannot send it.
   */
  private static Sink standardSink(
      String name, ConfigProperties otel, ClassLoader loader, int queueSize) {
    String label;
    if (name.equals("otlp")) {
      String protocol = OtelSettings.otlpProtocol(otel);
      if (protocol.equals("grpc")) {
        System.err.println(
            "reqflow: OTLP over gRPC (otel.exporter.otlp.protocol=grpc) is not in this agent: it"
                + " would need OkHttp or grpc-java, a second HTTP stack inside the application;"
                + " no OTLP export. Use http/protobuf (the Collector's port 4318)");
        return null;
      }
      if (!protocol.equals("http/protobuf") && !protocol.equals("http/json")) {
        System.err.println(
            "reqflow: otel.exporter.otlp.protocol='"
                + protocol
                + "' is not grpc, http/protobuf or http/json; no OTLP export");
        return null;
      }
      label = "OTLP " + OtelSettings.otlpEndpoint(otel);
    } else if (name.equals("zipkin")) {
      // Not the SDK's provider: it would build an OkHttp sender, which the agent does not ship.
      return new Sink(
          new UntracedByOtelAgent(new LazyExporter(() -> ZipkinExport.create(otel))),
          "Zipkin " + ZipkinExport.endpoint(otel),
          "sent",
          queueSize);
    } else {
      label = name;
    }
    ConfigurableSpanExporterProvider provider = provider(name, loader);
    if (provider == null) {
      System.err.println(
          "reqflow: otel.traces.exporter names '"
              + name
              + "', which this agent does not ship (it ships otlp and zipkin); ignored");
      return null;
    }
    SpanExporter exporter =
        new UntracedByOtelAgent(new LazyExporter(() -> provider.createExporter(otel)));
    return new Sink(exporter, label, "sent", queueSize);
  }

  private static ConfigurableSpanExporterProvider provider(String name, ClassLoader loader) {
    for (ConfigurableSpanExporterProvider p :
        ServiceLoader.load(ConfigurableSpanExporterProvider.class, loader)) {
      if (p.getName().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /**
   * The SDK's resource from {@code OTEL_SERVICE_NAME} and {@code OTEL_RESOURCE_ATTRIBUTES}
   * (percent-decoded, as the specification says), over its defaults, with the agent's version.
   */
  private static Resource resource(ConfigProperties otel, String agentVersion) {
    Resource r = Resource.getDefault();
    try {
      r = r.merge(ResourceConfiguration.createEnvironmentResource(otel));
    } catch (RuntimeException e) {
      System.err.println(
          "reqflow: OTEL_RESOURCE_ATTRIBUTES or OTEL_SERVICE_NAME is unreadable ("
              + e.getMessage()
              + "); the resource has the defaults only");
    }
    return r.merge(
        Resource.create(
            Attributes.of(AttributeKey.stringKey(TraceContract.Attr.AGENT_VERSION), agentVersion)));
  }

  /** Whether {@code OTEL_SDK_DISABLED=true} turned the standard exporters off. */
  public boolean sdkDisabled() {
    return sdkDisabled;
  }

  /** The sinks' names, as the exit line has them: {@code OTLP http://...}, {@code file /x}. */
  public List<String> sinkNames() {
    List<String> names = new ArrayList<>();
    for (Sink s : sinks) {
      names.add(s.counts.sink);
    }
    return names;
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
   * recorder's own losses; then what {@code sampling} exported and let go. Closes the accounting:
   * spans that end after this go nowhere; those that ended after the flush are counted as not
   * flushed.
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
      StallTotals stalls,
      SamplingTotals sampling) {
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
        stalls,
        sampling);
  }

  private static String sdkLoggerName() {
    // The relocated package of the SDK: everything below it is the SDK's own logging.
    String n = SdkTracerProvider.class.getName();
    return n.substring(0, n.indexOf(".sdk."));
  }
}
