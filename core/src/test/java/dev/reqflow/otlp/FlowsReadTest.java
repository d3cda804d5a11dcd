package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.contract.TraceContract;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CallMode;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.PhaseKind;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.flow.ThreadRole;
import dev.reqflow.flow.Unseen;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowsReadTest {
  private static final long MS = 1_000_000L;

  @TempDir Path dir;

  @Test
  void readsProtobuf() throws IOException {
    Path file = dir.resolve("trace.pb");
    Files.write(file, Spans.agentPage().toByteArray());

    assertAgentPage(Flows.read(file));
  }

  @Test
  void readsJsonAsProtobufWritesIt() throws IOException {
    Path file = dir.resolve("trace.json");
    Files.writeString(file, JsonFormat.printer().print(Spans.agentPage()));

    assertAgentPage(Flows.read(file));
  }

  /** A flow span and two waits as the agent writes them when it did not see the calls. */
  static ExportTraceServiceRequest blindPage() {
    String flow = "00000000000000f1";
    Span.Builder f =
        Spans.thread(
            Spans.type(
                Spans.span(flow, null, "GET /home", Span.SpanKind.SPAN_KIND_SERVER, 0, 300),
                "flow"),
            1,
            "http-1",
            "render");
    f.addAttributes(Spans.attr(TraceContract.Attr.UNSEEN_SOCKET_NANOS, 90 * MS))
        .addAttributes(Spans.attr(TraceContract.Attr.UNSEEN_SOCKET_OPS, 3))
        .addAttributes(Spans.attr(TraceContract.Attr.UNSEEN_WAIT_NANOS, 150 * MS))
        .addAttributes(
            KeyValue.newBuilder()
                .setKey(TraceContract.Attr.LIBRARIES_UNRECORDED)
                .setValue(
                    AnyValue.newBuilder()
                        .setArrayValue(
                            ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("Jetty HttpClient"))
                                .addValues(
                                    AnyValue.newBuilder().setStringValue("AsyncHttpClient")))));
    Span.Builder jetty =
        Spans.thread(
            Spans.type(
                Spans.span(
                    "00000000000000b1",
                    flow,
                    "block completable.get",
                    Span.SpanKind.SPAN_KIND_INTERNAL,
                    10,
                    160),
                "block"),
            1,
            "http-1",
            "render");
    jetty
        .addAttributes(Spans.attr(TraceContract.Attr.BLOCK_KIND, "completable.get"))
        .addAttributes(Spans.attr(TraceContract.Attr.BLOCK_COMPLETED_BY, "HttpClient@1b2c-37"));
    Span.Builder read =
        Spans.thread(
            Spans.type(
                Spans.span(
                    "00000000000000b2",
                    flow,
                    "block socket.read",
                    Span.SpanKind.SPAN_KIND_INTERNAL,
                    170,
                    260),
                "block"),
            1,
            "http-1",
            "render");
    read.addAttributes(Spans.attr(TraceContract.Attr.BLOCK_KIND, "socket.read"));
    return Spans.request("shop", true, f, jetty, read);
  }

  @Test
  void readsWhatTheAgentDidNotSeeFromProtobufAndJson() throws IOException {
    Path pb = dir.resolve("blind.pb");
    Files.write(pb, blindPage().toByteArray());
    Path json = dir.resolve("blind.json");
    Files.writeString(json, JsonFormat.printer().print(blindPage()));
    for (Path file : new Path[] {pb, json}) {
      Flow flow = Flows.read(file).flows().get(0);
      assertThat(flow.unseen())
          .isEqualTo(
              new Unseen(
                  90 * MS, 3, 150 * MS, java.util.List.of("AsyncHttpClient", "Jetty HttpClient")));
      assertThat(flow.blocks())
          .extracting(Block::completedBy)
          .containsExactly("HttpClient@1b2c-37", "");
      assertThat(flow.blocks()).extracting(Block::isSocketIo).containsExactly(false, true);
    }
  }

  @Test
  void readsThatAFlowsMonitorWaitsWentUnseen() throws IOException {
    Span.Builder f =
        Spans.thread(
            Spans.type(
                Spans.span(
                    "00000000000000f2",
                    null,
                    "GET /locked",
                    Span.SpanKind.SPAN_KIND_SERVER,
                    0,
                    300),
                "flow"),
            1,
            "http-1",
            "render");
    f.addAttributes(Spans.attr(TraceContract.Attr.UNSEEN_LOCK_WAITS, "jfr-starting"));
    Path json = dir.resolve("lock-waits.json");
    Files.writeString(json, JsonFormat.printer().print(Spans.request("shop", true, f)));
    Flow flow = Flows.read(json).flows().get(0);
    assertThat(flow.unseen()).isEqualTo(new Unseen(0, 0, 0, java.util.List.of(), "jfr-starting"));
    assertThat(flow.unseen().lockWaitsUnseen()).isTrue();
  }

  @Test
  void otherToolsTracesSeeNothingUnseen() throws IOException {
    Path file = dir.resolve("other.json");
    Files.writeString(file, JsonFormat.printer().print(Spans.agentPage()));
    assertThat(Flows.read(file).flows().get(0).unseen()).isEqualTo(Unseen.NONE);
  }

  @Test
  void readsJsonLinesWithFlowsSpreadOverLines() throws IOException {
    // The Collector's file exporter: hex ids, integers as strings, kinds as numbers, one request
    // per line; here the flow span arrives after its call.
    String call =
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"shop\"}}]},"
            + "\"scopeSpans\":[{\"scope\":{\"name\":\"io.opentelemetry.okhttp-3.0\"},\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
            + "\"spanId\":\"eee19b7ec3c1b174\",\"parentSpanId\":\"eee19b7ec3c1b173\",\"name\":\"GET\",\"kind\":3,"
            + "\"startTimeUnixNano\":\"1544712660000000000\",\"endTimeUnixNano\":\"1544712661000000000\","
            + "\"attributes\":[{\"key\":\"http.request.method\",\"value\":{\"stringValue\":\"GET\"}},"
            + "{\"key\":\"url.full\",\"value\":{\"stringValue\":\"https://api.example.com:8443/x\"}},"
            + "{\"key\":\"http.response.status_code\",\"value\":{\"intValue\":\"503\"}},"
            + "{\"key\":\"tags\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"}]}}}],"
            + "\"status\":{\"code\":2}}]}]}]}";
    String server =
        "{\"resource_spans\":[{\"scope_spans\":[{\"spans\":[{\"trace_id\":\"5b8efff798038103d269b633813fc60c\","
            + "\"span_id\":\"eee19b7ec3c1b173\",\"name\":\"GET\",\"kind\":\"SPAN_KIND_SERVER\","
            + "\"start_time_unix_nano\":1544712659000000000,\"end_time_unix_nano\":1544712662000000000,"
            + "\"attributes\":[{\"key\":\"http.route\",\"value\":{\"stringValue\":\"/checkout\"}},"
            + "{\"key\":\"http.request.method\",\"value\":{\"stringValue\":\"GET\"}}]}]}]}]}";
    Path file = dir.resolve("traces.jsonl");
    Files.writeString(file, call + "\n" + server + "\n\n");

    ReadResult result = Flows.read(file);

    assertThat(result.spanCount()).isEqualTo(2);
    assertThat(result.flows()).hasSize(1);
    Flow flow = result.flows().get(0);
    assertThat(flow.name()).isEqualTo("GET /checkout");
    assertThat(flow.durationNanos()).isEqualTo(3000 * MS);
    assertThat(flow.waitsRecorded()).isFalse();
    assertThat(flow.warnings()).anyMatch(w -> w.contains("no waits recorded"));
    Call c = flow.calls().get(0);
    assertThat(c.host()).isEqualTo("api.example.com");
    assertThat(c.port()).isEqualTo(8443);
    assertThat(c.status()).isEqualTo(503);
    assertThat(c.failed()).isTrue();
    assertThat(c.mode()).isEqualTo(CallMode.UNKNOWN);
  }

  @Test
  void assemblesAcrossFilesAndReportsDuplicatesOverflowAndLostParents() throws IOException {
    String flow = "00000000000000f1";
    ExportTraceServiceRequest first =
        Spans.request(
            "svc",
            true,
            Spans.type(
                Spans.span(flow, null, "GET /a", Span.SpanKind.SPAN_KIND_SERVER, 0, 100), "flow"),
            Spans.type(
                Spans.span(
                    "0000000000000001", flow, "GET", Span.SpanKind.SPAN_KIND_CLIENT, 50, 150),
                "call"));
    ExportTraceServiceRequest second =
        Spans.request(
            "svc",
            true,
            Spans.type(
                Spans.span(
                    "0000000000000001", flow, "GET", Span.SpanKind.SPAN_KIND_CLIENT, 50, 150),
                "call"),
            Spans.type(
                Spans.span(
                    "0000000000000002",
                    "00000000000000ff",
                    "GET",
                    Span.SpanKind.SPAN_KIND_CLIENT,
                    10,
                    20),
                "call"));
    Path a = dir.resolve("a.pb");
    Path b = dir.resolve("b.pb");
    Files.write(a, first.toByteArray());
    Files.write(b, second.toByteArray());

    ReadResult result = Flows.read(a, b);

    assertThat(result.warnings()).anyMatch(w -> w.startsWith("1 duplicate span(s) ignored"));
    Flow f = result.flows().get(0);
    assertThat(f.calls())
        .extracting(Call::spanId)
        .containsExactly("0000000000000002", "0000000000000001");
    assertThat(f.call("0000000000000001").endNanos()).isEqualTo(f.endNanos());
    assertThat(f.warnings())
        .anyMatch(w -> w.contains("trimmed"))
        .anyMatch(w -> w.contains("parent is missing"));
  }

  /**
   * A page that gave up at its timeout:
   *
   * <pre>
   * flow  |0 ------- 100|
   * a     |0 ------------------------ 300|
   * b     |0 ------------- 180|
   * block |  5 ----- 100|  (nothing released it: the timeout)
   * </pre>
   */
  @Test
  void callsThatRanOnAfterThePageAnsweredAreNamedAndExplainWhyNothingIsSuggested()
      throws IOException {
    String flow = "00000000000000f1";
    ExportTraceServiceRequest req =
        Spans.request(
            "svc",
            true,
            Spans.thread(
                Spans.type(
                    Spans.span(flow, null, "GET /timeout", Span.SpanKind.SPAN_KIND_SERVER, 0, 100),
                    "flow"),
                1,
                "page",
                "render"),
            Spans.thread(
                Spans.type(
                    Spans.span(
                        "0000000000000001", flow, "GET", Span.SpanKind.SPAN_KIND_CLIENT, 0, 300),
                    "call"),
                1,
                "page",
                "render"),
            Spans.thread(
                Spans.type(
                    Spans.span(
                        "0000000000000002", flow, "GET", Span.SpanKind.SPAN_KIND_CLIENT, 0, 180),
                    "call"),
                1,
                "page",
                "render"),
            Spans.thread(
                Spans.type(
                    Spans.span(
                        "00000000000000b1", flow, "wait", Span.SpanKind.SPAN_KIND_INTERNAL, 5, 100),
                    "block"),
                1,
                "page",
                "render"));
    Path file = dir.resolve("timeout.pb");
    Files.write(file, req.toByteArray());

    Flow f = Flows.read(file).flows().get(0);

    assertThat(f.callsRunOn())
        .containsEntry("0000000000000001", 200_000_000L)
        .containsEntry("0000000000000002", 80_000_000L)
        .hasSize(2);
    FlowReport report = Analysis.analyse(List.of(f)).flows().get(0);
    assertThat(report.suggestions()).isEmpty();
    assertThat(report.noSuggestionsLine())
        .contains("answered without waiting for 2 calls it issued, which ran on up to 200 ms");
  }

  @Test
  void aLiveReceiverRebuildsOnlyTheTracesThatChanged() {
    FlowAssembler live = new FlowAssembler();
    live.add(Spans.agentPage(), "batch 1");
    assertThat(live.buildChanged().flows()).hasSize(1);
    assertThat(live.buildChanged().flows()).isEmpty();

    String other = "00000000000000f2";
    ExportTraceServiceRequest late =
        Spans.request(
            "svc",
            true,
            Spans.type(
                Spans.span(other, null, "GET /b", Span.SpanKind.SPAN_KIND_SERVER, 200, 300),
                "flow"));
    live.add(late, "batch 2");

    // Same trace as the first batch: the trace is assembled again, with both its flows.
    assertThat(live.buildChanged().flows())
        .extracting(Flow::name)
        .containsExactly("GET /home", "GET /b");
    assertThat(live.build().flows()).hasSize(2);
  }

  @Test
  void shiftsSpansThatLieWhollyOutsideTheirFlow() throws IOException {
    String flow = "00000000000000f1";
    ExportTraceServiceRequest req =
        Spans.request(
            "svc",
            true,
            Spans.type(
                Spans.span(flow, null, "GET /a", Span.SpanKind.SPAN_KIND_SERVER, 0, 100), "flow"),
            Spans.type(
                Spans.span(
                    "0000000000000001", flow, "GET", Span.SpanKind.SPAN_KIND_CLIENT, -500, -480),
                "call"));
    Path file = dir.resolve("skew.pb");
    Files.write(file, req.toByteArray());

    Flow f = Flows.read(file).flows().get(0);

    assertThat(f.calls().get(0).startNanos()).isEqualTo(f.startNanos());
    assertThat(f.calls().get(0).durationNanos()).isEqualTo(20 * MS);
    assertThat(f.warnings()).anyMatch(w -> w.contains("clock skew"));
  }

  @Test
  void malformedJsonNamesFileAndLine() throws IOException {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(file, "{\"resourceSpans\":[]}\n{\"resourceSpans\":[{\"scopeSpans\": 3}]}\n");

    assertThatThrownBy(() -> Flows.read(file))
        .isInstanceOf(OtlpFormatException.class)
        .hasMessageContaining("bad.jsonl:2")
        .hasMessageContaining("scopeSpans should be an array");

    Files.writeString(file, "{\"resourceSpans\":[]}\n{\"resourceSpans\":[\n");
    assertThatThrownBy(() -> Flows.read(file))
        .isInstanceOf(OtlpFormatException.class)
        .hasMessageContaining("bad.jsonl:")
        .hasMessageContaining("not JSON");
  }

  @Test
  void malformedProtobufNamesTheFile() throws IOException {
    Path file = dir.resolve("bad.pb");
    Files.write(file, "\u0008\u00ff\u00ff garbage".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> Flows.read(file))
        .isInstanceOf(OtlpFormatException.class)
        .hasMessageContaining("bad.pb")
        .hasMessageContaining("not an OTLP protobuf");
  }

  private static void assertAgentPage(ReadResult result) {
    assertThat(result.warnings()).isEmpty();
    assertThat(result.flows()).hasSize(1);
    Flow flow = result.flows().get(0);
    assertThat(flow.traceId()).isEqualTo(Spans.TRACE);
    assertThat(flow.name()).isEqualTo("GET /home");
    assertThat(flow.service()).isEqualTo("home-service");
    assertThat(flow.durationNanos()).isEqualTo(100 * MS);
    assertThat(flow.waitsRecorded()).isTrue();
    assertThat(flow.warnings()).isEmpty();
    assertThat(flow.renderThread().name()).isEqualTo("http-1");
    assertThat(flow.renderThread().role()).isEqualTo(ThreadRole.RENDER);
    assertThat(flow.calls())
        .extracting(Call::spanId)
        .containsExactly("000000000000000a", "000000000000000b", "000000000000000c");

    Call a = flow.call("000000000000000a");
    assertThat(a.label()).isEqualTo("GET http://users:8081/users/42");
    assertThat(a.hostPort()).isEqualTo("users:8081");
    assertThat(a.mode()).isEqualTo(CallMode.ASYNC);
    assertThat(a.connectionReuse()).isEqualTo(ConnectionReuse.NEW);
    assertThat(a.pool().kind()).isEqualTo(PoolKind.DISPATCHER);
    assertThat(a.pool().effectiveLimit()).isEqualTo(5);
    assertThat(a.callSite().label()).isEqualTo("Home.render(Home.java:31)");
    assertThat(a.phases())
        .extracting(p -> p.kind())
        .containsExactly(PhaseKind.QUEUED, PhaseKind.CONNECT, PhaseKind.SERVER, PhaseKind.DOWNLOAD);
    assertThat(a.phaseNanos(PhaseKind.QUEUED)).isEqualTo(10 * MS);
    assertThat(a.phaseNanos(PhaseKind.SERVER)).isEqualTo(40 * MS);

    assertThat(flow.call("000000000000000c").dependencies())
        .containsExactly(new Dependency("000000000000000a", DependencyType.AFTER_WAIT));
    assertThat(flow.blocks())
        .extracting(Block::releasedBy)
        .containsExactly(
            java.util.List.of("000000000000000a"),
            java.util.List.of("000000000000000b", "000000000000000c"));
    assertThat(flow.blockedNanos()).isEqualTo(80 * MS);
  }
}
