package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Two flows of one trace in one JVM (a page and the backend it calls in-process) are decided
 * together: exported whole or not at all, and counted once each.
 *
 * <pre>
 * page     |====call====|          one trace: the page calls the backend
 * backend     |==flow==|
 * </pre>
 */
class HeldSpansTest {
  private final List<SpanData> exported = new CopyOnWriteArrayList<>();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(exported)))
          .build();
  private final FlowSampling counts = new FlowSampling(0, true, 0, false);
  private final SpanWriter writer = new SpanWriter(provider.get("test"), new Clock());
  private final HeldSpans held = new HeldSpans(100, new Clock(), counts);

  HeldSpansTest() {
    writer.hold(held);
  }

  private Span span(String name, Span parent) {
    var b = provider.get("test").spanBuilder(name);
    if (parent != null) {
      b.setParent(Context.root().with(parent));
    }
    return b.startSpan();
  }

  private static String traceOf(Span s) {
    return s.getSpanContext().getTraceId();
  }

  private List<String> exportedNames() {
    return exported.stream().map(SpanData::getName).sorted().toList();
  }

  @Test
  void aFlowSampledInFirstKeepsTheUndecidedFlowThatJoinsItsTrace() {
    Span page = span("page", null);
    HeldSpans.Trace p = held.flowStarted(traceOf(page), true, writer);
    Span call = span("call", page);
    Span backend = span("backend", call);
    HeldSpans.Trace b = held.flowStarted(traceOf(backend), false, writer);
    assertThat(b).isSameAs(p);

    writer.end(backend, writer.nanoTime());
    held.flowEnded(b, false, writer);
    writer.end(call, writer.nanoTime());
    writer.end(page, writer.nanoTime());
    held.flowEnded(p, true, writer);

    assertThat(exportedNames()).containsExactly("backend", "call", "page");
    assertThat(counts.totals(0, 0).withTrace()).isEqualTo(1);
    assertThat(counts.totals(0, 0).notExported()).isZero();
  }

  @Test
  void aFlowSampledInAfterAnUndecidedOneOfItsTraceEndsItsHeldSpansWithTheirOwnTimes() {
    // The backend starts first (its trace came in with the request), undecided.
    Span page = span("page", null);
    Span backend = span("backend", page);
    HeldSpans.Trace b = held.flowStarted(traceOf(backend), false, writer);
    Span inner = span("inner", backend);
    long innerEnd = writer.nanoTime();
    writer.end(inner, innerEnd);
    assertThat(exported).as("held while the trace is open").isEmpty();

    HeldSpans.Trace p = held.flowStarted(traceOf(page), true, writer);
    assertThat(exportedNames())
        .as("the trace is kept: its held span ends")
        .containsExactly("inner");
    assertThat(exported.get(0).getEndEpochNanos())
        .as("with its own end time")
        .isEqualTo(writer.epoch(innerEnd));

    writer.end(backend, writer.nanoTime());
    held.flowEnded(b, false, writer);
    writer.end(page, writer.nanoTime());
    held.flowEnded(p, true, writer);
    assertThat(exportedNames()).containsExactly("backend", "inner", "page");
    assertThat(counts.totals(0, 0).withTrace()).isEqualTo(1);
  }

  @Test
  void twoUndecidedFlowsAreKeptTogetherWhenEitherIsKept() {
    Span page = span("page", null);
    HeldSpans.Trace p = held.flowStarted(traceOf(page), false, writer);
    Span backend = span("backend", page);
    HeldSpans.Trace b = held.flowStarted(traceOf(backend), false, writer);

    // The backend ends first with no reason to be kept: it waits for its trace.
    writer.end(backend, writer.nanoTime());
    held.flowEnded(b, false, writer);
    assertThat(exported).isEmpty();
    // The page is kept at its end (slow): the backend goes with it.
    writer.end(page, writer.nanoTime());
    held.flowEnded(p, true, writer);

    assertThat(exportedNames()).containsExactly("backend", "page");
    assertThat(counts.totals(0, 0).withTrace()).isEqualTo(1);
    assertThat(counts.totals(0, 0).notExported()).isZero();
  }

  @Test
  void twoUndecidedFlowsNeitherKeptAreDroppedTogetherAndTheTraceStartsAfreshAfter() {
    Span page = span("page", null);
    HeldSpans.Trace p = held.flowStarted(traceOf(page), false, writer);
    Span call = span("call", page);
    Span backend = span("backend", call);
    HeldSpans.Trace b = held.flowStarted(traceOf(backend), false, writer);

    writer.end(backend, writer.nanoTime());
    held.flowEnded(b, false, writer);
    writer.end(page, writer.nanoTime());
    held.flowEnded(p, false, writer);
    writer.end(call, writer.nanoTime());
    assertThat(exported).as("dropped, the call that outlived its flow too").isEmpty();
    assertThat(counts.totals(0, 0).notExported()).isEqualTo(2);
    assertThat(counts.totals(0, 0).withTrace()).isZero();

    // A new flow of the dropped trace, sampled in: a fresh entry, exported.
    Span again = span("again", page);
    HeldSpans.Trace a = held.flowStarted(traceOf(again), true, writer);
    assertThat(a).isNotSameAs(p);
    writer.end(again, writer.nanoTime());
    held.flowEnded(a, true, writer);
    assertThat(exportedNames()).containsExactly("again");
  }
}
