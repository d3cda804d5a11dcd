package dev.reqflow.agent.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP protobuf trace receiver on 127.0.0.1, for the tests that run another exporter (the
 * OpenTelemetry Java agent's, an application's own SDK) beside ours. {@code GET /await-reqflow}
 * answers once an export of the reqflow agent has arrived, so that a program can make sure one
 * happened while it ran.
 */
final class OtlpReceiver implements AutoCloseable {
  private final HttpServer server;
  private final List<Received> spans = new ArrayList<>();
  private final List<Request> requests = new ArrayList<>();
  private final CountDownLatch reqflowExport = new CountDownLatch(1);

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/v1/traces", this::traces);
    server.createContext("/await-reqflow", this::awaitReqflow);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized List<Received> spans() {
    return new ArrayList<>(spans);
  }

  synchronized List<Request> requests() {
    return new ArrayList<>(requests);
  }

  private void traces(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      }
    }
    ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(body);
    boolean fromReqflow = false;
    synchronized (this) {
      for (ResourceSpans rs : req.getResourceSpansList()) {
        Map<String, String> resource = attributes(rs.getResource().getAttributesList());
        fromReqflow |= resource.containsKey("reqflow.agent.version");
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            spans.add(new Received(resource, ss.getScope().getName(), s));
          }
        }
      }
      requests.add(
          new Request(
              fromReqflow,
              ex.getRequestHeaders().getFirst("traceparent"),
              ex.getRequestHeaders().getFirst("User-Agent")));
    }
    if (fromReqflow) {
      reqflowExport.countDown();
    }
    ex.sendResponseHeaders(200, -1);
    ex.close();
  }

  private void awaitReqflow(HttpExchange ex) throws IOException {
    boolean arrived;
    try {
      arrived = reqflowExport.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      arrived = false;
    }
    byte[] body = (arrived ? "arrived" : "none").getBytes();
    ex.sendResponseHeaders(arrived ? 200 : 504, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  static Map<String, String> attributes(List<KeyValue> list) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : list) {
      AnyValue v = kv.getValue();
      switch (v.getValueCase()) {
        case STRING_VALUE:
          out.put(kv.getKey(), v.getStringValue());
          break;
        case INT_VALUE:
          out.put(kv.getKey(), String.valueOf(v.getIntValue()));
          break;
        case BOOL_VALUE:
          out.put(kv.getKey(), String.valueOf(v.getBoolValue()));
          break;
        case DOUBLE_VALUE:
          out.put(kv.getKey(), String.valueOf(v.getDoubleValue()));
          break;
        default:
          out.put(kv.getKey(), v.toString());
      }
    }
    return out;
  }

  static String hex(com.google.protobuf.ByteString bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes.toByteArray()) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** One span as received, with its resource and scope. */
  static final class Received {
    final Map<String, String> resource;
    final String scope;
    final String traceId;
    final String spanId;
    final String parentSpanId;
    final String name;
    final Span.SpanKind kind;
    final Map<String, String> attributes;

    Received(Map<String, String> resource, String scope, Span s) {
      this.resource = resource;
      this.scope = scope;
      this.traceId = hex(s.getTraceId());
      this.spanId = hex(s.getSpanId());
      this.parentSpanId = hex(s.getParentSpanId());
      this.name = s.getName();
      this.kind = s.getKind();
      this.attributes = attributes(s.getAttributesList());
    }

    boolean fromReqflow() {
      return resource.containsKey("reqflow.agent.version");
    }

    String attr(String key) {
      return attributes.get(key);
    }

    @Override
    public String toString() {
      return name + " " + kind + " " + traceId + "/" + spanId + "<-" + parentSpanId + " " + scope;
    }
  }

  /** One export request: whose it was and the headers that tell whether it was traced. */
  static final class Request {
    final boolean fromReqflow;
    final String traceparent;
    final String userAgent;

    Request(boolean fromReqflow, String traceparent, String userAgent) {
      this.fromReqflow = fromReqflow;
      this.traceparent = traceparent;
      this.userAgent = userAgent;
    }

    @Override
    public String toString() {
      return (fromReqflow ? "reqflow" : "other") + " traceparent=" + traceparent + " " + userAgent;
    }
  }
}
