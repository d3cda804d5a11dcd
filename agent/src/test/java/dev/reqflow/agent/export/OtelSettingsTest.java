package dev.reqflow.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.reqflow.agent.AgentConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.autoconfigure.ResourceConfiguration;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class OtelSettingsTest {

  private final List<String> warnings = new ArrayList<>();

  private ConfigProperties settings(String args, Map<String, String> otel) {
    return OtelSettings.from(AgentConfig.parse(args, Map.of(), warnings::add), otel);
  }

  @Test
  void reqflowDefaultsKeepDataOnTheMachineAndCostNothingWhenNoViewerRuns() {
    ConfigProperties c = settings(null, Map.of());
    assertThat(OtelSettings.exporters(c)).containsExactly("otlp");
    assertThat(OtelSettings.otlpEndpoint(c)).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(OtelSettings.otlpProtocol(c)).isEqualTo("http/protobuf");
    assertThat(c.getBoolean("otel.java.exporter.otlp.retry.disabled")).isTrue();
    assertThat(c.getDuration("otel.exporter.otlp.timeout")).hasSeconds(5);
    assertThat(OtelSettings.ignoredLine(c)).isNull();
  }

  @Test
  void reqflowOptionsWinOverTheStandardSettings() {
    Map<String, String> otel =
        Map.of(
            "otel.exporter.otlp.endpoint", "http://collector:4318",
            "otel.traces.exporter", "otlp,zipkin",
            "otel.service.name", "from-env");
    ConfigProperties c = settings("endpoint=http://viewer:4318,service.name=shop", otel);
    assertThat(OtelSettings.otlpEndpoint(c)).isEqualTo("http://viewer:4318/v1/traces");
    assertThat(OtelSettings.exporters(c)).containsExactly("otlp", "zipkin");
    assertThat(c.getString("otel.service.name")).isEqualTo("shop");

    // A file without a named endpoint: the spans go to the file, and to Zipkin if named.
    assertThat(OtelSettings.exporters(settings("file=/tmp/x.jsonl", Map.of()))).isEmpty();
    assertThat(
            OtelSettings.exporters(
                settings("file=/tmp/x.jsonl", Map.of("otel.traces.exporter", "zipkin"))))
        .containsExactly("zipkin");
    assertThat(OtelSettings.exporters(settings("endpoint=none", otel))).containsExactly("zipkin");
  }

  @Test
  void settingsMeantForAnotherAgentAreSaidOnce() {
    ConfigProperties c =
        settings(
            null,
            Map.of(
                "otel.traces.sampler", "parentbased_traceidratio",
                "otel.traces.sampler.arg", "0.1",
                "otel.metrics.exporter", "otlp"));
    assertThat(OtelSettings.ignoredLine(c))
        .startsWith("reqflow: not followed")
        .contains("otel.traces.sampler=parentbased_traceidratio")
        .contains("otel.traces.sampler.arg=0.1")
        .contains("otel.metrics.exporter=otlp");
  }

  @Test
  void resourceAttributesArePercentDecoded() {
    ConfigProperties c =
        settings(
            null,
            Map.of(
                "otel.resource.attributes",
                "deployment.environment.name=eu%20west,team=a%2Cb",
                "otel.service.name",
                "shop"));
    Resource r = ResourceConfiguration.createEnvironmentResource(c);
    assertThat(r.getAttribute(AttributeKey.stringKey("deployment.environment.name")))
        .isEqualTo("eu west");
    assertThat(r.getAttribute(AttributeKey.stringKey("team"))).isEqualTo("a,b");
    assertThat(r.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("shop");
  }

  /**
   * The SDK's OTLP exporter as the agent finds it (its provider, through service loading), built
   * from the standard settings, against an OTLP/HTTP receiver on 127.0.0.1: the headers arrive, the
   * body is gzip-compressed, the path is the traces path.
   */
  @Test
  void otlpHeadersAndCompressionReachTheCollector() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    BlockingQueue<String> received = new ArrayBlockingQueue<>(4);
    server.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
          int length = body.length;
          if ("gzip".equals(encoding)) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              in.transferTo(out);
              length = out.size();
            }
          }
          received.add(
              ex.getRequestURI().getPath()
                  + " auth="
                  + ex.getRequestHeaders().getFirst("Authorization")
                  + " encoding="
                  + encoding
                  + " protobuf="
                  + (length > 0));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
    try {
      ConfigProperties c =
          settings(
              null,
              Map.of(
                  "otel.exporter.otlp.endpoint",
                  "http://127.0.0.1:" + server.getAddress().getPort(),
                  "otel.exporter.otlp.headers",
                  "Authorization=Bearer%20s3cret",
                  "otel.exporter.otlp.compression",
                  "gzip"));
      SpanExporter exporter = provider("otlp").createExporter(c);
      SdkTracerProvider tracing =
          SdkTracerProvider.builder()
              .addSpanProcessor(SimpleSpanProcessor.create(exporter))
              .build();
      tracing.get("test").spanBuilder("GET /page").startSpan().end();
      assertThat(received.poll(10, TimeUnit.SECONDS))
          .isEqualTo("/v1/traces auth=Bearer s3cret encoding=gzip protobuf=true");
      tracing.shutdown().join(5, TimeUnit.SECONDS);
    } finally {
      server.stop(0);
    }
  }

  private static ConfigurableSpanExporterProvider provider(String name) {
    for (ConfigurableSpanExporterProvider p :
        ServiceLoader.load(
            ConfigurableSpanExporterProvider.class, OtelSettingsTest.class.getClassLoader())) {
      if (p.getName().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no span exporter provider named " + name);
  }
}
