package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.ThreadNow;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Snapshots of a flow in progress as the agent writes them, read back: the latest snapshot of a
 * flow replaces the earlier ones (same span ids, higher {@code reqflow.snapshot.seq}), and the
 * flow's real spans, once it ended, supersede every snapshot; in whatever order they arrive.
 *
 * <pre>
 * flow    |0 ----------------------------------------- (1000: seq 1, 2000: seq 2, 2500: ended)
 * a       |0 -- 40|                       ended before the snapshots: a real span
 * b       |   50 ---------------------- (in progress at 1000 and 2000; ended at 2400)
 * wait1   |      60 ------------------- (the render thread on b: in progress at 1000, 2000)
 * pool-1  |  (seq 1 only) waiting on a task queued in its own executor; at seq 2 RUNNABLE
 * </pre>
 */
class SnapshotReadTest {
  private static final String FLOW = "00000000000000f1";
  private static final String A = "000000000000000a";
  private static final String B = "000000000000000b";

  private static Span.Builder flow(long toMs) {
    return Spans.thread(
        Spans.type(
            Spans.span(FLOW, null, "GET /page", Span.SpanKind.SPAN_KIND_SERVER, 0, toMs), "flow"),
        1,
        "http-1",
        "render");
  }

  private static Span.Builder snapshot(Span.Builder b, long seq) {
    return b.addAttributes(Spans.attr(Attr.IN_PROGRESS, true))
        .addAttributes(Spans.attr(Attr.SNAPSHOT_SEQ, seq));
  }

  private static Span.Builder snapshotFlow(long toMs, long seq, String reason) {
    return snapshot(flow(toMs), seq)
        .addAttributes(Spans.attr(Attr.SNAPSHOT_REASON, reason))
        .addAttributes(Spans.attr(Attr.STALL_AFTER_NANOS, 1_000_000_000L));
  }

  private static Span.Builder call(String id, long fromMs, long toMs) {
    return Spans.thread(
            Spans.type(
                Spans.span(id, FLOW, "GET", Span.SpanKind.SPAN_KIND_CLIENT, fromMs, toMs), "call"),
            1,
            "http-1",
            "render")
        .addAttributes(Spans.attr(Attr.HTTP_REQUEST_METHOD, "GET"))
        .addAttributes(Spans.attr(Attr.URL_FULL, "http://users:8081/" + id))
        .addAttributes(Spans.attr(Attr.CALL_EXECUTOR, "ThreadPoolExecutor@1"));
  }

  private static Span.Builder renderWait(String id, long toMs, long seq) {
    Span.Builder w =
        snapshot(
            Spans.thread(
                Spans.type(
                    Spans.span(id, FLOW, "block", Span.SpanKind.SPAN_KIND_INTERNAL, 60, toMs),
                    "block"),
                1,
                "http-1",
                "render"),
            seq);
    w.addAttributes(Spans.attr(Attr.BLOCK_KIND, "future.get"))
        .addAttributes(Spans.attr(Attr.CODE_FUNCTION_NAME, "app.Page.render"))
        .addAttributes(Spans.attr(Attr.CODE_FILE_PATH, "Page.java"))
        .addAttributes(Spans.attr(Attr.CODE_LINE_NUMBER, 30));
    return Spans.link(w, B, "waited-on");
  }

  /** The first snapshot's pool thread: waiting on a task queued in its own executor. */
  private static Span.Builder poolWait() {
    return snapshot(
            Spans.thread(
                Spans.type(
                    Spans.span(
                        "00000000000000c1",
                        FLOW,
                        "block",
                        Span.SpanKind.SPAN_KIND_INTERNAL,
                        70,
                        1000),
                    "block"),
                7,
                "pool-1-thread-1",
                "executor"),
            1)
        .addAttributes(Spans.attr(Attr.BLOCK_KIND, "future.get"))
        .addAttributes(Spans.attr(Attr.WAIT_TASK_STATE, "queued"))
        .addAttributes(Spans.attr(Attr.WAIT_TASK_EXECUTOR, "ThreadPoolExecutor@1"))
        .addAttributes(Spans.attr(Attr.THREAD_EXECUTOR, "ThreadPoolExecutor@1"))
        .addAttributes(Spans.attr(Attr.THREAD_EXECUTOR_LIMIT, 1))
        .addAttributes(Spans.attr(Attr.THREAD_EXECUTOR_ACTIVE, 1))
        .addAttributes(Spans.attr(Attr.THREAD_EXECUTOR_QUEUED, 1));
  }

  /** The second snapshot's pool thread: in no recorded wait, running. */
  private static Span.Builder poolRunning() {
    return snapshot(
            Spans.thread(
                Spans.type(
                    Spans.span(
                        "00000000000000c2",
                        FLOW,
                        "thread",
                        Span.SpanKind.SPAN_KIND_INTERNAL,
                        2000,
                        2000),
                    "block"),
                7,
                "pool-1-thread-1",
                "executor"),
            2)
        .addAttributes(Spans.attr(Attr.BLOCK_KIND, "thread.state"))
        .addAttributes(Spans.attr(Attr.THREAD_STATE, "RUNNABLE"))
        .addAttributes(Spans.attr(Attr.THREAD_FRAME, "sun.nio.ch.SocketDispatcher.read0"))
        .addAttributes(Spans.attr(Attr.CODE_FUNCTION_NAME, "app.Dao.find"));
  }

