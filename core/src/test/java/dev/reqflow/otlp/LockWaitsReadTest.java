package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.reqflow.contract.TraceContract;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Flow;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock waits as the agent exports them: JDK Flight Recorder reports a monitor wait about a second
 * after it happened, so its block span comes in a later request than the flow it belongs to.
 */
class LockWaitsReadTest {
  static final String FLOW = "00000000000000f1";

  @TempDir Path dir;

  static ExportTraceServiceRequest page() {
    Span.Builder flow =
        Spans.thread(
            Spans.type(
                Spans.span(FLOW, null, "GET /locked", Span.SpanKind.SPAN_KIND_SERVER, 0, 100),
                "flow"),
            1,
            "http-1",
            "render");
    Span.Builder a =
        Spans.thread(
            Spans.type(
                Spans.span("000000000000000a", FLOW, "GET", Span.SpanKind.SPAN_KIND_CLIENT, 0, 50),
                "call"),
            21,
            "",
            "executor");
    return Spans.request("shop", true, flow, a);
  }

  /** The monitor wait JFR reported later: thread 22 waited for the client held by call a. */
  static ExportTraceServiceRequest lateMonitorWait() {
    Span.Builder wait =
        Spans.thread(
            Spans.type(
                Spans.span(
                    "00000000000000b1",
                    FLOW,
                    "block monitor.enter",
                    Span.SpanKind.SPAN_KIND_INTERNAL,
                    1,
                    50),
                "block"),
            22,
            "",
            "executor");
    wait.addAttributes(
            Spans.attr(TraceContract.Attr.BLOCK_KIND, TraceContract.BlockKind.MONITOR_ENTER))
        .addAttributes(Spans.attr(TraceContract.Attr.LOCK_CLASS, "com.example.LockedClient"))
        .addAttributes(
            Spans.attr(TraceContract.Attr.CODE_FUNCTION_NAME, "com.example.LockedClient.get"))
        .addAttributes(Spans.attr(TraceContract.Attr.CODE_LINE_NUMBER, 31));
    Spans.link(wait, "000000000000000a", TraceContract.LinkType.WAITED_ON);
    return Spans.request("shop", true, wait);
  }

  @Test
  void aLockWaitInALaterRequestJoinsItsFlow() throws IOException {
    Path file = dir.resolve("late.jsonl");
    Files.writeString(
        file,
        JsonFormat.printer().omittingInsignificantWhitespace().print(page())
            + "\n"
            + JsonFormat.printer().omittingInsignificantWhitespace().print(lateMonitorWait())
            + "\n");

    Flow flow = Flows.read(file).flows().get(0);

    assertThat(flow.blocks()).hasSize(1);
    Block wait = flow.blocks().get(0);
    assertThat(wait.isLockWait()).isTrue();
    assertThat(wait.kind()).isEqualTo("monitor.enter");
    assertThat(wait.lock()).isEqualTo("com.example.LockedClient");
    assertThat(wait.lockLabel()).isEqualTo("the monitor of com.example.LockedClient");
    assertThat(wait.releasedBy()).containsExactly("000000000000000a");
    assertThat(wait.site().line()).isEqualTo(31);
    assertThat(wait.thread().id()).isEqualTo(22);
  }

  @Test
  void aLiveAssemblerRebuildsTheFlowWhenItsLockWaitArrives() {
    FlowAssembler live = new FlowAssembler();
    live.add(page(), "batch 1");
    assertThat(live.buildChanged().flows().get(0).blocks()).isEmpty();

    live.add(lateMonitorWait(), "batch 2");

    Flow rebuilt = live.buildChanged().flows().get(0);
    assertThat(rebuilt.blocks())
        .extracting(Block::lock)
        .containsExactly("com.example.LockedClient");
    assertThat(rebuilt.warnings()).isEmpty();
  }
}
