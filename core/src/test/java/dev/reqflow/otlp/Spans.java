package dev.reqflow.otlp;

import com.google.protobuf.ByteString;
import dev.reqflow.contract.TraceContract;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;

/** Builds real OTLP protos for reading tests, with times in ms after a fixed epoch. */
final class Spans {
  static final long T0 = 1_700_000_000_000_000_000L;
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  private Spans() {}

  static long ms(long ms) {
    return T0 + ms * 1_000_000L;
  }

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

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

  static KeyValue attr(String key, boolean value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setBoolValue(value))
        .build();
  }

  static Span.Builder span(
      String spanId, String parent, String name, Span.SpanKind kind, long fromMs, long toMs) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(id(TRACE))
            .setSpanId(id(spanId))
            .setName(name)
            .setKind(kind)
            .setStartTimeUnixNano(ms(fromMs))
            .setEndTimeUnixNano(ms(toMs));
    if (parent != null) {
      b.setParentSpanId(id(parent));
    }
    return b;
  }

  static Span.Builder type(Span.Builder b, String type) {
    return b.addAttributes(attr(TraceContract.Attr.SPAN_TYPE, type));
  }

  static Span.Builder event(Span.Builder b, String name, long atMs) {
    return b.addEvents(Span.Event.newBuilder().setName(name).setTimeUnixNano(ms(atMs)));
  }

  static Span.Builder link(Span.Builder b, String spanId, String type) {
    return b.addLinks(
        Span.Link.newBuilder()
            .setTraceId(id(TRACE))
            .setSpanId(id(spanId))
            .addAttributes(attr(TraceContract.Attr.LINK_TYPE, type)));
  }

  static Span.Builder thread(Span.Builder b, long id, String name, String role) {
    return b.addAttributes(attr(TraceContract.Attr.THREAD_ID, id))
        .addAttributes(attr(TraceContract.Attr.THREAD_NAME, name))
        .addAttributes(attr(TraceContract.Attr.THREAD_ROLE, role));
  }

  static ExportTraceServiceRequest request(String service, boolean agent, Span.Builder... spans) {
    Resource.Builder resource = Resource.newBuilder().addAttributes(attr("service.name", service));
    if (agent) {
      resource.addAttributes(attr(TraceContract.Attr.AGENT_VERSION, "0.1.0"));
    }
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(
                InstrumentationScope.newBuilder()
                    .setName(agent ? TraceContract.SCOPE_NAME : "io.opentelemetry.okhttp-3.0"));
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
        .build();
  }

  /**
   * A page like the agent records it: the render thread issues a and b, waits on a (which was
   * queued and connected), then issues c after the wait and waits on b and c together.
   *
   * <pre>
   * flow   |0 ---------------------------------- 100|
   * a      |0 q10 c20 s60 d70|
   * b      |0 ----------- 50|
   * block1 |      5 ------- 70|  waited-on a
   * c      |                 72 ----- 90|  after-wait a
   * block2 |                  75 ---- 90|  waited-on b, c
   * </pre>
   */
  static ExportTraceServiceRequest agentPage() {
    String flow = "00000000000000f1";
    Span.Builder f =
        thread(
            type(span(flow, null, "GET /home", Span.SpanKind.SPAN_KIND_SERVER, 0, 100), "flow"),
            1,
            "http-1",
            "render");
    Span.Builder a =
        thread(
            type(
                span("000000000000000a", flow, "GET", Span.SpanKind.SPAN_KIND_CLIENT, 0, 70),
                "call"),
            1,
            "http-1",
            "render");
    a.addAttributes(attr(TraceContract.Attr.HTTP_REQUEST_METHOD, "GET"))
        .addAttributes(attr(TraceContract.Attr.URL_FULL, "http://users:8081/users/42"))
        .addAttributes(attr(TraceContract.Attr.SERVER_ADDRESS, "users"))
        .addAttributes(attr(TraceContract.Attr.SERVER_PORT, 8081))
        .addAttributes(attr(TraceContract.Attr.HTTP_RESPONSE_STATUS_CODE, 200))
        .addAttributes(attr(TraceContract.Attr.CALL_CLIENT, "okhttp"))
        .addAttributes(attr(TraceContract.Attr.CALL_MODE, "async"))
        .addAttributes(attr(TraceContract.Attr.CONNECTION_REUSED, false))
        .addAttributes(attr(TraceContract.Attr.POOL_NAME, "okhttp-dispatcher"))
        .addAttributes(attr(TraceContract.Attr.POOL_KIND, "dispatcher"))
        .addAttributes(attr(TraceContract.Attr.POOL_LIMIT, 64))
        .addAttributes(attr(TraceContract.Attr.POOL_LIMIT_PER_HOST, 5))
        .addAttributes(attr(TraceContract.Attr.CODE_FUNCTION_NAME, "app.Home.render"))
        .addAttributes(attr(TraceContract.Attr.CODE_FILE_PATH, "Home.java"))
        .addAttributes(attr(TraceContract.Attr.CODE_LINE_NUMBER, 31))
        .addAttributes(attr("some.other.attribute", "ignored"));
    event(a, "dispatched", 10);
    event(a, "connect.start", 10);
    event(a, "connect.end", 20);
    event(a, "request.sent", 20);
    event(a, "response.first_byte", 60);
    event(a, "response.body_done", 70);
    Span.Builder b =
        type(span("000000000000000b", flow, "GET", Span.SpanKind.SPAN_KIND_CLIENT, 0, 50), "call")
            .addAttributes(attr(TraceContract.Attr.URL_FULL, "http://cart:8082/cart"));
    Span.Builder block1 =
        thread(
            type(
                span("00000000000000b1", flow, "wait", Span.SpanKind.SPAN_KIND_INTERNAL, 5, 70),
                "block"),
            1,
            "http-1",
            "render");
    block1.addAttributes(attr(TraceContract.Attr.BLOCK_KIND, "future.get"));
    link(block1, "000000000000000a", "waited-on");
    Span.Builder c =
        type(span("000000000000000c", flow, "GET", Span.SpanKind.SPAN_KIND_CLIENT, 72, 90), "call");
    link(c, "000000000000000a", "after-wait");
    Span.Builder block2 =
        thread(
            type(
                span("00000000000000b2", flow, "wait", Span.SpanKind.SPAN_KIND_INTERNAL, 75, 90),
                "block"),
            1,
            "http-1",
            "render");
    link(block2, "000000000000000b", "waited-on");
    link(block2, "000000000000000c", "waited-on");
    return request("home-service", true, f, a, b, block1, c, block2);
  }
}
