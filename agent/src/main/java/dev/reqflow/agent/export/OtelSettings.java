package dev.reqflow.agent.export;

import dev.reqflow.agent.AgentConfig;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenTelemetry SDK's own configuration ({@code opentelemetry-sdk-extension-autoconfigure}):
 * every {@code -Dotel.*} system property and {@code OTEL_*} variable, read by the SDK's rules
 * (system properties first), over reqflow's defaults, under reqflow's own options.
 *
 * <p>reqflow's defaults differ from the SDK's where the agent's guarantees need it: the endpoint is
 * {@code http://127.0.0.1:4318} (data stays on the machine), the OTLP timeout 5 s and no retries (a
 * viewer that is not running costs one failed batch, never the application), and no metrics or logs
 * exporter (the agent exports traces only). Its own options win over both: {@code endpoint=URL} is
 * {@code otel.exporter.otlp.traces.endpoint}, {@code endpoint=none} or a {@code file=} without a
 * named endpoint leaves {@code otlp} out of {@code otel.traces.exporter}, {@code service.name=} is
 * {@code otel.service.name}.
 */
final class OtelSettings {

  static final String EXPORTERS = "otel.traces.exporter";

  /**
   * Read by the SDK's tracer provider or by another agent, never by ours: said once at start when
   * set, so that nobody believes reqflow follows them. Sampling: every flow is recorded; the
   * propagators: inbound {@code traceparent}/{@code tracestate} are always read (W3C).
   */
  static final String[] IGNORED = {
    "otel.traces.sampler",
    "otel.traces.sampler.arg",
    "otel.propagators",
    "otel.bsp.schedule.delay",
    "otel.bsp.max.queue.size",
    "otel.bsp.max.export.batch.size",
    "otel.bsp.export.timeout",
    "otel.span.attribute.count.limit",
    "otel.span.event.count.limit",
    "otel.span.link.count.limit",
    "otel.metrics.exporter",
    "otel.logs.exporter",
  };

  private OtelSettings() {}

  /** reqflow's defaults, under the system properties and environment. */
  static Map<String, String> defaults() {
    Map<String, String> d = new HashMap<>();
    d.put(EXPORTERS, "otlp");
    d.put("otel.exporter.otlp.protocol", "http/protobuf");
    d.put("otel.exporter.otlp.endpoint", "http://127.0.0.1:4318");
    d.put("otel.exporter.otlp.timeout", "5000");
    d.put("otel.java.exporter.otlp.retry.disabled", "true");
    d.put("otel.exporter.zipkin.endpoint", "http://127.0.0.1:9411/api/v2/spans");
    d.put("otel.metrics.exporter", "none");
    d.put("otel.logs.exporter", "none");
    return d;
  }

  /**
   * The settings the export is built from: {@code otel.*} system properties, then {@code OTEL_*}
   * variables, then reqflow's defaults; reqflow's options from {@code config} on top.
   */
  static ConfigProperties read(AgentConfig config, ClassLoader agentLoader) {
    DefaultConfigProperties otel =
        DefaultConfigProperties.create(defaults(), ComponentLoader.forClassLoader(agentLoader));
    return otel.withOverrides(overrides(config, otel));
  }

  /**
   * As {@link #read}, from {@code properties} ({@code otel.*} names) instead of this process's
   * system properties and environment: for tests.
   */
  static ConfigProperties from(AgentConfig config, Map<String, String> properties) {
    Map<String, String> all = defaults();
    all.putAll(properties);
    DefaultConfigProperties otel = DefaultConfigProperties.createFromMap(all);
    return otel.withOverrides(overrides(config, otel));
  }

  /** What reqflow's own options change in {@code otel}. */
  static Map<String, String> overrides(AgentConfig config, ConfigProperties otel) {
    Map<String, String> o = new HashMap<>();
    Set<String> exporters = new LinkedHashSet<>(otel.getList(EXPORTERS));
    if (config.endpoint() == null) {
      // endpoint=none, or a file= without a named endpoint: that is where the spans go.
      exporters.remove("otlp");
    } else if (config.endpointFromOption()) {
      o.put("otel.exporter.otlp.traces.endpoint", config.endpoint());
      exporters.add("otlp");
    }
    exporters.remove("none");
    o.put(EXPORTERS, exporters.isEmpty() ? "none" : String.join(",", exporters));
    if (config.serviceNameFromOption()) {
      o.put("otel.service.name", config.serviceName());
    }
    return o;
  }

  /** The span exporters named, in order, without {@code none}. */
  static List<String> exporters(ConfigProperties otel) {
    List<String> names = new ArrayList<>();
    for (String n : otel.getList(EXPORTERS)) {
      if (!n.equals("none") && !names.contains(n)) {
        names.add(n);
      }
    }
    return names;
  }

  /** The URL OTLP/HTTP sends traces to, as the SDK's exporter provider computes it. */
  static String otlpEndpoint(ConfigProperties otel) {
    String traces = otel.getString("otel.exporter.otlp.traces.endpoint");
    if (traces != null) {
      return traces;
    }
    String base = otel.getString("otel.exporter.otlp.endpoint", "http://127.0.0.1:4318");
    return (base.endsWith("/") ? base : base + "/") + "v1/traces";
  }

  /** The OTLP protocol for traces: {@code http/protobuf} unless told otherwise. */
  static String otlpProtocol(ConfigProperties otel) {
    String p = otel.getString("otel.exporter.otlp.traces.protocol");
    return p != null ? p : otel.getString("otel.exporter.otlp.protocol", "http/protobuf");
  }

  /**
   * The one line said at start about what is set and not followed, or null: {@code reqflow:
   * ignored, meant for another agent or SDK: otel.traces.sampler=parentbased_traceidratio (reqflow
   * records every flow), ...}.
   */
  static String ignoredLine(ConfigProperties otel) {
    Map<String, String> defaults = defaults();
    List<String> set = new ArrayList<>();
    for (String key : IGNORED) {
      String v = otel.getString(key);
      if (v != null && !v.equals(defaults.get(key))) {
        set.add(key + "=" + v);
      }
    }
    if (set.isEmpty()) {
      return null;
    }
    return "reqflow: not followed (meant for the application's SDK or another agent; reqflow"
        + " records every flow, reads W3C traceparent/tracestate, exports traces only, with its"
        + " own queue): "
        + String.join(", ", set);
  }
}
