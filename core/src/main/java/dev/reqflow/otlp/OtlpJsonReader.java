package dev.reqflow.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.reqflow.contract.TraceContract;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads OTLP JSON: one {@code ExportTraceServiceRequest} or {@code TracesData}, or many one after
 * the other as the Collector's file exporter writes them (JSON lines). Streaming, with no object
 * tree and no attribute maps, because a million-span file must open in the viewer within seconds.
 * Accepts lowerCamelCase and snake_case keys, hex or base64 ids, enums as numbers or names, and
 * 64-bit integers as strings or numbers.
 */
final class OtlpJsonReader {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** Every attribute key and event name the reader uses. */
  static final NameTable NAMES = NameTable.of(names());

  private static List<String> names() {
    List<String> all = new ArrayList<>(RawSpan.KEYS);
    all.add("service.name");
    all.add(TraceContract.Attr.AGENT_VERSION);
    all.add(TraceContract.Attr.LINK_TYPE);
    all.addAll(TraceContract.Event.PHASE_ORDER);
    return all;
  }

  private final Interner interner;

  /** Lines before the part being read, when a file is read in parts. */
  private long lineOffset;

  OtlpJsonReader(Interner interner) {
    this.interner = interner;
  }

  /** Reads every request in the input, handing each span to the sink. */
  void read(InputStream in, String source, Consumer<RawSpan> sink) throws OtlpFormatException {
    JsonParser p;
    try {
      p = FACTORY.createParser(in);
    } catch (IOException e) {
      throw new OtlpFormatException(source, 0, "cannot read: " + e.getMessage(), e);
    }
    read(p, source, sink);
  }

  /** Reads the requests in part of a file that starts after {@code lineOffset} lines. */
  void read(
      byte[] data, int offset, int length, String source, long lineOffset, Consumer<RawSpan> sink)
      throws OtlpFormatException {
    this.lineOffset = lineOffset;
    JsonParser p;
    try {
      p = FACTORY.createParser(data, offset, length);
    } catch (IOException e) {
      throw new OtlpFormatException(source, 0, "cannot read: " + e.getMessage(), e);
    }
    read(p, source, sink);
  }

