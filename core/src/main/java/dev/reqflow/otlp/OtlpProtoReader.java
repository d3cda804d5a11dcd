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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Reads OTLP protobuf: an {@code ExportTraceServiceRequest} (or the same bytes as TracesData). */
final class OtlpProtoReader {
  private final Interner interner;
  private ByteStrings strings;

  OtlpProtoReader(Interner interner) {
    this.interner = interner;
  }

  /**
   * Reads a request from a stream as it comes, span by span, without building it: a file of one 600
   * MB request is read in the memory of its spans, not of its message objects as well.
   */
  void read(InputStream in, String source, Consumer<RawSpan> sink) throws OtlpFormatException {
    read(in, source, sink, 1);
  }

  /**
   * As {@link #read(InputStream, String, Consumer)}, decoding spans on {@code threads} threads when
   * more than one: this thread cuts the stream into parts of whole spans and hands their spans on
   * in stream order, so the result is the same.
   */
  void read(InputStream in, String source, Consumer<RawSpan> sink, int threads)
      throws OtlpFormatException {
    read(in, source, sink, threads, PART_BYTES);
  }

  void read(InputStream in, String source, Consumer<RawSpan> sink, int threads, int partBytes)
      throws OtlpFormatException {
    this.partBytes = partBytes;
    strings = new ByteStrings(interner);
    ProtoWire w = new ProtoWire(in, 1 << 16);
    if (threads > 1) {
      parts =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "reqflow-otlp-reader");
                t.setDaemon(true);
                return t;
              });
      maxInFlight = threads + 1;
    }
    try {
      while (!w.atEnd()) {
        int tag = w.readTag();
        if (tag == ProtoWire.tag(1, ProtoWire.LEN)) {
          readResourceSpans(w, w.messageEnd(Long.MAX_VALUE), source, sink);
        } else {
          w.skipField(tag, Long.MAX_VALUE);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new OtlpFormatException(
          source, 0, "not an OTLP protobuf trace request: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new OtlpFormatException(source, 0, "cannot read: " + e.getMessage(), e);
    } finally {
      if (parts != null) {
        parts.shutdownNow();
        parts = null;
      }
    }
  }

  /** Decodes parts of spans when reading on several threads; null on one. */
  private ExecutorService parts;

  private int maxInFlight;
  private int partBytes = PART_BYTES;

  /** Bytes of spans in a part decoded on its own. */
  static final int PART_BYTES = 4 << 20;

  /** Names the stream reader looks for: the attribute keys it keeps and the resource's. */
  private static final NameTable KEYS = NameTable.of(keys());

  private static List<String> keys() {
    List<String> all = new ArrayList<>(RawSpan.KEYS);
    all.add("service.name");
    all.add(TraceContract.Attr.AGENT_VERSION);
    all.add(TraceContract.Attr.LINK_TYPE);
    return all;
  }

  /**
   * One {@code ResourceSpans}: spans are handed on as read once the resource is known, which
   * encoders write first (field 1); spans that come before it wait for the end of the message.
   */
  private void readResourceSpans(ProtoWire w, long end, String source, Consumer<RawSpan> sink)
      throws IOException {
    Resource r = new Resource();
    List<RawSpan> early = new ArrayList<>();
    Consumer<RawSpan> out =
        s -> {
          if (r.seen) {
            s.service = r.service;
            s.fromAgent |= r.agent;
            sink.accept(s);
          } else {
            early.add(s);
          }
        };
    while (w.position() < end) {
      int tag = w.readTag();
      if (tag == ProtoWire.tag(1, ProtoWire.LEN)) {
        readResource(w, w.messageEnd(end), r);
        r.seen = true;
        // Spans read before their resource go on now, in the order they came.
        for (RawSpan s : early) {
          out.accept(s);
        }
        early.clear();
      } else if (tag == ProtoWire.tag(2, ProtoWire.LEN)) {
        readScopeSpans(w, w.messageEnd(end), source, out);
      } else {
        w.skipField(tag, end);
      }
    }
    r.seen = true;
    for (RawSpan s : early) {
      out.accept(s);
    }
  }

  private static final class Resource {
    boolean seen;
    String service = "";
    boolean agent;
  }

  private void readResource(ProtoWire w, long end, Resource r) throws IOException {
    while (w.position() < end) {
      int tag = w.readTag();
      if (tag == ProtoWire.tag(1, ProtoWire.LEN)) {
        long kvEnd = w.messageEnd(end);
        String key = null;
        String value = "";
        while (w.position() < kvEnd) {
          int t = w.readTag();
          if (t == ProtoWire.tag(1, ProtoWire.LEN)) {
            key = w.readKnown(KEYS, w.readLength(kvEnd));
          } else if (t == ProtoWire.tag(2, ProtoWire.LEN)) {
            value = stringValue(w, w.messageEnd(kvEnd));
          } else {
            w.skipField(t, kvEnd);
          }
        }
        if ("service.name".equals(key)) {
          r.service = value;
        } else if (TraceContract.Attr.AGENT_VERSION.equals(key)) {
          r.agent = true;
        }
      } else {
        w.skipField(tag, end);
      }
    }
  }

  /** An {@code AnyValue}'s string, or "" when it holds none (as {@code getStringValue}). */
  private String stringValue(ProtoWire w, long end) throws IOException {
    String value = "";
    while (w.position() < end) {
      int t = w.readTag();
      if (t == ProtoWire.tag(1, ProtoWire.LEN)) {
        value = w.readInterned(w.readLength(end), strings);
      } else {
        w.skipField(t, end);
        // Another member of the oneof set after the string replaces it.
        if ((t >>> 3) >= 2 && (t >>> 3) <= 7) {
          value = "";
        }
      }
    }
    return value;
  }

  private void readScopeSpans(ProtoWire w, long end, String source, Consumer<RawSpan> sink)
      throws IOException {
    Boolean ours = null;
    List<RawSpan> early = new ArrayList<>();
    Deque<InFlight> inFlight = new ArrayDeque<>();
    byte[] part = null;
    int partLength = 0;
    long partStart = 0;
    while (w.position() < end) {
      long at = w.position();
      int tag = w.readTag();
      if (tag == ProtoWire.tag(1, ProtoWire.LEN)) {
        long scopeEnd = w.messageEnd(end);
        boolean named = false;
        while (w.position() < scopeEnd) {
          int t = w.readTag();
          if (t == ProtoWire.tag(1, ProtoWire.LEN)) {
            named =
                TraceContract.SCOPE_NAME.equals(w.readInterned(w.readLength(scopeEnd), strings));
          } else {
            w.skipField(t, scopeEnd);
          }
        }
        ours = named;
        // Spans read before their scope go on now, in the order they came.
        for (RawSpan s : early) {
          s.fromAgent = ours;
          sink.accept(s);
        }
        early.clear();
      } else if (tag == ProtoWire.tag(2, ProtoWire.LEN) && parts != null && ours != null) {
        // The span's field (tag, length, bytes) joins the part; a full part is decoded apart.
        int len = w.readLength(end);
        int need = partLength + 6 + len;
        if (part == null && !free.isEmpty()) {
          part = free.pop();
        }
        if (part == null || need > part.length) {
          part = Arrays.copyOf(part == null ? new byte[0] : part, Math.max(need, partBytes));
        }
        if (partLength == 0) {
          partStart = at;
        }
        part[partLength++] = (byte) tag;
        partLength = writeVarint(part, partLength, len);
        w.readRaw(part, partLength, len);
        partLength += len;
        if (partLength >= partBytes) {
          inFlight.add(decode(part, partLength, partStart, source, ours));
          part = null;
          partLength = 0;
          while (inFlight.size() > maxInFlight) {
            InFlight done = inFlight.removeFirst();
            drain(done.spans(), sink);
            free.push(done.buffer());
          }
        }
      } else if (tag == ProtoWire.tag(2, ProtoWire.LEN)) {
        RawSpan s = readSpan(w, w.messageEnd(end));
        s.source = source;
        if (ours != null) {
          s.fromAgent = ours;
          sink.accept(s);
        } else {
          early.add(s);
        }
      } else {
        w.skipField(tag, end);
      }
    }
    if (partLength > 0) {
      inFlight.add(decode(part, partLength, partStart, source, ours));
    }
    while (!inFlight.isEmpty()) {
      InFlight done = inFlight.removeFirst();
      drain(done.spans(), sink);
      free.push(done.buffer());
    }
    for (RawSpan s : early) {
      s.fromAgent = ours != null && ours;
      sink.accept(s);
    }
  }

  private static int writeVarint(byte[] out, int at, int value) {
    while ((value & ~0x7f) != 0) {
      out[at++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }

  /**
   * Decodes a part of span fields on the pool, each span as the stream reader would; {@code start}
   * is where the part was in the stream, for errors.
   */
  private InFlight decode(byte[] part, int length, long start, String source, boolean ours) {
    return new InFlight(
        parts.submit(
            () -> {
              OtlpProtoReader reader = new OtlpProtoReader(new Interner());
              reader.strings = new ByteStrings(reader.interner);
              ProtoWire w = new ProtoWire(part, length, start);
              List<RawSpan> out = new ArrayList<>();
              while (!w.atEnd()) {
                w.readTag();
                RawSpan s = reader.readSpan(w, w.messageEnd(Long.MAX_VALUE));
                s.source = source;
                s.fromAgent = ours;
                out.add(s);
              }
              return out;
            }),
        part);
  }

  /** A part being decoded, and its buffer: free again once its spans are handed on. */
  private record InFlight(Future<List<RawSpan>> spans, byte[] buffer) {}

  /**
   * Buffers of parts already handed on, used again (by the thread reading the stream only): a part
   * is larger than G1's humongous threshold, and a humongous allocation per part started a
   * concurrent collection cycle over the spans read so far each time.
   */
  private final Deque<byte[]> free = new ArrayDeque<>();

  private static void drain(Future<List<RawSpan>> part, Consumer<RawSpan> sink) throws IOException {
    List<RawSpan> spans;
    try {
      spans = part.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
    for (RawSpan s : spans) {
      sink.accept(s);
    }
  }

  private RawSpan readSpan(ProtoWire w, long end) throws IOException {
    RawSpan s = new RawSpan();
    while (w.position() < end) {
      int tag = w.readTag();
      switch (tag) {
        case 1 << 3 | ProtoWire.LEN:
          s.traceId = interner.intern(w.readHex(w.readLength(end), strings));
          break;
        case 2 << 3 | ProtoWire.LEN:
          s.spanId = w.readHex(w.readLength(end), strings);
          break;
        case 4 << 3 | ProtoWire.LEN:
          s.parentSpanId = w.readHex(w.readLength(end), strings);
          break;
        case 5 << 3 | ProtoWire.LEN:
          s.name = w.readInterned(w.readLength(end), strings);
          break;
        case 6 << 3 | ProtoWire.VARINT:
          s.kind = (int) w.readVarint();
          break;
        case 7 << 3 | ProtoWire.I64:
          s.startNanos = w.readFixed64();
          break;
        case 8 << 3 | ProtoWire.I64:
          s.endNanos = w.readFixed64();
          break;
        case 9 << 3 | ProtoWire.LEN:
          readAttribute(w, w.messageEnd(end), s);
          break;
        case 11 << 3 | ProtoWire.LEN:
          readEvent(w, w.messageEnd(end), s);
          break;
        case 13 << 3 | ProtoWire.LEN:
          readLink(w, w.messageEnd(end), s);
          break;
        default:
          w.skipField(tag, end);
          break;
      }
    }
    s.trim();
    return s;
  }

  /** A {@code KeyValue} of a span: decoded only when reqflow reads that key. */
  private void readAttribute(ProtoWire w, long end, RawSpan s) throws IOException {
    String key = null;
    boolean keySeen = false;
    Object value = null;
    while (w.position() < end) {
      int t = w.readTag();
      if (t == ProtoWire.tag(1, ProtoWire.LEN)) {
        key = w.readKnown(KEYS, w.readLength(end));
        keySeen = true;
      } else if (t == ProtoWire.tag(2, ProtoWire.LEN) && (!keySeen || key != null)) {
        value = anyValue(w, w.messageEnd(end), true);
      } else {
        w.skipField(t, end);
      }
    }
    if (key != null && value != null && RawSpan.wanted(key)) {
      s.attr(key, value);
    }
  }

  /**
   * An {@code AnyValue} as {@link #value(AnyValue)} gives it: a String, Long, Boolean, Double, the
   * scalar items of an array (when {@code arrays}), or null.
   */
  private Object anyValue(ProtoWire w, long end, boolean arrays) throws IOException {
    Object value = null;
    while (w.position() < end) {
      int t = w.readTag();
      switch (t) {
        case 1 << 3 | ProtoWire.LEN:
          value = w.readInterned(w.readLength(end), strings);
          break;
        case 2 << 3 | ProtoWire.VARINT:
          value = w.readVarint() != 0;
          break;
        case 3 << 3 | ProtoWire.VARINT:
          value = w.readVarint();
          break;
        case 4 << 3 | ProtoWire.I64:
          value = Double.longBitsToDouble(w.readFixed64());
          break;
        case 5 << 3 | ProtoWire.LEN:
          long arrayEnd = w.messageEnd(end);
          if (!arrays) {
            w.skip(arrayEnd - w.position());
            value = null;
            break;
          }
          List<Object> values = new ArrayList<>();
          while (w.position() < arrayEnd) {
            int at = w.readTag();
            if (at == ProtoWire.tag(1, ProtoWire.LEN)) {
              Object o = anyValue(w, w.messageEnd(arrayEnd), false);
              if (o != null) {
                values.add(o);
              }
            } else {
              w.skipField(at, arrayEnd);
            }
          }
          value = values;
          break;
        default:
          w.skipField(t, end);
          if ((t >>> 3) >= 1 && (t >>> 3) <= 7) {
            value = null; // another member of the oneof (a map, bytes) replaces it
          }
          break;
      }
    }
    return value;
  }

  private void readEvent(ProtoWire w, long end, RawSpan s) throws IOException {
    String name = "";
    long time = 0;
    while (w.position() < end) {
      int t = w.readTag();
      if (t == ProtoWire.tag(1, ProtoWire.I64)) {
        time = w.readFixed64();
      } else if (t == ProtoWire.tag(2, ProtoWire.LEN)) {
        name = w.readInterned(w.readLength(end), strings);
      } else {
        w.skipField(t, end);
      }
    }
    s.addEvent(name, time);
  }

  private void readLink(ProtoWire w, long end, RawSpan s) throws IOException {
    String spanId = "";
    String type = null;
    while (w.position() < end) {
      int t = w.readTag();
      if (t == ProtoWire.tag(2, ProtoWire.LEN)) {
        spanId = w.readHex(w.readLength(end), strings);
      } else if (t == ProtoWire.tag(4, ProtoWire.LEN)) {
        long kvEnd = w.messageEnd(end);
        String key = null;
        String value = "";
        while (w.position() < kvEnd) {
          int k = w.readTag();
          if (k == ProtoWire.tag(1, ProtoWire.LEN)) {
            key = w.readKnown(KEYS, w.readLength(kvEnd));
          } else if (k == ProtoWire.tag(2, ProtoWire.LEN)) {
            value = stringValue(w, w.messageEnd(kvEnd));
          } else {
            w.skipField(k, kvEnd);
          }
        }
        if (TraceContract.Attr.LINK_TYPE.equals(key)) {
          type = value;
        }
      } else {
        w.skipField(t, end);
      }
    }
    s.addLink(spanId, type);
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
    s.trim();
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
        List<Object> values = new ArrayList<>();
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
