package dev.reqflow.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.reqflow.contract.TraceContract;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/** Reads OTLP protobuf: an {@code ExportTraceServiceRequest} (or the same bytes as TracesData). */
final class OtlpProtoReader {
  private final Interner interner;

  OtlpProtoReader(Interner interner) {
    this.interner = interner;
  }

  void read(InputStream in, String source, Consumer<RawSpan> sink) throws OtlpFormatException {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new OtlpFormatException(
          source, 0, "not an OTLP protobuf trace request: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new OtlpFormatException(source, 0, "cannot read: " + e.getMessage(), e);
    }
    read(request, source, sink);
  }

  void read(ExportTraceServiceRequest request, String source, Consumer<RawSpan> sink) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = "";
      boolean agent = false;
      for (KeyValue kv : rs.getResource().getAttributesList()) {
        if (kv.getKey().equals("service.name")) {
          service = interner.intern(kv.getValue().getStringValue());
        } else if (kv.getKey().equals(TraceContract.Attr.AGENT_VERSION)) {
          agent = true;
        }
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        boolean ours = TraceContract.SCOPE_NAME.equals(ss.getScope().getName());
        for (Span span : ss.getSpansList()) {
          RawSpan s = convert(span);
          s.service = service;
          s.fromAgent = agent || ours;
          s.source = source;
          sink.accept(s);
        }
      }
    }
  }

  private RawSpan convert(Span span) {
    RawSpan s = new RawSpan();
    s.traceId = interner.intern(Ids.hex(span.getTraceId().toByteArray()));
    s.spanId = Ids.hex(span.getSpanId().toByteArray());
    s.parentSpanId = Ids.hex(span.getParentSpanId().toByteArray());
    s.name = interner.intern(span.getName());
    s.kind = span.getKindValue();
    s.startNanos = span.getStartTimeUnixNano();
    s.endNanos = span.getEndTimeUnixNano();
    for (KeyValue kv : span.getAttributesList()) {
      if (RawSpan.wanted(kv.getKey())) {
        Object v = value(kv.getValue());
        if (v != null) {
          s.attr(kv.getKey(), v);
        }
      }
    }
    for (Span.Event e : span.getEventsList()) {
      s.addEvent(interner.intern(e.getName()), e.getTimeUnixNano());
    }
    for (Span.Link l : span.getLinksList()) {
      String type = null;
      for (KeyValue kv : l.getAttributesList()) {
        if (kv.getKey().equals(TraceContract.Attr.LINK_TYPE)) {
          type = interner.intern(kv.getValue().getStringValue());
        }
      }
      s.addLink(Ids.hex(l.getSpanId().toByteArray()), type);
    }
    return s;
  }

  private Object value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return interner.intern(v.getStringValue());
      case INT_VALUE:
        return v.getIntValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case ARRAY_VALUE:
        java.util.List<Object> values = new java.util.ArrayList<>();
        for (AnyValue item : v.getArrayValue().getValuesList()) {
          Object o = item.getValueCase() == AnyValue.ValueCase.ARRAY_VALUE ? null : value(item);
          if (o != null) {
            values.add(o);
          }
        }
        return values;
      default:
        return null;
    }
  }
}
