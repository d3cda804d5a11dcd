package dev.reqflow.viewer.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.SuggestionKind;
import dev.reqflow.contract.TraceContract;
import dev.reqflow.flow.Block;
import dev.reqflow.viewer.bench.SyntheticTraces;
import dev.reqflow.viewer.flows.FlowStore;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A wait that JDK Flight Recorder reported after the fact reaches the viewer in a later request
 * than its flow, often after the flow was shown: the flow is assembled again with it, analysed
 * again, and replaces what was shown.
 */
class LateLockWaitTest {
  static final long T0 = 1_700_000_000_000_000_000L;
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String FLOW = "00000000000000f1";

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static KeyValue attr(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static Span span(
      String spanId,
      String parent,
      String name,
      String type,
      long fromMs,
      long toMs,
      long thread,
      String role) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(id(TRACE))
            .setSpanId(id(spanId))
            .setName(name)
            .setKind(
                type.equals("flow")
                    ? Span.SpanKind.SPAN_KIND_SERVER
                    : type.equals("call")
                        ? Span.SpanKind.SPAN_KIND_CLIENT
                        : Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(T0 + fromMs * 1_000_000L)
            .setEndTimeUnixNano(T0 + toMs * 1_000_000L)
            .addAttributes(attr(TraceContract.Attr.SPAN_TYPE, type))
            .addAttributes(attr(TraceContract.Attr.THREAD_ID, thread))
            .addAttributes(attr(TraceContract.Attr.THREAD_NAME, "t" + thread))
            .addAttributes(attr(TraceContract.Attr.THREAD_ROLE, role));
    if (parent != null) {
      b.setParentSpanId(id(parent));
    }
    return b.build();
  }

  static Span waitedOn(Span s, String call, String kind) {
    return s.toBuilder()
        .addAttributes(attr(TraceContract.Attr.BLOCK_KIND, kind))
        .addLinks(
            Span.Link.newBuilder()
                .setTraceId(id(TRACE))
                .setSpanId(id(call))
                .addAttributes(attr(TraceContract.Attr.LINK_TYPE, "waited-on")))
        .build();
  }

  /** Two calls issued together from two tasks; the second ran only once the first was done. */
  static List<Span> page() {
    String a = "000000000000000a";
    String b = "000000000000000b";
    return List.of(
        waitedOn(
            span("00000000000000b1", FLOW, "block", "block", 0, 100, 1, "render"), a, "future.get"),
        waitedOn(
            span("00000000000000b2", FLOW, "block", "block", 100, 200, 1, "render"),
            b,
            "future.get"),
        span(a, FLOW, "GET /a", "call", 0, 100, 21, "executor"),
        span(b, FLOW, "GET /b", "call", 0, 200, 22, "executor"),
        span(FLOW, null, "GET /page", "flow", 0, 210, 1, "render"));
  }

  /** Its thread 22 waited for the client's monitor while call a held it. */
  static Span lateMonitorWait() {
    return waitedOn(
            span("00000000000000c1", FLOW, "block monitor.enter", "block", 1, 100, 22, "executor"),
            "000000000000000a",
            TraceContract.BlockKind.MONITOR_ENTER)
        .toBuilder()
        .addAttributes(attr(TraceContract.Attr.LOCK_CLASS, "com.example.LockedClient"))
        .addAttributes(attr(TraceContract.Attr.CODE_FUNCTION_NAME, "com.example.LockedClient.get"))
        .build();
  }

  @Test
  void aLockWaitArrivingAfterItsFlowWasShownReplacesItAnalysedAgain() {
    LiveAssembler live = new LiveAssembler();
    FlowStore store = new FlowStore();
    live.add(SyntheticTraces.request("shop", page()), "batch 1");
    List<FlowReport> first = live.drain();
    assertThat(first).hasSize(1);
    assertThat(first.get(0).flow().blocks()).noneMatch(Block::isLockWait);
    assertThat(first.get(0).suggestions()).isEmpty();
    store.replaceTraces(first);

    live.add(SyntheticTraces.request("shop", List.of(lateMonitorWait())), "batch 2");
    List<FlowReport> again = live.drain();

    assertThat(again).hasSize(1);
    FlowReport r = again.get(0);
    assertThat(r.flow().warnings()).isEmpty();
    assertThat(r.flow().blocks())
        .filteredOn(Block::isLockWait)
        .extracting(Block::lock)
        .containsExactly("com.example.LockedClient");
    assertThat(r.suggestions()).isNotEmpty();
    assertThat(r.suggestions().get(0).kind()).isEqualTo(SuggestionKind.SERIALIZED_BY_LOCK);
    store.replaceTraces(again);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.flowsOf("GET /page").get(0).suggestions().get(0).kind())
        .isEqualTo(SuggestionKind.SERIALIZED_BY_LOCK);
  }
}
