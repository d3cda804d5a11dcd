package dev.reqflow.viewer.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reqflow.analysis.FlowReport;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/HTTP trace receiver: {@code POST /v1/traces} with protobuf or JSON bodies, gzip or not.
 * {@code POST /v1/metrics} and {@code /v1/logs} are answered 200 and dropped unread (counted): an
 * OpenTelemetry agent pointed at the viewer sends all three signals, and would log a warning per
 * export refused. Decoding happens on the server's threads and assembly on one background thread
 * that publishes changed flows every {@link #PUBLISH_MILLIS} ms, so that a burst of requests costs
 * the UI one update. A malformed or oversized body gets 400 or 413 with a message, and the error is
 * reported; nothing already received is lost.
 */
public final class OtlpReceiver implements AutoCloseable {
  public static final int DEFAULT_PORT = 4318;
  public static final String DEFAULT_BIND = "127.0.0.1";

  /** Bodies above this are refused: 32 MiB is far more than any exporter batch. */
  public static final int MAX_BODY_BYTES = 32 << 20;

  static final long PUBLISH_MILLIS = 100;

  /** What the receiver tells the app; called on background threads. */
  public interface Listener {
    void flows(List<FlowReport> changed);

    void error(String message);

    /**
     * What was received says of itself before any flow (the agent's background installs: {@link
     * LiveAssembler#notices()}), the whole list each time it changes, empty after a clear. A
     * listener that shows flows to a user must say these first: ignoring them (the default) is for
     * listeners that only count or test flows.
     */
    default void notices(List<String> sentences) {}
  }

  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService publisher;
  private final LiveAssembler assembler = new LiveAssembler();
  private final Listener listener;
  private final int maxBody;

  private OtlpReceiver(HttpServer server, Listener listener, int maxBody) {
    this.server = server;
    this.listener = listener;
    this.maxBody = maxBody;
    this.workers =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "reqflow-otlp-http");
              t.setDaemon(true);
              return t;
            });
    this.publisher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "reqflow-otlp-assemble");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts listening; port 0 picks a free port. */
  public static OtlpReceiver start(String bind, int port, Listener listener) throws IOException {
    return start(bind, port, listener, MAX_BODY_BYTES);
  }

  public static OtlpReceiver start(String bind, int port, Listener listener, int maxBody)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 64);
    OtlpReceiver r = new OtlpReceiver(server, listener, maxBody);
    server.createContext("/v1/traces", r::handle);
    server.createContext("/v1/metrics", ex -> r.drop(ex, r.droppedMetrics));
    server.createContext("/v1/logs", ex -> r.drop(ex, r.droppedLogs));
    server.setExecutor(r.workers);
    server.start();
    r.publisher.scheduleWithFixedDelay(
        r::publish, PUBLISH_MILLIS, PUBLISH_MILLIS, TimeUnit.MILLISECONDS);
    return r;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String address() {
    return server.getAddress().getHostString() + ":" + port();
  }

  public long spanCount() {
    return assembler.spanCount();
  }

  /** Metrics export requests answered 200 and dropped: the viewer shows traces only. */
  public long droppedMetricsRequests() {
    return droppedMetrics.get();
  }

  /** Logs export requests answered 200 and dropped. */
  public long droppedLogsRequests() {
    return droppedLogs.get();
  }

  private final AtomicLong droppedMetrics = new AtomicLong();
  private final AtomicLong droppedLogs = new AtomicLong();

  /**
   * Accepts an export of a signal the viewer does not show: the body is read (within the size
   * limit, so the sender sees its request through) and dropped, the request counted, and the reply
   * is the empty export response OTLP/HTTP defines for success, in the request's encoding.
   */
  private void drop(HttpExchange ex, AtomicLong counter) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        reply(ex, 405, "text/plain", "POST OTLP to " + ex.getHttpContext().getPath() + "\n");
        return;
      }
      try (InputStream in = ex.getRequestBody()) {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
          total += n;
          if (total > maxBody) {
            reply(ex, 413, "text/plain", "Body is over the limit of " + maxBody + " bytes\n");
            return;
          }
        }
      }
      counter.incrementAndGet();
      if (header(ex, "Content-Type").startsWith("application/json")) {
        reply(ex, 200, "application/json", "{}");
      } else {
        // The empty Export*ServiceResponse: no bytes at all in protobuf.
        ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(200, -1);
      }
    }
  }

  /** Install spans counted when the notices were last told (publishing thread only). */
  private long noticesAt;

  /**
   * Publishes what changed now instead of at the next tick (tests, shutdown); one publish at a
   * time, since the assembler has one draining thread.
   */
  public synchronized void publish() {
    try {
      long installs = assembler.installSpanCount();
      if (installs != noticesAt) {
        noticesAt = installs;
        listener.notices(assembler.notices());
      }
      List<FlowReport> changed = assembler.drain();
      if (!changed.isEmpty()) {
        listener.flows(changed);
      }
    } catch (RuntimeException e) {
      listener.error("Could not assemble received spans: " + e);
    }
  }

  /** The notices of what was received so far (see {@link Listener#notices}). */
  public List<String> notices() {
    return assembler.notices();
  }

  /**
   * Forgets what was received (the user cleared the live flows), on the assembling thread so that
   * no drain runs meanwhile, then runs {@code then} there: flows published before it came first.
   */
  public void clear(Runnable then) {
    publisher.execute(
        () -> {
          synchronized (this) {
            assembler.clear();
          }
          then.run();
        });
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        reply(ex, 405, "text/plain", "POST OTLP traces to /v1/traces\n");
        return;
      }
      String type = header(ex, "Content-Type");
      boolean json = type.startsWith("application/json");
      if (!json && !type.startsWith("application/x-protobuf") && !type.isEmpty()) {
        reply(
            ex,
            415,
            "text/plain",
            "Unsupported Content-Type "
                + type
                + ": use application/x-protobuf or application/json\n");
        listener.error("OTLP receiver: refused a request with Content-Type " + type);
        return;
      }
      byte[] body;
      try {
        body = readBody(ex);
      } catch (TooLarge e) {
        reply(ex, 413, "text/plain", e.getMessage() + "\n");
        listener.error("OTLP receiver: " + e.getMessage());
        return;
      }
      ExportTraceServiceRequest request;
      try {
        request =
            json
                ? OtlpJson.parse(new String(body, StandardCharsets.UTF_8))
                : ExportTraceServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        String what = "Malformed OTLP " + (json ? "JSON" : "protobuf");
        // The sender gets no part of its body back (parsers quote what they choked on): only
        // what was wrong with it in our words. The window shows the parser's message, cut.
        reply(
            ex,
            400,
            "text/plain",
            what
                + ": a body of "
                + body.length
                + " bytes that is not an OTLP ExportTraceServiceRequest\n");
        listener.error(
            what
                + " from "
                + ex.getRemoteAddress().getAddress().getHostAddress()
                + ": "
                + quoted(e.getMessage()));
        return;
      }
      try {
        assembler.add(request, "otlp " + ex.getRemoteAddress().getAddress().getHostAddress());
      } catch (RuntimeException e) {
        String msg = "Could not read the received spans: " + e.getMessage();
        reply(ex, 400, "text/plain", msg + "\n");
        listener.error(msg);
        return;
      }
      if (json) {
        reply(ex, 200, "application/json", "{}");
      } else {
        byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        ex.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
        if (ok.length > 0) {
          ex.getResponseBody().write(ok);
        }
      }
    }
  }

  private static String header(HttpExchange ex, String name) {
    String v = ex.getRequestHeaders().getFirst(name);
    return v == null ? "" : v.toLowerCase(Locale.ROOT).trim();
  }

  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String m) {
      super(m);
    }
  }

  private byte[] readBody(HttpExchange ex) throws IOException {
    String length = header(ex, "Content-Length");
    long declared = -1;
    if (!length.isEmpty()) {
      try {
        declared = Long.parseLong(length);
        if (declared > maxBody) {
          throw new TooLarge("Body of " + length + " bytes is over the limit of " + maxBody);
        }
      } catch (NumberFormatException e) {
        // chunked or odd: the read below enforces the limit
      }
    }
    InputStream in = ex.getRequestBody();
    boolean gzip = header(ex, "Content-Encoding").equals("gzip");
    if (!gzip && declared >= 0) {
      // Read into an array of its size: a growing buffer copies a body of megabytes several
      // times, garbage that the collector's pauses pay for during ingest (profile of the viewer
      // harness: 0.5 GB of 6.7 GB allocated).
      // A body cut short reads as what came, and is refused by the parser as malformed.
      return in.readNBytes((int) declared);
    }
    if (gzip) {
      in = new GZIPInputStream(in);
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(declared > 0 ? (int) Math.min(maxBody, declared * 4) : 1 << 16);
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) > 0) {
      out.write(buf, 0, n);
      if (out.size() > maxBody) {
        throw new TooLarge("Body is over the limit of " + maxBody + " bytes");
      }
    }
    return out.toByteArray();
  }

  private static void reply(HttpExchange ex, int status, String type, String text)
      throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    publisher.shutdownNow();
    workers.shutdownNow();
    assembler.close();
  }

  /** Longest parser message echoed back and shown: parsers quote the input they choked on. */
  static final int MAX_MESSAGE = 200;

  /**
   * A parser's message, cut to {@link #MAX_MESSAGE} characters without control characters: the body
   * it quotes goes back to the sender and into the status bar, and should not come back whole.
   */
  static String quoted(String message) {
    if (message == null) {
      return "unreadable";
    }
    StringBuilder b = new StringBuilder(Math.min(message.length(), MAX_MESSAGE + 1));
    for (int i = 0; i < message.length() && b.length() < MAX_MESSAGE; i++) {
      char c = message.charAt(i);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    return message.length() > MAX_MESSAGE ? b + "…" : b.toString();
  }
}
