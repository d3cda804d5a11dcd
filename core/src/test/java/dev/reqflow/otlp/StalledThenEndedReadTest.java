package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Deadlock;
import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.ThreadNow;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page that stalled on a deadlock and ended later, as the agent writes it: the watchdog's
 * snapshot at 2.03 s (what each thread waits on, the calls in progress), then, when the page gave
 * up waiting at 4.16 s and answered, the flow's own spans: the flow, the render thread's wait that
 * no call released. The deadlock's calls and waits never end, so the agent never writes them again.
 * Read back, in either order of arrival, live or from files, the flow ended and keeps what its
 * snapshot knew.
 *
 * <pre>
 * flow    |0 ----------------------------- 2030 snapshot (stalled) ---------------- 4250 end
 * u1, u2  |5 -- 380 / 5 -- 250   sendAsync on the render thread, ended
 * render  |  155 wait in completable.get ----------------------------------- 4155 (no call)
 * d1      |        381 send on pool-2-thread-1 ---------------------------------------- (never ends)
 * d2      |       251 send on pool-2-thread-2 ----------------------------------------- (never ends)
 * pool    |  ThreadPoolExecutor@77f0: 2 of 2 busy, 3 queued: the client's own executor
 * </pre>
 */
class StalledThenEndedReadTest {
  private static final String FLOW = "00000000000000f1";
  private static final String POOL = "ThreadPoolExecutor@77f0";
  private static final String U1 = "00000000000000a1";
  private static final String U2 = "00000000000000a2";
  private static final String D1 = "00000000000000d1";
  private static final String D2 = "00000000000000d2";
  private static final String RENDER_SNAPSHOT = "00000000000000b1";
  private static final String RENDER_FINAL = "00000000000000b9";
  private static final String WAIT1 = "00000000000000c1";
  private static final String WAIT2 = "00000000000000c2";

  @TempDir Path dir;

  private static Span.Builder flow(long toMs) {
    return Spans.thread(
        Spans.type(
            Spans.span(FLOW, null, "GET /page", Span.SpanKind.SPAN_KIND_SERVER, 0, toMs), "flow"),
        1,
        "page-request-1",
        "render");
  }

  private static Span.Builder snapshot(Span.Builder b) {
    return b.addAttributes(Spans.attr(Attr.IN_PROGRESS, true))
        .addAttributes(Spans.attr(Attr.SNAPSHOT_SEQ, 1L));
  }

  private static Span.Builder call(String id, long fromMs, long toMs, long thread, String name) {
    return Spans.thread(
            Spans.type(
                Spans.span(id, FLOW, "GET", Span.SpanKind.SPAN_KIND_CLIENT, fromMs, toMs), "call"),
            thread,
            name,
            thread == 1 ? "render" : "executor")
        .addAttributes(Spans.attr(Attr.HTTP_REQUEST_METHOD, "GET"))
        .addAttributes(Spans.attr(Attr.URL_FULL, "http://127.0.0.1:8081/" + id))
        .addAttributes(Spans.attr(Attr.CALL_EXECUTOR, POOL));
  }

  private static Span.Builder renderWait(String id, long toMs) {
    return Spans.thread(
            Spans.type(
                Spans.span(id, FLOW, "block", Span.SpanKind.SPAN_KIND_INTERNAL, 155, toMs),
                "block"),
            1,
            "page-request-1",
            "render")
        .addAttributes(Spans.attr(Attr.BLOCK_KIND, "completable.get"))
        .addAttributes(Spans.attr(Attr.CODE_FUNCTION_NAME, "app.Page.render"))
        .addAttributes(Spans.attr(Attr.CODE_FILE_PATH, "Page.java"))
        .addAttributes(Spans.attr(Attr.CODE_LINE_NUMBER, 47));
  }

