package dev.reqflow.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.reqflow.contract.TraceContract;
import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.ThreadRef;
import dev.reqflow.flow.ThreadRole;
import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes flows as the agent would record them, in the Collector's file-exporter format (one request
 * per line, hex ids, 64-bit integers as strings): for CLI tests and the benchmark.
 */
public final class OtlpJsonLines {
  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, String> ids = new HashMap<>();
  private long next = 1;

  /** Writes one flow as one line. */
  public void write(Flow flow, Writer out) throws IOException {
    String trace = traceId(flow.traceId());
    String flowSpan = spanId(flow.traceId(), flow.spanId());
    JsonGenerator g = JSON.createGenerator(out);
    g.writeStartObject();
    g.writeArrayFieldStart("resourceSpans");
    g.writeStartObject();
    g.writeObjectFieldStart("resource");
    g.writeArrayFieldStart("attributes");
    str(g, "service.name", flow.service());
    str(g, Attr.AGENT_VERSION, "test");
    g.writeEndArray();
    g.writeEndObject();
    g.writeArrayFieldStart("scopeSpans");
    g.writeStartObject();
    g.writeObjectFieldStart("scope");
    g.writeStringField("name", TraceContract.SCOPE_NAME);
    g.writeEndObject();
    g.writeArrayFieldStart("spans");

    start(g, trace, flowSpan, null, flow.name(), 2, flow.startNanos(), flow.endNanos());
    str(g, Attr.SPAN_TYPE, TraceContract.SpanType.FLOW);
    str(g, Attr.FLOW_NAME, flow.name());
    if (flow.sampling().sampled()) {
      str(g, Attr.FLOW_SAMPLING, flow.sampling().options());
      str(g, Attr.FLOW_SAMPLED_BECAUSE, flow.sampling().keptBecause());
    }
    thread(g, flow.renderThread().withRole(ThreadRole.RENDER));
    if (flow.unseen().socketNanos() > 0) {
      num(g, Attr.UNSEEN_SOCKET_NANOS, flow.unseen().socketNanos());
      num(g, Attr.UNSEEN_SOCKET_OPS, flow.unseen().socketOps());
    }
    if (flow.unseen().waitNanos() > 0) {
      num(g, Attr.UNSEEN_WAIT_NANOS, flow.unseen().waitNanos());
    }
    if (!flow.unseen().libraries().isEmpty()) {
      g.writeStartObject();
      g.writeStringField("key", Attr.LIBRARIES_UNRECORDED);
      g.writeObjectFieldStart("value");
      g.writeObjectFieldStart("arrayValue");
      g.writeArrayFieldStart("values");
      for (String l : flow.unseen().libraries()) {
        g.writeStartObject();
        g.writeStringField("stringValue", l);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();

    for (Call c : flow.calls()) {
      start(
          g,
          trace,
          spanId(flow.traceId(), c.spanId()),
          flowSpan,
          c.method(),
          3,
          c.startNanos(),
          c.endNanos());
      str(g, Attr.SPAN_TYPE, TraceContract.SpanType.CALL);
      str(g, Attr.HTTP_REQUEST_METHOD, c.method());
      str(g, Attr.URL_FULL, c.url());
      str(g, Attr.SERVER_ADDRESS, c.host());
      num(g, Attr.SERVER_PORT, c.port());
      if (c.status() > 0) {
        num(g, Attr.HTTP_RESPONSE_STATUS_CODE, c.status());
      }
      str(g, Attr.CALL_CLIENT, c.client());
      str(g, Attr.CALL_MODE, c.mode().name().toLowerCase(Locale.ROOT));
      if (c.connectionReuse() != ConnectionReuse.UNKNOWN) {
        g.writeStartObject();
        g.writeStringField("key", Attr.CONNECTION_REUSED);
        g.writeObjectFieldStart("value");
        g.writeBooleanField("boolValue", c.connectionReuse() == ConnectionReuse.REUSED);
        g.writeEndObject();
        g.writeEndObject();
      }
      if (c.pool().limit() > 0 || c.pool().limitPerHost() > 0) {
        str(g, Attr.POOL_NAME, c.pool().name());
        str(g, Attr.POOL_KIND, c.pool().kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        num(g, Attr.POOL_LIMIT, c.pool().limit());
        num(g, Attr.POOL_LIMIT_PER_HOST, c.pool().limitPerHost());
      }
      str(g, Attr.CODE_FUNCTION_NAME, c.callSite().function());
      str(g, Attr.CODE_FILE_PATH, c.callSite().file());
      num(g, Attr.CODE_LINE_NUMBER, c.callSite().line());
      thread(g, c.thread());
      g.writeEndArray();
      g.writeArrayFieldStart("events");
      for (Phase p : c.phases()) {
        switch (p.kind()) {
          case QUEUED:
            event(g, Event.DISPATCHED, p.endNanos());
            break;
          case DNS:
            event(g, Event.DNS_START, p.startNanos());
            event(g, Event.DNS_END, p.endNanos());
            break;
          case CONNECT:
            event(g, Event.CONNECT_START, p.startNanos());
            event(g, Event.CONNECT_END, p.endNanos());
            break;
          case TLS:
            event(g, Event.TLS_START, p.startNanos());
            event(g, Event.TLS_END, p.endNanos());
            break;
          case SEND:
            break;
          case SERVER:
            event(g, Event.REQUEST_SENT, p.startNanos());
            event(g, Event.RESPONSE_FIRST_BYTE, p.endNanos());
            break;
          case DOWNLOAD:
            event(g, Event.RESPONSE_BODY_DONE, p.endNanos());
            break;
          default:
            break;
        }
      }
      g.writeEndArray();
      g.writeArrayFieldStart("links");
      for (Dependency d : c.dependencies()) {
        link(
            g,
            trace,
            spanId(flow.traceId(), d.spanId()),
            d.type() == DependencyType.CALLBACK
                ? TraceContract.LinkType.CALLBACK
                : TraceContract.LinkType.AFTER_WAIT);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    for (Block b : flow.blocks()) {
      start(
          g,
          trace,
          spanId(flow.traceId(), b.spanId()),
          flowSpan,
          "wait",
          1,
          b.startNanos(),
          b.endNanos());
      str(g, Attr.SPAN_TYPE, TraceContract.SpanType.BLOCK);
      str(g, Attr.BLOCK_KIND, b.kind());
      str(g, Attr.CODE_FUNCTION_NAME, b.site().function());
      str(g, Attr.CODE_FILE_PATH, b.site().file());
      num(g, Attr.CODE_LINE_NUMBER, b.site().line());
      if (!b.completedBy().isEmpty()) {
        str(g, Attr.BLOCK_COMPLETED_BY, b.completedBy());
      }
      thread(g, b.thread());
      g.writeEndArray();
      g.writeArrayFieldStart("links");
      for (String id : b.releasedBy()) {
        link(g, trace, spanId(flow.traceId(), id), TraceContract.LinkType.WAITED_ON);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
    g.flush();
    out.write('\n');
  }

  /** Hex id for a trace id that may not be hex. */
  private String traceId(String id) {
    return ids.computeIfAbsent("t:" + id, k -> String.format("%032x", next++));
  }

  private String spanId(String trace, String id) {
    return ids.computeIfAbsent("s:" + trace + "/" + id, k -> String.format("%016x", next++));
  }

  /** Opens a span object and its attributes array. */
  private static void start(
      JsonGenerator g,
      String trace,
      String span,
      String parent,
      String name,
      int kind,
      long start,
      long end)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", trace);
    g.writeStringField("spanId", span);
    if (parent != null) {
      g.writeStringField("parentSpanId", parent);
    }
    g.writeStringField("name", name);
    g.writeNumberField("kind", kind);
    g.writeStringField("startTimeUnixNano", Long.toString(start));
    g.writeStringField("endTimeUnixNano", Long.toString(end));
    g.writeArrayFieldStart("attributes");
  }

  private static void thread(JsonGenerator g, ThreadRef t) throws IOException {
    if (t.id() != ThreadRef.UNKNOWN_ID) {
      num(g, Attr.THREAD_ID, t.id());
    }
    str(g, Attr.THREAD_NAME, t.name());
    str(g, Attr.THREAD_ROLE, t.role().name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  private static void str(JsonGenerator g, String key, String value) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    g.writeObjectFieldStart("value");
    g.writeStringField("stringValue", value);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void num(JsonGenerator g, String key, long value) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    g.writeObjectFieldStart("value");
    g.writeStringField("intValue", Long.toString(value));
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void event(JsonGenerator g, String name, long at) throws IOException {
    g.writeStartObject();
    g.writeStringField("timeUnixNano", Long.toString(at));
    g.writeStringField("name", name);
    g.writeEndObject();
  }

  private static void link(JsonGenerator g, String trace, String span, String type)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", trace);
    g.writeStringField("spanId", span);
    g.writeArrayFieldStart("attributes");
    str(g, Attr.LINK_TYPE, type);
    g.writeEndArray();
    g.writeEndObject();
  }
}
