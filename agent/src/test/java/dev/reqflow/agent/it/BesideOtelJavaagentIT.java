package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Our agent and the OpenTelemetry Java agent on one JVM, in both orders: the service answers as it
 * does alone, each agent records every call, our flows hang below its server spans (with and
 * without an inbound {@code traceparent}), each request carries one {@code traceparent} (its), and
 * our own export is not traced by it. Our agent alone propagates its own.
 */
class BesideOtelJavaagentIT {
  static final String MAIN = "com.example.compat.TracedPage";
  static final String INBOUND_TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String INBOUND_SPAN = "b7ad6b7169203331";
  static final String PAGE = "/b/a,/b/b,/b/c,/b/d,/b/e";
  static final List<String> BACKENDS = List.of("/b/a", "/b/b", "/b/c", "/b/d", "/b/e");

  @Test
  void otelAgentFirst() throws Exception {
    check(true);
  }

  @Test
  void reqflowAgentFirst() throws Exception {
    check(false);
  }

  /**
   * Our agent alone: each call carries one {@code traceparent}, ours, so each backend's flow (the
   * backends run in the same JVM) is the child of the call span that reached it.
   */
  @Test
  void reqflowAloneContinuesTheTraceIntoTheBackends() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            "",
            AgentRun.programClassPath(),
            MAIN,
            "00-" + INBOUND_TRACE + "-" + INBOUND_SPAN + "-01");
    String context = "\n" + rec.stdout + rec.stderr;
    assertThat(backendLines(rec))
        .as(context)
        .hasSize(10)
        .allMatch(l -> l.contains(" traceparent 1 "));
    List<RecordedSpan> flows = rec.flows("GET /page");
    assertThat(flows).as(context).hasSize(2);
    for (RecordedSpan flow : flows) {
      List<RecordedSpan> calls = rec.under(flow, "call");
      assertThat(calls).hasSize(BACKENDS.size());
      for (String backend : BACKENDS) {
        RecordedSpan call = callTo(calls, backend);
        RecordedSpan backendFlow =
            only(rec.flows("GET " + backend), f -> f.parentSpanId.equals(call.spanId));
        assertThat(backendFlow.traceId).isEqualTo(flow.traceId);
        // The header the backend got names our trace and our call span, sampled (01; 03 when
        // the trace id is one the SDK drew at random, W3C Trace Context level 2).
        assertThat(backendLines(rec))
            .anyMatch(
                l ->
                    l.matches(
                        "backend "
                            + backend
                            + " traceparent 1 \\[00-"
                            + flow.traceId
                            + "-"
                            + call.spanId
                            + "-0[13]\\]"));
      }
    }
    // The page that came with a traceparent keeps its trace down to the backends.
    assertThat(flows).anyMatch(f -> f.traceId.equals(INBOUND_TRACE));
  }

  static List<String> backendLines(Recorded rec) {
    return rec.stdout.lines().filter(l -> l.startsWith("backend ")).collect(Collectors.toList());
  }

  private static void check(boolean otelFirst) throws Exception {
    Path otelAgent = Paths.get(System.getProperty("reqflow.otel.javaagent", ""));
    assumeTrue(Files.isRegularFile(otelAgent), "no OpenTelemetry Java agent at " + otelAgent);
    Recorded rec;
    List<OtlpReceiver.Received> received;
    List<OtlpReceiver.Request> exports;
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      String otelFlag = "-javaagent:" + otelAgent.toAbsolutePath();
      List<String> args = new ArrayList<>();
      if (!otelFirst) {
        args.add(otelFlag);
      }
      args.addAll(
          List.of(
              "-Dotel.service.name=traced-page",
              "-Dotel.exporter.otlp.endpoint=" + receiver.url(),
              "-Dotel.exporter.otlp.protocol=http/protobuf",
              "-Dotel.metrics.exporter=none",
              "-Dotel.logs.exporter=none",
              MAIN,
              "00-" + INBOUND_TRACE + "-" + INBOUND_SPAN + "-01",
              receiver.url() + "/await-reqflow"));
      rec =
          AgentRun.run(
              System.getProperty("java.home"),
              otelFirst ? List.of(otelFlag) : List.of(),
              // Our spans go to the same receiver too: their export must not be traced.
              "endpoint=" + receiver.url(),
              AgentRun.programClassPath(),
              args.toArray(new String[0]));
      received = receiver.spans();
      exports = receiver.requests();
    }
    String context = "\n" + rec.stderr;

    // The service answers as it does without agents: each backend echoes its path.
    assertThat(rec.stdout.lines().filter(l -> l.startsWith("page ")))
        .as(rec.stdout + context)
        .containsExactly("page 200 " + PAGE, "page 200 " + PAGE);
    assertThat(rec.stdout).contains("await 200 arrived");
    // Beside that agent, ours sends no trace context: each request carries its header only.
    assertThat(backendLines(rec)).hasSize(10).allMatch(l -> l.contains(" traceparent 1 "));
    assertThat(rec.stderr)
        .contains("opentelemetry-javaagent - version:")
        .doesNotContain("LinkageError")
        .doesNotContain("ClassCastException")
        .doesNotContain("NoClassDefFoundError")
        .doesNotContain("could not instrument")
        .doesNotContain("instrumentation failed")
        .doesNotContain("SELF-CHECK FAILED")
        .doesNotContain("] ERROR ");

    List<OtlpReceiver.Received> otel =
        received.stream().filter(s -> !s.fromReqflow()).collect(Collectors.toList());
    List<OtlpReceiver.Received> pageServers =
        otel.stream()
            .filter(s -> s.kind == SpanKind.SPAN_KIND_SERVER && "/page".equals(s.attr("url.path")))
            .collect(Collectors.toList());
    assertThat(pageServers).as(otel + context).hasSize(2);
    OtlpReceiver.Received fresh = only(pageServers, s -> s.parentSpanId.isEmpty());
    OtlpReceiver.Received joined = only(pageServers, s -> s.traceId.equals(INBOUND_TRACE));
    assertThat(joined.parentSpanId).isEqualTo(INBOUND_SPAN);

    // The standard -Dotel.* properties, meant for both agents, are read by ours too.
    assertThat(rec.resources)
        .isNotEmpty()
        .allMatch(r -> "traced-page".equals(r.get("service.name")), "service.name=traced-page");

    List<RecordedSpan> flows = rec.flows("GET /page");
    assertThat(flows).hasSize(2);
    for (RecordedSpan flow : flows) {
      OtlpReceiver.Received server = flow.traceId.equals(INBOUND_TRACE) ? joined : fresh;
      // Our flow hangs below its server span, in its trace.
      assertThat(flow.traceId).isEqualTo(server.traceId);
      assertThat(flow.parentSpanId).isEqualTo(server.spanId);
      // ... as an INTERNAL span: one SERVER span per request (semantic conventions), so that
      // service graphs do not count the request twice.
      assertThat(flow.kind).isEqualTo(SpanKind.SPAN_KIND_INTERNAL.getNumber());

      // Each outbound call: our span below our flow, its client span below its server span.
      List<RecordedSpan> calls = rec.under(flow, "call");
      assertThat(calls)
          .extracting(c -> URI.create(c.attr("url.full")).getPath())
          .containsExactlyInAnyOrderElementsOf(BACKENDS);
      // Our timings and queues survive its wrappers: OkHttp's dispatcher, the executor task,
      // both clients' response events.
      assertThat(calls).allMatch(c -> c.event("response.body_done") != null);
      assertThat(callTo(calls, "/b/b").event("dispatched")).isNotNull();
      RecordedSpan inTask = callTo(calls, "/b/d");
      assertThat(inTask.attr("reqflow.thread.role")).isEqualTo("executor");
      assertThat(inTask.event("dispatched")).isNotNull();
      // Every wait for a call names it. A wait for a monitor is not one: under load the render
      // thread can wait for a JarFile's monitor while the other agent's ByteBuddy reads a class.
      assertThat(rec.under(flow, "block"))
          .filteredOn(b -> !"monitor.enter".equals(b.attr("reqflow.block.kind")))
          .allMatch(b -> !b.linked("waited-on").isEmpty());
      for (String backend : BACKENDS) {
        List<OtlpReceiver.Received> clients =
            otel.stream()
                .filter(s -> s.kind == SpanKind.SPAN_KIND_CLIENT)
                .filter(s -> server.traceId.equals(s.traceId))
                .filter(s -> String.valueOf(s.attr("url.full")).endsWith(backend))
                .collect(Collectors.toList());
        assertThat(clients).as(backend + " " + otel).hasSize(1);
        assertThat(clients.get(0).parentSpanId).isEqualTo(server.spanId);

        // The backend's own flow joins its server span for that request, below that client span.
        OtlpReceiver.Received backendServer =
            only(
                otel,
                s ->
                    s.kind == SpanKind.SPAN_KIND_SERVER
                        && clients.get(0).spanId.equals(s.parentSpanId));
        RecordedSpan backendFlow =
            only(rec.flows("GET " + backend), f -> f.traceId.equals(server.traceId));
        assertThat(backendFlow.parentSpanId).isEqualTo(backendServer.spanId);
        assertThat(backendFlow.kind).isEqualTo(SpanKind.SPAN_KIND_INTERNAL.getNumber());
      }
    }

    // Our export reached the receiver while the service ran, and was not traced.
    assertThat(exports.stream().filter(r -> r.fromReqflow))
        .isNotEmpty()
        .allMatch(r -> r.traceparent == null);
    assertThat(otel).noneMatch(s -> String.valueOf(s.attr("url.full")).contains("/v1/traces"));
    assertThat(otel)
        .noneMatch(s -> s.kind == SpanKind.SPAN_KIND_CLIENT && s.parentSpanId.isEmpty());
  }

  static RecordedSpan callTo(List<RecordedSpan> calls, String path) {
    return only(calls, c -> c.attr("url.full").endsWith(path));
  }

  static <T> T only(List<T> items, java.util.function.Predicate<T> p) {
    List<T> m = items.stream().filter(p).collect(Collectors.toList());
    assertThat(m).as(items.toString()).hasSize(1);
    return m.get(0);
  }
}