  /** A worker of the client's executor, in send() on its call, at the snapshot. */
  private static Span.Builder workerWait(String id, long thread, long fromMs, String call) {
    Span.Builder w =
        snapshot(
                Spans.thread(
                    Spans.type(
                        Spans.span(
                            id, FLOW, "block", Span.SpanKind.SPAN_KIND_INTERNAL, fromMs, 2030),
                        "block"),
                    thread,
                    "pool-2-thread-" + (thread - 20),
                    "executor"))
            .addAttributes(Spans.attr(Attr.BLOCK_KIND, "httpclient.send"))
            .addAttributes(Spans.attr(Attr.CODE_FUNCTION_NAME, "app.Page.details"))
            .addAttributes(Spans.attr(Attr.CODE_FILE_PATH, "Page.java"))
            .addAttributes(Spans.attr(Attr.CODE_LINE_NUMBER, 32))
            .addAttributes(Spans.attr(Attr.THREAD_EXECUTOR, POOL))
            .addAttributes(Spans.attr(Attr.THREAD_EXECUTOR_LIMIT, 2))
            .addAttributes(Spans.attr(Attr.THREAD_EXECUTOR_ACTIVE, 2))
            .addAttributes(Spans.attr(Attr.THREAD_EXECUTOR_QUEUED, 3));
    return Spans.link(w, call, "waited-on");
  }

  /** What the agent wrote before the snapshot, and the snapshot. */
  private static List<Span.Builder> untilSnapshot() {
    List<Span.Builder> spans = new ArrayList<>();
    spans.add(call(U1, 5, 380, 1, "page-request-1"));
    spans.add(call(U2, 5, 250, 1, "page-request-1"));
    spans.add(
        snapshot(flow(2030))
            .addAttributes(Spans.attr(Attr.SNAPSHOT_REASON, "stalled"))
            .addAttributes(Spans.attr(Attr.STALL_AFTER_NANOS, 2_000_000_000L)));
    spans.add(snapshot(call(D1, 381, 2030, 21, "pool-2-thread-1")));
    spans.add(snapshot(call(D2, 251, 2030, 22, "pool-2-thread-2")));
    spans.add(snapshot(renderWait(RENDER_SNAPSHOT, 2030)));
    spans.add(workerWait(WAIT1, 21, 381, D1));
    spans.add(workerWait(WAIT2, 22, 251, D2));
    return spans;
  }

  /** What the agent wrote when the page ended: its wait, which no call released, and the flow. */
  private static List<Span.Builder> atTheEnd() {
    return List.of(renderWait(RENDER_FINAL, 4155), flow(4250));
  }

  private static List<Span.Builder> all() {
    List<Span.Builder> spans = new ArrayList<>(untilSnapshot());
    spans.addAll(atTheEnd());
    return spans;
  }

  private static Flow onlyFlow(ReadResult read) {
    assertThat(read.warnings()).as("no span of a snapshot is a duplicate").isEmpty();
    assertThat(read.flows()).hasSize(1);
    return read.flows().get(0);
  }

  private static Flow read(List<Span.Builder> spans) {
    FlowAssembler a = new FlowAssembler();
    for (Span.Builder s : spans) {
      a.add(Spans.request("shop", true, s), "test");
    }
    return onlyFlow(a.build());
  }

  /** Everything the ended flow must keep of its snapshot. */
  private static void assertStalledThenEnded(Flow f) {
    assertThat(f.inProgress()).isFalse();
    assertThat(f.stalled()).as("not in progress").isFalse();
    assertThat(f.stalledThenEnded()).isTrue();
    assertThat(f.durationNanos()).isEqualTo(4250 * 1_000_000L);
    assertThat(f.stall().ended()).isTrue();
    assertThat(f.stall().atNanos()).isEqualTo(Spans.ms(2030));
    assertThat(f.stall().reason()).isEqualTo("stalled");
    assertThat(f.stall().stallAfterNanos()).isEqualTo(2_000_000_000L);
    // The calls that never ended run to the flow's end; those that ended are their own.
    assertThat(f.calls()).extracting(c -> c.spanId()).containsExactly(U1, U2, D2, D1);
    assertThat(f.call(D1).endNanos()).isEqualTo(Spans.ms(4250));
    assertThat(f.call(U1).endNanos()).isEqualTo(Spans.ms(380));
    assertThat(f.stall().callsInProgress()).containsExactlyInAnyOrder(D1, D2);
    assertThat(f.stall().callExecutors()).containsEntry(D1, POOL).containsEntry(D2, POOL);
    assertThat(f.stall().openAtEnd()).containsExactlyInAnyOrder(D1, D2, WAIT1, WAIT2);
    // The render thread's own wait, not its snapshot's; the workers' waits from the snapshot.
    assertThat(f.blocks()).extracting(b -> b.spanId()).containsExactly(RENDER_FINAL, WAIT2, WAIT1);
    assertThat(f.blocks().get(0).endNanos()).isEqualTo(Spans.ms(4155));
    assertThat(f.blocks().get(0).releasedBy()).isEmpty();
    assertThat(f.blocks().get(1).endNanos()).isEqualTo(Spans.ms(4250));
    List<ThreadNow> threads = f.stall().threads();
    assertThat(threads).hasSize(3);
    assertThat(threads.get(0).thread().name()).isEqualTo("page-request-1");
    assertThat(threads.get(0).blockSpanId()).as("the wait that ended").isEqualTo(RENDER_FINAL);
    assertThat(threads.get(0).sinceNanos()).isEqualTo(Spans.ms(155));
    assertThat(threads.get(1).waitingOn()).containsExactly(D1);
    assertThat(threads.get(1).executor().saturated()).isTrue();
    List<Deadlock> deadlocks = Deadlock.of(f);
    assertThat(deadlocks).hasSize(1);
    assertThat(deadlocks.get(0).kind()).isEqualTo(Deadlock.Kind.CLIENT_EXECUTOR);
    assertThat(deadlocks.get(0).threads()).isEqualTo(2);
  }

