package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.reqflow.contract.TraceContract;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stream reader of OTLP protobuf (field by field, no message built) reads every span as the
 * generated message classes do: the same fields, whatever order the encoder wrote them in.
 */
class ProtoStreamReadTest {

  @Test
  void readsWhatTheMessageClassesRead() throws IOException {
    ExportTraceServiceRequest request = rich();

    assertSameSpans(request.toByteArray(), request);
  }

  @Test
  void spansBeforeTheirResourceAndScopeGetThem() throws IOException {
    // An encoder may write a message's fields in any order; protobuf-java merges concatenated
    // messages, so the scope's spans first and the resource after make one ResourceSpans.
    ResourceSpans whole = rich().getResourceSpans(0);
    ResourceSpans spansOnly = whole.toBuilder().clearResource().build();
    ResourceSpans resourceOnly =
        ResourceSpans.newBuilder().setResource(whole.getResource()).build();
    ByteArrayOutputStream rs = new ByteArrayOutputStream();
    for (var scope : spansOnly.getScopeSpansList()) {
      // each scope's spans before its scope, too
      var spans = scope.toBuilder().clearScope().build().toByteString();
      var name = scope.toBuilder().clearSpans().build().toByteString();
      ByteArrayOutputStream one = new ByteArrayOutputStream();
      spans.writeTo(one);
      name.writeTo(one);
      writeField(rs, 2, one.toByteArray());
    }
    resourceOnly.writeTo(rs);
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    writeField(req, 1, rs.toByteArray());
    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(req.toByteArray());
    assertThat(parsed.getResourceSpans(0).getResource()).isEqualTo(whole.getResource());

    assertSameSpans(req.toByteArray(), parsed);
  }

