package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An application that ships its own OpenTelemetry SDK (1.40, ours is 1.68) exporting OTLP through
 * its own OkHttp (4.10, ours is built against 4.12): both keep working beside the agent, nothing of
 * ours reaches the application's telemetry, and our flow joins the application's trace.
 */
class AppOwnOtelSdkIT {
  static final String MAIN = "com.example.compat.OwnSdkApp";

  @Test
  void theAppsOwnSdkAndOkHttpWorkAndOurFlowJoinsItsTrace() throws Exception {
    Path dir = Paths.get(System.getProperty("reqflow.app-own-otel.dir", "target/app-own-otel"));
    assumeTrue(Files.isDirectory(dir), "no application OpenTelemetry jars in " + dir);
    String jars;
    try (Stream<Path> s = Files.list(dir)) {
      jars = s.map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
    String testClasses =
        Stream.of(AgentRun.programClassPath().split(File.pathSeparator))
            .filter(e -> e.endsWith("test-classes"))
            .collect(Collectors.joining(File.pathSeparator));
    Recorded rec;
    List<OtlpReceiver.Received> appSpans;
    List<OtlpReceiver.Request> exports;
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      rec =
          AgentRun.run(
              System.getProperty("java.home"),
              "flows=" + MAIN + "#render",
              testClasses + File.pathSeparator + jars,
              MAIN,
              receiver.url());
      appSpans = receiver.spans();
      exports = receiver.requests();
    }
    assertThat(rec.stderr)
        .doesNotContain("LinkageError")
        .doesNotContain("ClassCastException")
        .doesNotContain("NoClassDefFoundError")
        .doesNotContain("could not instrument")
        .doesNotContain("instrumentation failed")
        .doesNotContain("SELF-CHECK FAILED");

    // The application: its calls answered, its own listener saw them end, its SDK exported.
    assertThat(rec.stdout)
        .contains("result /b/a,/b/b,/b/c")
        .contains("app listener calls ended 2")
        .contains("app export true");
    String[] job = line(rec.stdout, "app-job ").split(" ");
    String appTraceId = job[1];
    String appJobSpanId = job[2];

    // Its SDK's spans, with its resource and scope, and nothing of ours among them.
    assertThat(exports).isNotEmpty().allMatch(r -> !r.fromReqflow);
    assertThat(exports.get(0).userAgent).contains("1.40.0");
    assertThat(appSpans).extracting(s -> s.name).containsExactlyInAnyOrder("app-job", "app-child");
    for (OtlpReceiver.Received s : appSpans) {
      assertThat(s.resource)
          .containsEntry("service.name", "own-sdk-app")
          .containsEntry("telemetry.sdk.version", "1.40.0")
          .doesNotContainKey("reqflow.agent.version");
      assertThat(s.scope).isEqualTo("com.example.compat");
      assertThat(s.attributes.keySet()).noneMatch(k -> k.startsWith("reqflow."));
      assertThat(s.traceId).isEqualTo(appTraceId);
    }
    OtlpReceiver.Received child =
        appSpans.stream().filter(s -> s.name.equals("app-child")).findFirst().orElseThrow();
    assertThat(child.parentSpanId).isEqualTo(appJobSpanId);

    // Ours: the flow below the application's current span, its calls through the app's OkHttp.
    List<RecordedSpan> flows = rec.flows("OwnSdkApp.render");
    assertThat(flows).hasSize(1);
    RecordedSpan flow = flows.get(0);
    assertThat(flow.traceId).isEqualTo(appTraceId);
    assertThat(flow.parentSpanId).isEqualTo(appJobSpanId);
    List<RecordedSpan> calls = rec.under(flow, "call");
    assertThat(calls)
        .extracting(c -> java.net.URI.create(c.attr("url.full")).getPath())
        .containsExactly("/b/a", "/b/b", "/b/c");
    for (RecordedSpan c : calls.subList(0, 2)) {
      assertThat(c.attr("reqflow.call.client")).isEqualTo("okhttp");
      assertThat(c.event("response.body_done")).isNotNull();
    }
    assertThat(rec.under(flow, "block")).isNotEmpty();
    assertThat(rec.spans).noneMatch(s -> s.name.startsWith("app-"));
    assertThat(rec.spans).noneMatch(s -> String.valueOf(s.attr("url.full")).contains("/v1/traces"));
    for (Map<String, Object> resource : rec.resources) {
      assertThat(resource).containsKey("reqflow.agent.version");
      assertThat(resource.get("service.name")).isNotEqualTo("own-sdk-app");
    }
  }

  static String line(String out, String prefix) {
    return out.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line " + prefix + " in\n" + out));
  }
}