  @Test
  void aFlowThatStalledAndEndedKeepsItsSnapshotInEitherOrder() {
    List<Span.Builder> spans = all();
    assertStalledThenEnded(read(spans));
    Collections.reverse(spans);
    assertStalledThenEnded(read(spans));
  }

  @Test
  void liveTheSnapshotFirstThenTheEnd() {
    FlowAssembler a = new FlowAssembler();
    for (Span.Builder s : untilSnapshot()) {
      a.add(Spans.request("shop", true, s), "live");
    }
    Flow hung = onlyFlow(a.buildChanged());
    assertThat(hung.inProgress()).isTrue();
    assertThat(hung.stalled()).isTrue();
    assertThat(hung.stalledThenEnded()).isFalse();
    assertThat(hung.stall().openAtEnd()).isEmpty();
    for (Span.Builder s : atTheEnd()) {
      a.add(Spans.request("shop", true, s), "live");
    }
    assertStalledThenEnded(onlyFlow(a.buildChanged()));
  }

  @Test
  void liveTheEndFirstThenALateSnapshot() {
    FlowAssembler a = new FlowAssembler();
    for (Span.Builder s : atTheEnd()) {
      a.add(Spans.request("shop", true, s), "live");
    }
    Flow ended = onlyFlow(a.buildChanged());
    assertThat(ended.stalledThenEnded()).isFalse();
    for (Span.Builder s : untilSnapshot()) {
      a.add(Spans.request("shop", true, s), "live");
    }
    assertStalledThenEnded(onlyFlow(a.buildChanged()));
  }

  @Test
  void fromFilesInEitherOrder() throws IOException {
    Path snapshot = write("snapshot.otlp", untilSnapshot());
    Path end = write("end.otlp", atTheEnd());
    assertStalledThenEnded(onlyFlow(Flows.read(snapshot, end)));
    assertStalledThenEnded(onlyFlow(Flows.read(end, snapshot)));
  }

  /**
   * A snapshot taken as the process stopped, of a flow open less than {@code stall.after}, that
   * ended meanwhile: it never stalled, and reads as any flow that ended.
   */
  @Test
  void aFlowOnlyInProgressAtExitThatEndedIsNoStall() {
    List<Span.Builder> spans = new ArrayList<>();
    spans.add(
        snapshot(flow(1500))
            .addAttributes(Spans.attr(Attr.SNAPSHOT_REASON, "exit"))
            .addAttributes(Spans.attr(Attr.STALL_AFTER_NANOS, 2_000_000_000L)));
    spans.add(snapshot(call(D1, 381, 1500, 21, "pool-2-thread-1")));
    spans.add(flow(1600));
    spans.add(call(D1, 381, 1590, 21, "pool-2-thread-1"));
    Flow f = read(spans);
    assertThat(f.inProgress()).isFalse();
    assertThat(f.stalledThenEnded()).isFalse();
    assertThat(f.stall().taken()).isFalse();
    assertThat(Deadlock.of(f)).isEmpty();
    assertThat(f.calls()).extracting(c -> c.endNanos()).containsExactly(Spans.ms(1590));
  }

  private Path write(String name, List<Span.Builder> spans) throws IOException {
    Path file = dir.resolve(name);
    ExportTraceServiceRequest r = Spans.request("shop", true, spans.toArray(new Span.Builder[0]));
    try (OutputStream out = Files.newOutputStream(file)) {
      r.writeTo(out);
    }
    return file;
  }
}
