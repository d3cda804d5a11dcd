package dev.reqflow.agent.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One span as read back from the OTLP JSON lines file. */
final class RecordedSpan {
  final String traceId;
  final String spanId;
  final String parentSpanId;
  final String name;
  final int kind;
  final long start;
  final long end;
  final Map<String, Object> attributes;
  final List<RecordedEvent> events = new ArrayList<>();
  final List<RecordedLink> links = new ArrayList<>();

  @SuppressWarnings("unchecked")
  RecordedSpan(Map<String, Object> json) {
    traceId = (String) json.get("traceId");
    spanId = (String) json.get("spanId");
    parentSpanId = (String) json.getOrDefault("parentSpanId", "");
    name = (String) json.get("name");
    kind = ((Number) json.getOrDefault("kind", 0L)).intValue();
    start = Long.parseLong(String.valueOf(json.get("startTimeUnixNano")));
    end = Long.parseLong(String.valueOf(json.get("endTimeUnixNano")));
    attributes = attributes((List<Object>) json.get("attributes"));
    for (Object e : (List<Object>) json.getOrDefault("events", List.of())) {
      Map<String, Object> m = (Map<String, Object>) e;
      events.add(
          new RecordedEvent(
              (String) m.get("name"),
              Long.parseLong(String.valueOf(m.get("timeUnixNano"))),
              attributes((List<Object>) m.get("attributes"))));
    }
    for (Object l : (List<Object>) json.getOrDefault("links", List.of())) {
      Map<String, Object> m = (Map<String, Object>) l;
      links.add(
          new RecordedLink(
              (String) m.get("traceId"),
              (String) m.get("spanId"),
              attributes((List<Object>) m.get("attributes"))));
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> attributes(List<Object> list) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (list == null) {
      return out;
    }
    for (Object o : list) {
      Map<String, Object> kv = (Map<String, Object>) o;
      Map<String, Object> v = (Map<String, Object>) kv.get("value");
      Object value = null;
      if (v.containsKey("stringValue")) {
        value = v.get("stringValue");
      } else if (v.containsKey("intValue")) {
        value = Long.parseLong(String.valueOf(v.get("intValue")));
      } else if (v.containsKey("boolValue")) {
        value = v.get("boolValue");
      } else if (v.containsKey("doubleValue")) {
        value = v.get("doubleValue");
      } else if (v.containsKey("arrayValue")) {
        List<Object> items = new ArrayList<>();
        Map<String, Object> array = (Map<String, Object>) v.get("arrayValue");
        for (Object item : (List<Object>) array.getOrDefault("values", List.of())) {
          items.add(((Map<String, Object>) item).get("stringValue"));
        }
        value = items;
      }
      out.put((String) kv.get("key"), value);
    }
    return out;
  }

  String attr(String key) {
    Object v = attributes.get(key);
    return v == null ? null : String.valueOf(v);
  }

  /**
   * A call's method and path, {@code GET /user}, from its {@code http.request.method} and {@code
   * url.full}: what tells calls apart, now that a call span is named by its method alone (the HTTP
   * semantic conventions' client span name).
   */
  String request() {
    String url = attr("url.full");
    if (url == null) {
      return name;
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
    String path = start < 0 ? "/" : url.substring(start);
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    return attr("http.request.method") + " " + path;
  }

  String type() {
    return attr("reqflow.span.type");
  }

  RecordedEvent event(String name) {
    return events.stream().filter(e -> e.name.equals(name)).findFirst().orElse(null);
  }

  List<String> linked(String linkType) {
    List<String> out = new ArrayList<>();
    for (RecordedLink l : links) {
      if (linkType.equals(l.attributes.get("reqflow.link.type"))) {
        out.add(l.spanId);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return name + " " + attributes + " events=" + events + " links=" + links;
  }

  /** A span event. */
  static final class RecordedEvent {
    final String name;
    final long time;
    final Map<String, Object> attributes;

    RecordedEvent(String name, long time, Map<String, Object> attributes) {
      this.name = name;
      this.time = time;
      this.attributes = attributes;
    }

    @Override
    public String toString() {
      return name + attributes;
    }
  }

  /** A span link. */
  static final class RecordedLink {
    final String traceId;
    final String spanId;
    final Map<String, Object> attributes;

    RecordedLink(String traceId, String spanId, Map<String, Object> attributes) {
      this.traceId = traceId;
      this.spanId = spanId;
      this.attributes = attributes;
    }

    @Override
    public String toString() {
      return spanId + attributes;
    }
  }
}
