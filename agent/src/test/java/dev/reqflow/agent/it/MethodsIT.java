package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code flows=}, {@code sections=}, the app's own OTel span, the app's own OkHttp listener. */
class MethodsIT {
  static final String OPTIONS =
      "flows=com.example.patterns.Patterns#batchJob,"
          + "sections=com.example.patterns.Patterns#loadUser";

  @Test
  void configuredMethodIsAFlowAndItsPartASection() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            OPTIONS,
            AgentRun.programClassPath(),
            PatternsIT.MAIN,
            "batch");
    List<RecordedSpan> flows = rec.flows("Patterns.batchJob");
    assertThat(flows).hasSize(1);
    RecordedSpan flow = flows.get(0);
    assertThat(flow.kind).isEqualTo(1); // INTERNAL
    assertThat(flow.parentSpanId).isEmpty();
    List<RecordedSpan> sections = rec.under(flow, "section");
    assertThat(sections).hasSize(1);
    RecordedSpan section = sections.get(0);
    assertThat(section.name).isEqualTo("Patterns.loadUser");
    List<RecordedSpan> calls = rec.under(flow, "call");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).parentSpanId).isEqualTo(section.spanId);
    assertThat(calls.get(1).parentSpanId).isEqualTo(flow.spanId);
    assertThat(rec.waits(flow)).hasSize(2);
  }

  private static Recorded pages;

  /**
   * The two HTTP pages, in one run with {@link #OPTIONS}: the {@code user-listener} page calls
   * neither method the options name, so it runs as it would without them.
   */
  static synchronized Recorded pages() throws Exception {
    if (pages == null) {
      pages =
          AgentRun.run(
              System.getProperty("java.home"),
              OPTIONS,
              AgentRun.programClassPath(),
              PatternsIT.MAIN,
              "sections",
              "user-listener");
    }
    return pages;
  }

  @Test
  void sectionsInsideAnHttpFlow() throws Exception {
    Recorded rec = pages();
    RecordedSpan flow = rec.page("sections");
    List<RecordedSpan> sections = rec.under(flow, "section");
    assertThat(sections).extracting(s -> s.name).containsExactly("Patterns.loadUser");
    assertThat(sections.get(0).parentSpanId).isEqualTo(flow.spanId);
  }

  @Test
  void flowJoinsTheApplicationsCurrentSpan() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            OPTIONS,
            AgentRun.programClassPath(true),
            PatternsIT.MAIN,
            "batch-in-app-span");
    RecordedSpan flow = rec.flows("Patterns.batchJob").get(0);
    assertThat(flow.traceId).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(flow.parentSpanId).isEqualTo("00f067aa0ba902b7");
  }

  @Test
  void servletServiceIsAServerFlow() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            "",
            AgentRun.programClassPath(),
            PatternsIT.MAIN,
            "servlet");
    assertThat(rec.stdout).contains("/b/user/b/cart");
    RecordedSpan flow = rec.flows("GET /servlet/home").get(0);
    assertThat(flow.kind).isEqualTo(2);
    assertThat(flow.attr("http.response.status_code")).isEqualTo("201");
    assertThat(flow.attr("url.query")).isEqualTo("x=REDACTED");
    assertThat(rec.under(flow, "call")).hasSize(2);
    assertThat(rec.waits(flow)).hasSize(2);
  }

  @Test
  void javaxServletServiceIsAServerFlow() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            "",
            AgentRun.programClassPath(),
            PatternsIT.MAIN,
            "servlet-javax");
    assertThat(rec.stdout).contains("/b/user/b/cart");
    assertThat(rec.stderr).doesNotContain("instrumentation failed");
    RecordedSpan flow = rec.flows("GET /servlet/javax").get(0);
    assertThat(flow.kind).isEqualTo(2);
    assertThat(flow.attr("http.response.status_code")).isEqualTo("202");
    assertThat(flow.attr("url.query")).isEqualTo("x=REDACTED");
    assertThat(rec.under(flow, "call")).hasSize(2);
    assertThat(rec.waits(flow)).hasSize(2);
  }

  @Test
  void failingAdviceIsReportedOnceAndTheAppCarriesOn() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            "",
            AgentRun.programClassPath(),
            PatternsIT.MAIN,
            "null-request");
    assertThat(rec.stdout.split("app saw NPE", -1)).hasSize(3);
    assertThat(rec.stderr.split("an instrumentation failed", -1)).hasSize(2);
  }

  @Test
  void applicationsOwnOkHttpListenerKeepsWorking() throws Exception {
    Recorded rec = pages();
    assertThat(rec.stdout).contains("listener 2/2/2");
    List<RecordedSpan> calls = rec.under(rec.page("user-listener"), "call");
    assertThat(calls).hasSize(2);
    assertThat(calls.stream().map(c -> c.event("response.body_done")).collect(Collectors.toList()))
        .doesNotContainNull();
  }
}