  private static List<Span.Builder> snapshots() {
    List<Span.Builder> spans = new ArrayList<>();
    spans.add(call(A, 0, 40));
    spans.add(snapshotFlow(1000, 1, "stalled"));
    spans.add(snapshot(call(B, 50, 1000), 1));
    spans.add(renderWait("00000000000000b1", 1000, 1));
    spans.add(poolWait());
    spans.add(snapshotFlow(2000, 2, "exit"));
    spans.add(snapshot(call(B, 50, 2000), 2));
    spans.add(renderWait("00000000000000b2", 2000, 2));
    spans.add(poolRunning());
    return spans;
  }

  private static Flow read(List<Span.Builder> spans) {
    FlowAssembler a = new FlowAssembler();
    for (Span.Builder s : spans) {
      // One span per request, as batches of an exporter may come.
      ExportTraceServiceRequest r = Spans.request("shop", true, s);
      a.add(r, "test");
    }
    ReadResult read = a.build();
    assertThat(read.warnings()).as("no span of a snapshot is a duplicate").isEmpty();
    assertThat(read.flows()).hasSize(1);
    return read.flows().get(0);
  }

  @Test
  void theLatestSnapshotOfAFlowIsWhatIsRead() {
    List<Span.Builder> spans = snapshots();
    for (int order = 0; order < 2; order++) {
      Flow f = read(spans);
      assertThat(f.inProgress()).isTrue();
      assertThat(f.stalled()).isTrue();
      assertThat(f.durationNanos()).isEqualTo(2000 * 1_000_000L);
      assertThat(f.stall().seq()).isEqualTo(2);
      assertThat(f.stall().reason()).isEqualTo("exit");
      assertThat(f.stall().stallAfterNanos()).isEqualTo(1_000_000_000L);
      // The call that ended, and the one in progress as the latest snapshot saw it.
      assertThat(f.calls()).extracting(c -> c.spanId()).containsExactly(A, B);
      assertThat(f.call(B).endNanos()).isEqualTo(Spans.ms(2000));
      assertThat(f.stall().callsInProgress()).containsExactly(B);
      assertThat(f.stall().callExecutors()).containsEntry(B, "ThreadPoolExecutor@1");
      // The render thread's wait of snapshot 2 only; the pool thread running, not a block.
      assertThat(f.blocks()).extracting(b -> b.spanId()).containsExactly("00000000000000b2");
      List<ThreadNow> threads = f.stall().threads();
      assertThat(threads).hasSize(2);
      ThreadNow render = threads.get(0);
      assertThat(render.thread().name()).isEqualTo("http-1");
      assertThat(render.kind()).isEqualTo("future.get");
      assertThat(render.waitingOn()).containsExactly(B);
      assertThat(render.site().label()).isEqualTo("Page.render(Page.java:30)");
      assertThat(render.blockSpanId()).isEqualTo("00000000000000b2");
      ThreadNow pool = threads.get(1);
      assertThat(pool.waiting()).isFalse();
      assertThat(pool.state()).isEqualTo("RUNNABLE");
      assertThat(pool.frame()).isEqualTo("sun.nio.ch.SocketDispatcher.read0");
      Collections.reverse(spans);
    }
  }

  @Test
  void aSnapshotsWaitsCarryTheirExecutorAndTask() {
    List<Span.Builder> spans = new ArrayList<>(snapshots().subList(0, 5));
    Flow f = read(spans);
    assertThat(f.stall().seq()).isEqualTo(1);
    assertThat(f.stall().reason()).isEqualTo("stalled");
    ThreadNow pool = f.stall().threads().get(1);
    assertThat(pool.kind()).isEqualTo("future.get");
    assertThat(pool.taskState()).isEqualTo("queued");
    assertThat(pool.taskExecutor()).isEqualTo("ThreadPoolExecutor@1");
    assertThat(pool.executor().id()).isEqualTo("ThreadPoolExecutor@1");
    assertThat(pool.executor().limit()).isEqualTo(1);
    assertThat(pool.executor().active()).isEqualTo(1);
    assertThat(pool.executor().queued()).isEqualTo(1);
    assertThat(pool.executor().saturated()).isTrue();
  }

  @Test
  void theFlowsRealSpansSupersedeEverySnapshot() {
    List<Span.Builder> spans = snapshots();
    spans.add(flow(2500));
    spans.add(call(B, 50, 2400));
    Span.Builder realWait =
        Spans.link(
            Spans.thread(
                Spans.type(
                    Spans.span(
                        "00000000000000b9",
                        FLOW,
                        "block",
                        Span.SpanKind.SPAN_KIND_INTERNAL,
                        60,
                        2400),
                    "block"),
                1,
                "http-1",
                "render"),
            B,
            "waited-on");
    spans.add(realWait);
    for (int order = 0; order < 2; order++) {
      Flow f = read(spans);
      assertThat(f.inProgress()).isFalse();
      assertThat(f.stalled()).isFalse();
      assertThat(f.durationNanos()).isEqualTo(2500 * 1_000_000L);
      assertThat(f.call(B).endNanos()).isEqualTo(Spans.ms(2400));
      assertThat(f.blocks()).extracting(b -> b.spanId()).containsExactly("00000000000000b9");
      Collections.reverse(spans);
    }
  }
}
