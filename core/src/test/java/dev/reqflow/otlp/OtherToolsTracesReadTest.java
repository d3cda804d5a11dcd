package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Traces as the OpenTelemetry Java agent writes them: one {@code ResourceSpans} per line from its
 * {@code logging-otlp} exporter, among other output; a JDK server span routed {@code "/"} whatever
 * the path; client spans named by the HTTP conventions ({@code GET}), not by their path.
 */
class OtherToolsTracesReadTest {
  static ReadResult read(String text) throws IOException {
    return new FlowAssembler()
        .addStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "app.log")
        .build();
  }

  @Test
  void readsTheAgentsLoggingOtlpLinesAmongOtherOutput() throws IOException {
    ReadResult read = read(OtelAgentLog.log());
    assertThat(read.spanCount()).isEqualTo(3);
    assertThat(read.warnings())
        .containsExactly(
            "app.log: 4 lines without OTLP JSON skipped (other output), 3 spans read from 2 OTLP"
                + " lines");
    assertThat(read.flows()).extracting(Flow::name).containsExactly("GET /home", "GET /user");
    assertThat(read.flows())
        .allMatch(f -> !f.waitsRecorded())
        .allMatch(f -> f.service().equals("pages"));
  }

  @Test
  void callsAreReadByAttributesWithQueryValuesRedacted() throws IOException {
    Flow page = read(OtelAgentLog.log()).flows().get(0);
    assertThat(page.calls()).hasSize(1);
    Call c = page.calls().get(0);
    assertThat(c.method()).isEqualTo("GET");
    assertThat(c.url()).isEqualTo("http://127.0.0.1:9001/user?session=REDACTED");
    assertThat(c.hostPort()).isEqualTo("127.0.0.1:9001");
    assertThat(c.status()).isEqualTo(200);
    assertThat(c.durationNanos()).isEqualTo(250_000_000L);
  }

  @Test
  void aLogWithoutSpansSaysWhy() throws IOException {
    FlowAssembler a = new FlowAssembler();
    a.addStream(
        new ByteArrayInputStream(
            "backends: http://127.0.0.1:9001/\npages: http://127.0.0.1:8080/\n"
                .getBytes(StandardCharsets.UTF_8)),
        "stdout.log");
    assertThat(a.spanCount()).isZero();
    assertThat(a.whyNoSpans())
        .startsWith("stdout.log: no spans in 2 lines of text: none holds OTLP JSON.")
        .contains("-Dotel.traces.exporter=logging-otlp");
  }

  @Test
  void aMalformedOtlpLineIsNamedByItsLine() {
    String text = "starting\n" + OtelAgentLog.agentLine("{\"resource\":{\"attributes\":[}") + "\n";
    assertThatThrownBy(() -> read(text))
        .isInstanceOf(OtlpFormatException.class)
        .hasMessageStartingWith("app.log:2: not JSON");
  }

  @Test
  void endpointsComeFromTheRouteTemplateOrPath() {
    RawSpan s = new RawSpan();
    s.kind = RawSpan.KIND_SERVER;
    s.name = "GET /";
    s.method = "GET";
    s.route = "/";
    s.urlPath = "/product/42/";
    // The JDK server's context "/" is where the handler is mounted: the path names the endpoint.
    assertThat(FlowAssembler.nameOf(s)).isEqualTo("GET /product/{id}");
    s.urlTemplate = "/product/{productId}";
    assertThat(FlowAssembler.nameOf(s)).isEqualTo("GET /product/{productId}");
    s.route = "/product/{id}";
    assertThat(FlowAssembler.nameOf(s)).isEqualTo("GET /product/{id}");
    s.route = "/app/*";
    s.urlTemplate = null;
    assertThat(FlowAssembler.nameOf(s)).isEqualTo("GET /product/{id}");
    s.route = "/";
    s.urlPath = "/";
    assertThat(FlowAssembler.nameOf(s)).isEqualTo("GET /");

    RawSpan old = new RawSpan();
    old.name = "HTTP GET";
    old.method = "GET";
    old.attr("http.target", "/orders/7;jsessionid=AB12?page=2");
    assertThat(FlowAssembler.nameOf(old)).isEqualTo("GET /orders/{id}");
  }

  @Test
  void pathsBeyondTheCapAreGroupedByTheirFirstSegment() throws IOException {
    StringBuilder log = new StringBuilder();
    int paths = FlowAssembler.MAX_PATH_ENDPOINTS + 2;
    for (int i = 0; i < paths; i++) {
      // Slugs, which Routes cannot tell from words: one endpoint per request without a cap.
      String path = "/articles/how-to-" + (char) ('a' + i % 26) + (char) ('a' + i / 26);
      String spanId = String.format("%016x", i + 1);
      String page =
          OtelAgentLog.span(
              spanId,
              "",
              "GET /",
              2,
              i,
              i + 1,
              String.join(
                  ",",
                  OtelAgentLog.str("http.request.method", "GET"),
                  OtelAgentLog.str("http.route", "/"),
                  OtelAgentLog.str("url.path", path)));
      log.append(
              OtelAgentLog.resourceSpans(
                  page.replace(OtelAgentLog.TRACE, String.format("%032x", i + 1))))
          .append('\n');
    }
    ReadResult read = read(log.toString());
    assertThat(read.flows()).hasSize(paths);
    assertThat(read.flows().stream().map(Flow::name).distinct())
        .hasSize(FlowAssembler.MAX_PATH_ENDPOINTS + 1)
        .contains("GET /articles/how-to-aa", "GET /articles/*");
    assertThat(read.flows().get(paths - 1).name()).isEqualTo("GET /articles/*");
    assertThat(read.warnings())
        .containsExactly(
            "service 'pages': over 100 endpoints named by request path (its server spans have no"
                + " http.route nor url.template): further paths are grouped by their first segment"
                + " (GET /articles/*)");
  }

  @Test
  void routesHelpers() {
    assertThat(Routes.normalizedPath("//a///b/;x=1/")).isEqualTo("/a/b");
    assertThat(Routes.normalizedPath("")).isEqualTo("/");
    assertThat(Routes.isMountPoint("/", "/home")).isTrue();
    assertThat(Routes.isMountPoint("/api", "/api/users")).isTrue();
    assertThat(Routes.isMountPoint("/api", "/apiv2")).isFalse();
    assertThat(Routes.isMountPoint("/users/{id}", "/users/7")).isFalse();
    assertThat(Routes.isMountPoint("/users/:id", "/users/7")).isFalse();
    assertThat(Routes.isMountPoint("/home", "/home")).isFalse();
    assertThat(Routes.isMountPoint("/home", null)).isFalse();
    assertThat(Routes.redactedQuery("http://h/a?x=1&flag&y=&z=2#frag"))
        .isEqualTo("http://h/a?x=REDACTED&flag&y=&z=REDACTED");
    assertThat(List.of(Routes.redactedQuery("/a"))).containsExactly("/a");
  }
}