  @Test
  void readsAStreamThatComesInSmallPieces() throws IOException {
    ExportTraceServiceRequest request = rich();
    List<RawSpan> spans = new ArrayList<>();
    InputStream trickle =
        new FilterInputStream(new ByteArrayInputStream(request.toByteArray())) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 3));
          }

          @Override
          public long skip(long n) throws IOException {
            return super.skip(Math.min(n, 2));
          }
        };
    new OtlpProtoReader(new Interner()).read(trickle, "mem", spans::add);

    assertThat(spans).hasSize(request.getResourceSpans(0).getScopeSpans(0).getSpansCount() + 1);
    SameSpans.assertSame(spans, fromMessages(request));
  }

  @Test
  void readsOnSeveralThreadsInTheStreamsOrder() throws IOException {
    ExportTraceServiceRequest.Builder many = rich().toBuilder();
    for (int i = 0; i < 30; i++) {
      many.addResourceSpans(Spans.agentPage().getResourceSpans(0));
    }
    ExportTraceServiceRequest request = many.build();
    List<RawSpan> spans = new ArrayList<>();

    // parts of about 2 spans, decoded on 3 threads
    new OtlpProtoReader(new Interner())
        .read(new ByteArrayInputStream(request.toByteArray()), "mem", spans::add, 3, 300);

    assertThat(spans).hasSize(8 + 30 * 6);
    SameSpans.assertSame(spans, fromMessages(request));
  }

  @Test
  void aTruncatedFileIsAFormatErrorThatSaysWhere() {
    byte[] whole = rich().toByteArray();
    byte[] cut = Arrays.copyOf(whole, whole.length - 7);

    for (int threads = 1; threads <= 2; threads++) {
      int t = threads;
      assertThatThrownBy(
              () ->
                  new OtlpProtoReader(new Interner())
                      .read(new ByteArrayInputStream(cut), "cut.pb", s -> {}, t, 300))
          .isInstanceOf(OtlpFormatException.class)
          .hasMessageContaining("cut.pb")
          .hasMessageContaining("not an OTLP protobuf trace request")
          .hasMessageContaining("at byte");
    }
  }

  private static void writeField(ByteArrayOutputStream out, int field, byte[] message)
      throws IOException {
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    c.writeByteArray(field, message);
    c.flush();
  }

  private static void assertSameSpans(byte[] bytes, ExportTraceServiceRequest parsed)
      throws IOException {
    List<RawSpan> streamed = new ArrayList<>();
    new OtlpProtoReader(new Interner()).read(new ByteArrayInputStream(bytes), "mem", streamed::add);
    SameSpans.assertSame(streamed, fromMessages(parsed));
  }

  private static List<RawSpan> fromMessages(ExportTraceServiceRequest request) {
    List<RawSpan> out = new ArrayList<>();
    new OtlpProtoReader(new Interner()).read(request, "mem", out::add);
    return out;
  }

  private static KeyValue kv(String key, AnyValue.Builder v) {
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  /** Spans using every kind of value and field reqflow reads, and some it skips. */
  static ExportTraceServiceRequest rich() {
    ExportTraceServiceRequest agent = Spans.agentPage();
    Span.Builder other =
        Spans.span(
                "00000000000000e1", "00000000000000f1", "GET", Span.SpanKind.SPAN_KIND_CLIENT, 1, 9)
            .setTraceState("k=v")
            .setFlags(1)
            .setDroppedAttributesCount(3)
            .setStatus(Status.newBuilder().setMessage("boom").setCodeValue(2))
            .addAttributes(Spans.attr("http.method", "POST"))
            .addAttributes(Spans.attr("http.url", "http://x:1/a?q=secret"))
            .addAttributes(Spans.attr("net.peer.port", 1))
            .addAttributes(kv("http.status_code", AnyValue.newBuilder().setDoubleValue(503.0)))
            .addAttributes(
                kv(
                    TraceContract.Attr.LIBRARIES_UNRECORDED,
                    AnyValue.newBuilder()
                        .setArrayValue(
                            ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("okhttp"))
                                .addValues(AnyValue.newBuilder().setIntValue(4))
                                .addValues(
                                    AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()))
                                .addValues(
                                    AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()))
                                .addValues(AnyValue.newBuilder().setBoolValue(true)))))
            .addAttributes(
                kv(
                    TraceContract.Attr.IN_PROGRESS,
                    AnyValue.newBuilder().setStringValue("true").setBoolValue(true)))
            .addAttributes(
                kv(
                    TraceContract.Attr.THREAD_NAME,
                    AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("raw"))))
            .addAttributes(
                kv("unknown.big", AnyValue.newBuilder().setStringValue("x".repeat(200_000))))
            .addAttributes(Spans.attr(TraceContract.Attr.SNAPSHOT_SEQ, 7))
            .addEvents(Span.Event.newBuilder().setTimeUnixNano(Spans.ms(2)))
            .addLinks(Span.Link.newBuilder().setSpanId(Spans.id("00000000000000aa")))
            .addLinks(
                Span.Link.newBuilder()
                    .setSpanId(Spans.id("00000000000000ab"))
                    .addAttributes(
                        kv(TraceContract.Attr.LINK_TYPE, AnyValue.newBuilder().setIntValue(1))));
    for (int i = 0; i < 20; i++) {
      Spans.event(other, "e" + (i % 3), i);
    }
    ResourceSpans rs = agent.getResourceSpans(0);
    return agent.toBuilder()
        .setResourceSpans(
            0,
            rs.toBuilder()
                .setScopeSpans(0, rs.getScopeSpans(0).toBuilder().addSpans(other))
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(Spans.attr("host.name", "h"))
                        .addAttributes(Spans.attr("service.name", "shop"))
                        .addAttributes(Spans.attr(TraceContract.Attr.AGENT_VERSION, "0.1.0"))))
        .addResourceSpans(
            Spans.request(
                    "other-service",
                    false,
                    Spans.span(
                        "00000000000000c1", null, "GET /x", Span.SpanKind.SPAN_KIND_SERVER, 0, 5))
                .getResourceSpans(0))
        .build();
  }
}
