package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sampling: at a flow's start (sample, parent.sampling) and at its end (keep.slow/slower, errors).
 */
class FlowSamplingTest {
  private static final long HOUR = 3_600_000_000_000L;

  private final List<SpanData> spans = new CopyOnWriteArrayList<>();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(spans)))
          .build();

  private Recorder recorder(FlowSampling sampling) {
    Recorder r =
        new Recorder(provider.get("test"), 0L, true, List.of(), Set.of(), Set.of(), (h, c) -> h);
    // Calls as the agent records them: built off the application's thread (CallSpan).
    r.endedSpans(SimpleSpanProcessor.create(new CollectingExporter(spans))::onEnd);
    r.sampling(sampling);
    return r;
  }

  @AfterEach
  void threadIsItselfAgain() {
    assertThat(ThreadState.current().flow).isNull();
    assertThat(ThreadState.current().skippedFlows).isZero();
  }

  /** A flow with one synchronous call; returns the token's flow end status. */
  private static void page(Recorder r, String path, int status) {
    Object token = r.flowEnter("GET " + path, "GET", path, null);
    Object call = r.callEnter(null, "jdk", true, "GET", "http://127.0.0.1:1/b", "127.0.0.1", 1);
    if (call != null) {
      r.callIssued(call, null, null);
    }
    if (token != null) {
      r.flowExit(token, status, null);
    }
  }

  @Test
  void aFlowLeftOutAtItsStartRecordsNothingAndStartsNoNestedFlow() {
    Recorder r = recorder(new FlowSampling(0, false, 0, false));
    Object token = r.flowEnter("GET /a", "GET", "/a", null);
    assertThat(token).isNotNull();
    assertThat(r.flowHandle(token)).as("nothing to detach or end elsewhere").isNull();
    assertThat(r.flowEnter("GET /nested", "GET", "/nested", null)).isNull();
    assertThat(r.callEnter(null, "jdk", true, "GET", "http://h/x", "h", 80)).isNull();
    r.flowExit(token, 200, null);

    assertThat(spans).isEmpty();
    assertThat(r.openAtExit()).isZero();
    assertThat(r.samplingTotals().notExported()).isEqualTo(1);
    assertThat(r.samplingTotals().exitLinePart())
        .isEqualTo("; flows: 1 ended, 0 exported (0 sampled at start), 1 not exported");
  }

  @Test
  void aServerAsksBeforeReadingTheRequestAndAFlowLeftOutIsEnteredThen() {
    Recorder none = recorder(new FlowSampling(0, false, 0, false));
    Object token = none.flowSkipped();
    assertThat(token).as("left out: the advice reads nothing more").isNotNull();
    assertThat(none.flowHandle(token)).isNull();
    assertThat(none.flowSkipped()).as("no flow inside a flow left out").isNull();
    assertThat(none.flowEnter("GET /nested", "GET", "/nested", null)).isNull();
    none.flowExit(token, 200, null);
    assertThat(none.samplingTotals().notExported()).isEqualTo(1);
    assertThat(spans).isEmpty();

    // Every flow kept: nothing decided early, the flow starts in flowEnter as before.
    Recorder all = recorder(FlowSampling.ALL);
    assertThat(all.flowSkipped()).isNull();
    page(all, "/all", 200);
    assertThat(spans).extracting(Requests::of).contains("GET /all");

    // Undecided at its start (keep.slower): drawn early, taken by the flowEnter that follows.
    spans.clear();
    Recorder slower = recorder(new FlowSampling(0, false, 1, false));
    assertThat(slower.flowSkipped()).isNull();
    assertThat(ThreadState.current().decidedAtStart).isEqualTo(FlowSampling.DECIDE_AT_END);
    page(slower, "/slow", 200);
    assertThat(ThreadState.current().decidedAtStart).isEqualTo(-1);
    assertThat(slower.samplingTotals().slowerThanOption()).isEqualTo(1);
    assertThat(slower.samplingTotals().notExported()).isZero();
  }

  @Test
  void anUndecidedFlowIsDroppedAtItsEndUnlessSlowOrFailed() {
    Recorder fastOnly = recorder(new FlowSampling(0, false, HOUR, false));
    page(fastOnly, "/fast", 200);
    assertThat(spans).as("neither slower than an hour nor failed").isEmpty();
    page(fastOnly, "/failed", 503);
    assertThat(spans).extracting(Requests::of).containsExactlyInAnyOrder("GET /failed", "GET /b");

    spans.clear();
    Recorder anySlow = recorder(new FlowSampling(0, false, 1, false));
    page(anySlow, "/slow", 200);
    assertThat(spans).extracting(Requests::of).containsExactlyInAnyOrder("GET /slow", "GET /b");
    // Held until the flow's end, then ended with their own times: the call inside the flow.
    SpanData flow = spans.stream().filter(s -> s.getName().equals("GET /slow")).findFirst().get();
    SpanData call = spans.stream().filter(s -> s.getName().equals("GET")).findFirst().get();
    assertThat(call.getParentSpanId()).isEqualTo(flow.getSpanId());
    assertThat(call.getEndEpochNanos()).isLessThanOrEqualTo(flow.getEndEpochNanos());

    assertThat(fastOnly.samplingTotals())
        .isEqualTo(new SamplingTotals(0, 0, 0, 0, 1, 0, 1, 0, 2, false, true));
    assertThat(fastOnly.samplingTotals().exitLinePart())
        .isEqualTo(
            "; flows: 2 ended, 1 exported (0 sampled at start, 0 slower than keep.slower, 1 failed,"
                + " 0 with their trace), 1 not exported");
    // The fast flow and its call were recorded, then let go: the exit line counts them recorded.
    assertThat(fastOnly.samplingTotals().recordedPart(2))
        .isEqualTo(" (2 to export, 2 let go with flows not kept)");
    assertThat(anySlow.samplingTotals())
        .isEqualTo(new SamplingTotals(0, 0, 0, 1, 0, 0, 0, 0, 0, false, true));
  }

  @Test
  void theInboundTracesSampledFlagDecidesWhenRespected() {
    String unsampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";
    String sampled = "00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203331-01";
    Recorder respect = recorder(new FlowSampling(1, false, 0, true));
    Object t = respect.flowEnter("GET /u", "GET", "/u", unsampled);
    respect.flowExit(t, 200, null);
    assertThat(spans).isEmpty();

    Recorder respectNone = recorder(new FlowSampling(0, false, 0, true));
    t = respectNone.flowEnter("GET /s", "GET", "/s", sampled);
    respectNone.flowExit(t, 200, null);
    assertThat(spans).extracting(SpanData::getName).containsExactly("GET /s");

    spans.clear();
    Recorder ignore = recorder(new FlowSampling(1, false, 0, false));
    t = ignore.flowEnter("GET /i", "GET", "/i", unsampled);
    ignore.flowExit(t, 200, null);
    assertThat(spans)
        .as("default: our flows are kept")
        .extracting(SpanData::getName)
        .containsExactly("GET /i");
  }

  @Test
  void aSpanThatEndsAfterItsFlowWasDroppedIsDroppedTooAfterItWasKeptItEnds() {
    SpanWriter writer = new SpanWriter(provider.get("test"), new Clock());
    FlowSampling counts = new FlowSampling(0, true, 0, false);
    HeldSpans held = new HeldSpans(2, new Clock(), counts);
    writer.hold(held);
    var dropped = provider.get("test").spanBuilder("dropped-flow").startSpan();
    var kept = provider.get("test").spanBuilder("kept-flow").startSpan();
    HeldSpans.Trace d = held.flowStarted(dropped.getSpanContext().getTraceId(), false, writer);
    HeldSpans.Trace k = held.flowStarted(kept.getSpanContext().getTraceId(), false, writer);
    writer.end(dropped, writer.nanoTime());
    held.flowEnded(d, false, writer);
    held.flowEnded(k, true, writer);
    writer.end(kept, writer.nanoTime());
    var late =
        provider
            .get("test")
            .spanBuilder("late")
            .setParent(io.opentelemetry.context.Context.root().with(dropped))
            .startSpan();
    writer.end(late, writer.nanoTime());
    assertThat(spans).extracting(SpanData::getName).containsExactly("kept-flow");
    assertThat(held.letGo()).as("the dropped flow, held, and its late span").isEqualTo(2);
  }

  @Test
  void pastItsLimitTheHoldDropsAndCounts() {
    SpanWriter writer = new SpanWriter(provider.get("test"), new Clock());
    HeldSpans held = new HeldSpans(1, new Clock(), new FlowSampling(0, true, 0, false));
    writer.hold(held);
    var flow = provider.get("test").spanBuilder("flow").startSpan();
    var child =
        provider
            .get("test")
            .spanBuilder("child")
            .setParent(io.opentelemetry.context.Context.root().with(flow))
            .startSpan();
    HeldSpans.Trace t = held.flowStarted(flow.getSpanContext().getTraceId(), false, writer);
    writer.end(child, writer.nanoTime());
    writer.end(flow, writer.nanoTime());
    held.flowEnded(t, true, writer);
    assertThat(spans).extracting(SpanData::getName).containsExactly("child");
    assertThat(held.droppedFull()).isEqualTo(1);
    assertThat(new FlowSampling(0, true, 0, false).totals(1, 3).recordedPart(5))
        .isEqualTo(" (5 to export, 3 let go with flows not kept, 1 dropped with the hold full)");
  }

  @Test
  void aFlowIsSlowAboveItsEndpointsRunningP90() {
    EndpointLatencies l = new EndpointLatencies();
    for (int i = 0; i < EndpointLatencies.MIN_FLOWS; i++) {
      assertThat(l.slowerThanP90("GET /p", 5_000_000))
          .as("no p90 yet: kept")
          .isEqualTo(EndpointLatencies.NO_P90);
    }
    int slow = 0;
    for (int i = 0; i < 1000; i++) {
      boolean isSlow = i % 100 == 99;
      boolean called =
          l.slowerThanP90("GET /p", isSlow ? 200_000_000 : 4_000_000 + (i % 10) * 100_000)
              == EndpointLatencies.SLOWER;
      assertThat(called).as("flow %d", i).isEqualTo(isSlow);
      slow += called ? 1 : 0;
    }
    assertThat(slow).isEqualTo(10);
    // Another endpoint has its own p90.
    assertThat(l.slowerThanP90("GET /other", 1_000)).isEqualTo(EndpointLatencies.NO_P90);
  }
}
