package dev.reqflow.otlp;

/**
 * A log as the OpenTelemetry Java agent 2.33.1 prints it with {@code
 * -Dotel.traces.exporter=logging-otlp} (shapes copied from its real output): one {@code
 * ResourceSpans} per line, among the JVM's and the application's own lines. A page ({@code GET
 * /home}, a JDK server span routed {@code "/"}), its call to a backend (a client span named {@code
 * GET}), and the backend's own server span ({@code /user}, routed {@code "/"} too).
 */
public final class OtelAgentLog {
  private OtelAgentLog() {}

  static final String TRACE = "5ee178211cb7c2b354ddcac8928eaddf";

  /** A line as the agent's logger prints it. */
  static String agentLine(String resourceSpans) {
    return "[otel.javaagent 2026-11-30 19:13:42:051 +0000] [BatchSpanProcessor_WorkerThread-1] INFO"
        + " io.opentelemetry.exporter.logging.otlp.OtlpJsonLoggingSpanExporter - "
        + resourceSpans;
  }

  static String resourceSpans(String... spans) {
    return "{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":"
        + "\"pages\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"io.opentelemetry.java-http-server\"},"
        + "\"spans\":["
        + String.join(",", spans)
        + "]}]}";
  }

  static String span(
      String id, String parent, String name, int kind, long startMs, long endMs, String attrs) {
    return "{\"traceId\":\""
        + TRACE
        + "\",\"spanId\":\""
        + id
        + "\",\"parentSpanId\":\""
        + parent
        + "\",\"name\":\""
        + name
        + "\",\"kind\":"
        + kind
        + ",\"startTimeUnixNano\":\""
        + (1_796_066_021_000_000_000L + startMs * 1_000_000L)
        + "\",\"endTimeUnixNano\":\""
        + (1_796_066_021_000_000_000L + endMs * 1_000_000L)
        + "\",\"attributes\":["
        + attrs
        + "]}";
  }

  static String str(String key, String value) {
    return "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":\"" + value + "\"}}";
  }

  static String num(String key, long value) {
    return "{\"key\":\"" + key + "\",\"value\":{\"intValue\":\"" + value + "\"}}";
  }

  /** A page, its call to a backend, and the backend's own server span, over two log lines. */
  public static String log() {
    String page =
        span(
            "00000000000000a1",
            "",
            "GET /",
            2,
            0,
            300,
            String.join(
                ",",
                str("http.request.method", "GET"),
                str("http.route", "/"),
                str("url.path", "/home"),
                str("url.query", "strategy=async&session=s-1042")));
    String call =
        span(
            "00000000000000c1",
            "00000000000000a1",
            "GET",
            3,
            10,
            260,
            String.join(
                ",",
                str("http.request.method", "GET"),
                str("url.full", "http://127.0.0.1:9001/user?session=s-1042"),
                str("server.address", "127.0.0.1"),
                num("server.port", 9001),
                num("http.response.status_code", 200)));
    String backend =
        span(
            "00000000000000b1",
            "00000000000000c1",
            "GET /",
            2,
            20,
            250,
            String.join(
                ",",
                str("http.request.method", "GET"),
                str("http.route", "/"),
                str("url.path", "/user")));
    return String.join(
        "\n",
        "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes",
        "backends: http://127.0.0.1:9001/",
        agentLine(resourceSpans(backend)),
        "pages: http://127.0.0.1:8080/",
        "Nov 30, 2026 7:13:42 PM io.opentelemetry.exporter.logging.otlp.OtlpJsonLoggingSpanExporter"
            + " export",
        "INFO: " + resourceSpans(call, page),
        "");
  }
}
