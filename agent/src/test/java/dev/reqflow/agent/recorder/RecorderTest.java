package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecorderTest {

  private static Recorder recorder(boolean redact) {
    return new Recorder(
        TracerProvider.noop().get("test"),
        1_000_000L,
        redact,
        List.of("strategy", "perHost"),
        Set.of(),
        Set.of(),
        (h, c) -> h);
  }

  @Test
  void flowQueryKeysNameTheFlowAndKeepTheirValues() {
    Urls r = new Urls(true, List.of("strategy", "perHost"));
    assertThat(r.flowNameQuery("session=s-1&perHost=10&strategy=per-host-limit"))
        .isEqualTo("?strategy=per-host-limit&perHost=10");
    assertThat(r.flowNameQuery("session=s-1")).isEmpty();
    assertThat(r.redactQuery("session=s-1&strategy=pool-2", List.of("strategy")))
        .isEqualTo("session=REDACTED&strategy=pool-2");
    assertThat(r.redactUrl("http://h/p?strategy=pool-2")).isEqualTo("http://h/p?strategy=REDACTED");
  }

  @Test
  void queryValuesAndUserInfoAreRedacted() {
    Urls r = new Urls(true, List.of());
    assertThat(r.redactUrl("http://u:p@h:8080/a/b?token=s3cret&flag&x=1#frag"))
        .isEqualTo("http://REDACTED:REDACTED@h:8080/a/b?token=REDACTED&flag&x=REDACTED#frag");
    assertThat(r.redactUrl("https://h/p")).isEqualTo("https://h/p");
    assertThat(r.redactUrl("http://h/p?a=1&&b&c=#x=2&y=3"))
        .isEqualTo("http://h/p?a=REDACTED&&b&c=REDACTED#x=2&y=3");
    assertThat(r.redactUrl("http://h/p?")).isEqualTo("http://h/p?");
    assertThat(r.redactUrl("http://h/p?flag#a=1")).isEqualTo("http://h/p?flag#a=1");
    assertThat(new Urls(false, List.of()).redactUrl("http://h/p?token=s3cret"))
        .isEqualTo("http://h/p?token=s3cret");
  }

  @Test
  void pathOfAUrl() {
    assertThat(Urls.pathOf("http://h:1/a/b?q=1")).isEqualTo("/a/b");
    assertThat(Urls.pathOf("http://h:1")).isEqualTo("/");
    assertThat(Urls.pathOf("http://h/x#f")).isEqualTo("/x");
  }

  @Test
  void traceparentAndTracestateAreReadByTheW3cPropagator() {
    SpanContext sc =
        TraceParents.extract(
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=a1,other=b2");
    assertThat(sc.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(sc.getSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(sc.isSampled()).isTrue();
    assertThat(sc.isRemote()).isTrue();
    assertThat(sc.getTraceState().get("vendor")).isEqualTo("a1");
    assertThat(sc.getTraceState().get("other")).isEqualTo("b2");
    assertThat(TraceParents.extract("garbage", null)).isNull();
    assertThat(TraceParents.extract(null, "vendor=a1")).isNull();
    assertThat(
            TraceParents.extract("00-00000000000000000000000000000000-b7ad6b7169203331-01", null))
        .isNull();
    // A version the propagator does not know is read by its rules (future versions: the first
    // four fields); a malformed one is not.
    assertThat(TraceParents.extract("00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01", null))
        .isNull();
  }

  @Test
  void insideTheApplicationsServerSpanTheFlowIsNotASecondServerSpan() {
    TraceParents r = new TraceParents();
    // With a processor: an SDK without one makes non-recording spans, which have no kind.
    io.opentelemetry.sdk.trace.SdkTracerProvider sdk =
        io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
            .addSpanProcessor(
                io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
                    io.opentelemetry.sdk.trace.export.SpanExporter.composite()))
            .build();
    io.opentelemetry.api.trace.Tracer tracer = sdk.get("app");
    Span server =
        tracer
            .spanBuilder("GET /page")
            .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
            .startSpan();
    try (Scope ignored = server.makeCurrent()) {
      TraceParents.Parent p = r.parent(null, null);
      assertThat(p.insideServerSpan).isTrue();
      assertThat(Span.fromContext(p.context).getSpanContext().getSpanId())
          .isEqualTo(server.getSpanContext().getSpanId());
    } finally {
      server.end();
    }
    Span internal = tracer.spanBuilder("work").startSpan();
    try (Scope ignored = internal.makeCurrent()) {
      assertThat(r.parent(null, null).insideServerSpan).isFalse();
    } finally {
      internal.end();
    }
    sdk.shutdown();
  }

  private static CallRecord call() {
    return new CallRecord(Span.getInvalid(), null, "x", true);
  }

  @Test
  void aFlowJoinsTheCurrentSpanBeforeTheInboundHeader() {
    TraceParents r = new TraceParents();
    String header = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";
    SpanContext joined = Span.fromContext(r.parent(header, null).context).getSpanContext();
    assertThat(joined.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(joined.getSpanId()).isEqualTo("b7ad6b7169203331");
    // The header said "not sampled": the flow is recorded all the same.
    assertThat(joined.isSampled()).isTrue();

    SpanContext current =
        SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    try (Scope ignored = Span.wrap(current).makeCurrent()) {
      SpanContext parent = Span.fromContext(r.parent(header, null).context).getSpanContext();
      assertThat(parent.getTraceId()).isEqualTo(current.getTraceId());
      assertThat(parent.getSpanId()).isEqualTo(current.getSpanId());
    }
    // The current span's tracestate stays with the flow, in its order.
    SpanContext withState =
        SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.builder().put("b", "2").put("a", "1").build());
    try (Scope ignored = Span.wrap(withState).makeCurrent()) {
      TraceState state =
          Span.fromContext(r.parent(header, "x=9").context).getSpanContext().getTraceState();
      assertThat(state.asMap()).containsExactlyEntriesOf(withState.getTraceState().asMap());
      assertThat(state.asMap()).containsOnly(entry("a", "1"), entry("b", "2"));
    }
    assertThat(Span.fromContext(r.parent(null, null).context).getSpanContext().isValid()).isFalse();
  }

  @Test
  void unionKeepsOrderAndDropsDuplicates() {
    CallRecord a = call();
    CallRecord b = call();
    CallRecord c = call();
    assertThat(CallSets.union(new CallRecord[] {a, b}, new CallRecord[] {b, c}))
        .containsExactly(a, b, c);
    assertThat(CallSets.union(null, new CallRecord[] {a})).containsExactly(a);
    assertThat(CallSets.union(new CallRecord[] {a}, null)).containsExactly(a);
  }

  @Test
  void unionStopsOnePastTheLinkLimit() {
    CallRecord[] many = new CallRecord[300];
    CallRecord[] others = new CallRecord[300];
    for (int i = 0; i < many.length; i++) {
      many[i] = call();
      others[i] = call();
    }
    CallRecord[] half = java.util.Arrays.copyOf(many, 100);
    CallRecord[] u = CallSets.union(half, others);
    assertThat(u).hasSize(Recorder.LINK_LIMIT + 1);
    assertThat(u).startsWith(half);
    // A set already past the limit is not merged into, nor copied.
    assertThat(CallSets.union(u, new CallRecord[] {call()})).isSameAs(u);
  }

  @Test
  void waitsOutsideAnyFlowAreNotRecorded() {
    Recorder r = recorder(true);
    assertThat(r.blockEnter(new Object())).isZero();
    assertThat(r.callEnter(null, "okhttp", true, "GET", "http://h/", "h", 80)).isNull();
    assertThat(r.capture(null)).isNull();
  }
}