  private void read(JsonParser parser, String source, Consumer<RawSpan> sink)
      throws OtlpFormatException {
    try (JsonParser p = parser) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.START_OBJECT) {
          throw fail(p, source, "expected an OTLP request object, found " + describe(t, p));
        }
        readRequest(p, source, sink);
      }
    } catch (OtlpFormatException e) {
      throw e;
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : lineOffset + e.getLocation().getLineNr();
      throw new OtlpFormatException(source, line, "not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new OtlpFormatException(source, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * One top-level object: an {@code ExportTraceServiceRequest} ({@code resourceSpans}), or one
   * {@code ResourceSpans} on its own ({@code resource}, {@code scopeSpans}), as the OpenTelemetry
   * Java agent's {@code logging-otlp} exporter prints one per line.
   */
  private void readRequest(JsonParser p, String source, Consumer<RawSpan> sink) throws IOException {
    ResourceSpans bare = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = norm(p.currentName());
      JsonToken v = p.nextToken();
      if (key.equals("resourceSpans")) {
        expect(p, v, JsonToken.START_ARRAY, source, key);
        while (p.nextToken() == JsonToken.START_OBJECT) {
          ResourceSpans r = new ResourceSpans();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String rk = norm(p.currentName());
            r.field(p, rk, p.nextToken(), source);
          }
          r.emit(sink);
        }
      } else if (key.equals("resource") || key.equals("scopeSpans")) {
        if (bare == null) {
          bare = new ResourceSpans();
        }
        bare.field(p, key, v, source);
      } else {
        p.skipChildren();
      }
    }
    if (bare != null) {
      bare.emit(sink);
    }
  }

  /** The spans of one {@code ResourceSpans}, with its service, as its fields are read. */
  private final class ResourceSpans {
    final List<RawSpan> spans = new ArrayList<>();
    String service = "";
    boolean agent;

    void field(JsonParser p, String key, JsonToken v, String source) throws IOException {
      if (key.equals("resource")) {
        expect(p, v, JsonToken.START_OBJECT, source, key);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String rk = p.currentName();
          JsonToken rv = p.nextToken();
          if (rk.equals("attributes")) {
            expect(p, rv, JsonToken.START_ARRAY, source, rk);
            while (p.nextToken() == JsonToken.START_OBJECT) {
              Object[] kv = readKeyValue(p, source);
              if ("service.name".equals(kv[0]) && kv[1] != null) {
                service = interner.intern(String.valueOf(kv[1]));
              } else if (TraceContract.Attr.AGENT_VERSION.equals(kv[0])) {
                agent = true;
              }
            }
          } else {
            p.skipChildren();
          }
        }
      } else if (key.equals("scopeSpans")) {
        expect(p, v, JsonToken.START_ARRAY, source, key);
        while (p.nextToken() == JsonToken.START_OBJECT) {
          readScopeSpans(p, source, spans);
        }
      } else {
        p.skipChildren();
      }
    }

    void emit(Consumer<RawSpan> sink) {
      for (RawSpan s : spans) {
        s.service = service;
        s.fromAgent |= agent;
        sink.accept(s);
      }
    }
  }

  private void readScopeSpans(JsonParser p, String source, List<RawSpan> out) throws IOException {
    int first = out.size();
    boolean ours = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = norm(p.currentName());
      JsonToken v = p.nextToken();
      if (key.equals("scope")) {
        expect(p, v, JsonToken.START_OBJECT, source, key);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String sk = p.currentName();
          p.nextToken();
          if (sk.equals("name")) {
            ours = TraceContract.SCOPE_NAME.equals(p.getValueAsString());
          } else {
            p.skipChildren();
          }
        }
      } else if (key.equals("spans")) {
        expect(p, v, JsonToken.START_ARRAY, source, key);
        while (p.nextToken() == JsonToken.START_OBJECT) {
          out.add(readSpan(p, source));
        }
      } else {
        p.skipChildren();
      }
    }
    if (ours) {
      for (int i = first; i < out.size(); i++) {
        out.get(i).fromAgent = true;
      }
    }
  }

  private RawSpan readSpan(JsonParser p, String source) throws IOException {
    RawSpan s = new RawSpan();
    long line = lineOffset + p.currentLocation().getLineNr();
    s.source = source;
    s.line = line;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = norm(p.currentName());
      JsonToken v = p.nextToken();
      switch (key) {
        case "traceId":
          s.traceId = interner.intern(id(p, source));
          break;
        case "spanId":
          s.spanId = id(p, source);
          break;
        case "parentSpanId":
          s.parentSpanId = id(p, source);
          break;
        case "name":
          s.name = interner.intern(p.getValueAsString(""));
          break;
        case "kind":
          s.kind = kind(p, v, source);
          break;
        case "startTimeUnixNano":
          s.startNanos = longValue(p, v, source, key);
          break;
        case "endTimeUnixNano":
          s.endNanos = longValue(p, v, source, key);
          break;
        case "attributes":
          expect(p, v, JsonToken.START_ARRAY, source, key);
          while (p.nextToken() == JsonToken.START_OBJECT) {
            Object[] kv = readKeyValue(p, source);
            if (kv[0] != null && kv[1] != null) {
              s.attr((String) kv[0], kv[1]);
            }
          }
          break;
        case "events":
          expect(p, v, JsonToken.START_ARRAY, source, key);
          while (p.nextToken() == JsonToken.START_OBJECT) {
            readEvent(p, source, s);
          }
          break;
        case "links":
          expect(p, v, JsonToken.START_ARRAY, source, key);
          while (p.nextToken() == JsonToken.START_OBJECT) {
            readLink(p, source, s);
          }
          break;
        default:
          p.skipChildren();
          break;
      }
    }
    if (s.spanId.isEmpty() || s.traceId.isEmpty()) {
      throw new OtlpFormatException(source, line, "span without traceId or spanId", null);
    }
    s.trim();
    return s;
  }

  private void readEvent(JsonParser p, String source, RawSpan s) throws IOException {
    String name = null;
    long time = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = norm(p.currentName());
      JsonToken v = p.nextToken();
      if (key.equals("name")) {
        name =
            v == JsonToken.VALUE_STRING
                ? NAMES.lookup(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                : null;
        if (name == null) {
          name = interner.intern(p.getValueAsString(""));
        }
      } else if (key.equals("timeUnixNano")) {
        time = longValue(p, v, source, key);
      } else {
        p.skipChildren();
      }
    }
    if (name != null) {
      s.addEvent(name, time);
    }
  }

  private void readLink(JsonParser p, String source, RawSpan s) throws IOException {
    String spanId = "";
    String type = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = norm(p.currentName());
      JsonToken v = p.nextToken();
      if (key.equals("spanId")) {
        spanId = id(p, source);
      } else if (key.equals("attributes")) {
        expect(p, v, JsonToken.START_ARRAY, source, key);
        while (p.nextToken() == JsonToken.START_OBJECT) {
          Object[] kv = readKeyValue(p, source);
          if (TraceContract.Attr.LINK_TYPE.equals(kv[0]) && kv[1] != null) {
            type = interner.intern(String.valueOf(kv[1]));
          }
        }
      } else {
        p.skipChildren();
      }
    }
    if (!spanId.isEmpty()) {
      s.addLink(spanId, type);
    }
  }

  /** Reads {@code {"key":..,"value":{..}}}; decodes the value only when wanted or when asked. */
  private Object[] readKeyValue(JsonParser p, String source) throws IOException {
    String key = null;
    boolean keySeen = false;
    Object value = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("key")) {
        // Most attributes are of no interest: look the key up without making a string of it.
        key =
            v == JsonToken.VALUE_STRING
                ? NAMES.lookup(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                : null;
        keySeen = true;
      } else if (field.equals("value")) {
        if (v == JsonToken.START_OBJECT && (!keySeen || key != null)) {
          value = readAnyValue(p, source);
        } else {
          p.skipChildren();
        }
      } else {
        p.skipChildren();
      }
    }
    return new Object[] {key, value};
  }

  private Object readAnyValue(JsonParser p, String source) throws IOException {
    Object value = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String kind = norm(p.currentName());
      JsonToken v = p.nextToken();
      switch (kind) {
        case "stringValue":
          value = interner.intern(p.getValueAsString(""));
          break;
        case "intValue":
          value = longValue(p, v, source, kind);
          break;
        case "boolValue":
          value = v == JsonToken.VALUE_TRUE || "true".equals(p.getValueAsString());
          break;
        case "doubleValue":
          value = p.getValueAsDouble();
          break;
        case "arrayValue":
          value = readArrayValue(p, v, source);
          break;
        default:
          p.skipChildren();
          break;
      }
    }
    return value;
  }

  /** {@code {"values":[AnyValue...]}}: the scalar values, in order; nested arrays are skipped. */
  private List<Object> readArrayValue(JsonParser p, JsonToken v, String source) throws IOException {
    expect(p, v, JsonToken.START_OBJECT, source, "arrayValue");
    List<Object> values = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      if (key.equals("values")) {
        expect(p, t, JsonToken.START_ARRAY, source, key);
        while (p.nextToken() == JsonToken.START_OBJECT) {
          Object item = readAnyValue(p, source);
          if (item != null && !(item instanceof List)) {
            values.add(item);
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return values;
  }

  private String id(JsonParser p, String source) throws IOException {
    try {
      return Ids.fromJson(p.getValueAsString(""));
    } catch (IllegalArgumentException e) {
      throw fail(p, source, e.getMessage());
    }
  }

  private int kind(JsonParser p, JsonToken v, String source) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return p.getIntValue();
    }
    String name = p.getValueAsString("");
    int kind = spanKind(name);
    if (kind < 0) {
      throw fail(p, source, "unknown span kind '" + name + "'");
    }
    return kind;
  }

  /**
   * A span kind as OTLP JSON may name it ({@code SPAN_KIND_SERVER}), as its number in the
   * protobuf's enum (2); -1 for a name it does not define.
   */
  static int spanKind(String name) {
    switch (name) {
      case "SPAN_KIND_UNSPECIFIED":
        return 0;
      case "SPAN_KIND_INTERNAL":
        return 1;
      case "SPAN_KIND_SERVER":
        return 2;
      case "SPAN_KIND_CLIENT":
        return 3;
      case "SPAN_KIND_PRODUCER":
        return 4;
      case "SPAN_KIND_CONSUMER":
        return 5;
      default:
        return -1;
    }
  }

  private long longValue(JsonParser p, JsonToken v, String source, String key) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (v == JsonToken.VALUE_STRING) {
      String text = p.getText();
      try {
        return Long.parseUnsignedLong(text);
      } catch (NumberFormatException e) {
        throw fail(p, source, key + " is not an integer: '" + text + "'");
      }
    }
    throw fail(p, source, key + " is not an integer: " + describe(v, p));
  }

  private void expect(JsonParser p, JsonToken actual, JsonToken wanted, String source, String key)
      throws IOException {
    if (actual != wanted) {
      throw fail(
          p,
          source,
          key
              + " should be "
              + (wanted == JsonToken.START_ARRAY ? "an array" : "an object")
              + ", found "
              + describe(actual, p));
    }
  }

  private static String describe(JsonToken t, JsonParser p) throws IOException {
    if (t == null) {
      return "the end of the input";
    }
    switch (t) {
      case START_ARRAY:
        return "an array";
      case START_OBJECT:
        return "an object";
      case VALUE_STRING:
        return "the string '" + p.getText() + "'";
      default:
        return p.getText();
    }
  }

  private OtlpFormatException fail(JsonParser p, String source, String what) {
    return new OtlpFormatException(
        source, lineOffset + p.currentLocation().getLineNr(), what, null);
  }

  /** The lowerCamelCase name of a key that may be written in snake_case. */
  private static String norm(String key) {
    if (key.indexOf('_') < 0) {
      return key.equals("instrumentationLibrarySpans") ? "scopeSpans" : key;
    }
    switch (key) {
      case "resource_spans":
        return "resourceSpans";
      case "scope_spans":
      case "instrumentation_library_spans":
        return "scopeSpans";
      case "trace_id":
        return "traceId";
      case "span_id":
        return "spanId";
      case "parent_span_id":
        return "parentSpanId";
      case "start_time_unix_nano":
        return "startTimeUnixNano";
      case "end_time_unix_nano":
        return "endTimeUnixNano";
      case "time_unix_nano":
        return "timeUnixNano";
      case "string_value":
        return "stringValue";
      case "int_value":
        return "intValue";
      case "bool_value":
        return "boolValue";
      case "double_value":
        return "doubleValue";
      default:
        return key;
    }
  }
}
