package dev.reqflow.viewer.bench;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * OTLP traces shaped like the reqflow agent writes them, for the benchmark, the tests and demo
 * screenshots: a home page whose render thread issues calls through a pool of two workers, blocks
 * on them, and issues one call only after a wait. Deterministic for a seed.
 */
public final class SyntheticTraces {
  static final long MS = 1_000_000L;
  private static final String[] HOSTS = {
    "users", "recommendations", "reviews", "cart", "ads", "stock"
  };
  private static final int[] PORTS = {8081, 8082, 8083, 8084, 8085, 8086};

  private final Random random;
  private long nextSpan = 1;
  private long t0 = 1_700_000_000_000_000_000L;

  /**
   * Writes a protobuf {@code ExportTraceServiceRequest} file: {@code OUT home N} (N home pages) or
   * {@code OUT big N} (one flow of N calls).
   */
  public static void main(String[] args) throws java.io.IOException {
    if (args.length != 3) {
      System.err.println("usage: SyntheticTraces OUT home|big N");
      System.exit(2);
    }
    SyntheticTraces t = new SyntheticTraces(42);
    int n = Integer.parseInt(args[2]);
    List<Span> spans = new ArrayList<>();
    if (args[1].equals("big")) {
      spans.addAll(t.bigFlow(n, 8));
    } else {
      for (int i = 0; i < n; i++) {
        spans.addAll(t.homePage());
      }
    }
    try (java.io.OutputStream out =
        java.nio.file.Files.newOutputStream(java.nio.file.Path.of(args[0]))) {
      request("shop", spans).writeTo(out);
    }
  }

  public SyntheticTraces(long seed) {
    this.random = new Random(seed);
  }

  static ByteString id(long value, int bytes) {
    byte[] b = new byte[bytes];
    for (int i = bytes - 1; i >= 0 && value != 0; i--) {
      b[i] = (byte) value;
      value >>>= 8;
    }
    return ByteString.copyFrom(b);
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

  /** One request holding the given spans, from a service with the reqflow agent. */
  public static ExportTraceServiceRequest request(String service, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(attr("service.name", service))
                        .addAttributes(attr(TraceContract.Attr.AGENT_VERSION, "0.1.0")))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(
                            InstrumentationScope.newBuilder().setName(TraceContract.SCOPE_NAME))
                        .addAllSpans(spans)))
        .build();
  }

  /** OTLP JSON of a request, as the Collector's file exporter writes it: hex ids, one line. */
  public static String json(ExportTraceServiceRequest r) throws java.io.IOException {
    String json =
        com.google.protobuf.util.JsonFormat.printer().omittingInsignificantWhitespace().print(r);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"(traceId|spanId|parentSpanId)\":\"([^\"]*)\"")
            .matcher(json);
    StringBuilder sb = new StringBuilder(json.length());
    while (m.find()) {
      String hex =
          java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(m.group(2)));
      m.appendReplacement(sb, "\"" + m.group(1) + "\":\"" + hex + "\"");
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private Span.Builder span(
      ByteString trace, ByteString parent, String name, Span.SpanKind kind, long from, long to) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(trace)
            .setSpanId(id(nextSpan++, 8))
            .setName(name)
            .setKind(kind)
            .setStartTimeUnixNano(from)
            .setEndTimeUnixNano(to);
    if (parent != null) {
      b.setParentSpanId(parent);
    }
    return b;
  }

  private static Span.Builder thread(Span.Builder b, long id, String name, String role) {
    return b.addAttributes(attr(TraceContract.Attr.THREAD_ID, id))
        .addAttributes(attr(TraceContract.Attr.THREAD_NAME, name))
        .addAttributes(attr(TraceContract.Attr.THREAD_ROLE, role));
  }

  private Span.Builder call(
      ByteString trace,
      ByteString flow,
      boolean pooled,
      int host,
      String path,
      long issue,
      long dispatch,
      boolean newConnection,
      long server,
      long download,
      int line) {
    long t = dispatch;
    long dnsEnd = newConnection ? t + 2 * MS : t;
    long connEnd = newConnection ? dnsEnd + 3 * MS : t;
    long sent = connEnd + MS / 5;
    long first = sent + server;
    long end = first + download;
    String url = "http://" + HOSTS[host] + ":" + PORTS[host] + path;
    Span.Builder b = span(trace, flow, "GET", Span.SpanKind.SPAN_KIND_CLIENT, issue, end);
    b.addAttributes(attr(TraceContract.Attr.SPAN_TYPE, TraceContract.SpanType.CALL))
        .addAttributes(attr(TraceContract.Attr.HTTP_REQUEST_METHOD, "GET"))
        .addAttributes(attr(TraceContract.Attr.URL_FULL, url))
        .addAttributes(attr(TraceContract.Attr.SERVER_ADDRESS, HOSTS[host]))
        .addAttributes(attr(TraceContract.Attr.SERVER_PORT, PORTS[host]))
        .addAttributes(attr(TraceContract.Attr.HTTP_RESPONSE_STATUS_CODE, 200))
        .addAttributes(attr(TraceContract.Attr.CALL_CLIENT, TraceContract.Client.JDK_HTTP_CLIENT))
        .addAttributes(attr(TraceContract.Attr.CALL_MODE, TraceContract.CallMode.SYNC))
        .addAttributes(attr(TraceContract.Attr.CONNECTION_REUSED, !newConnection))
        .addAttributes(
            attr(
                TraceContract.Attr.CODE_FUNCTION_NAME,
                "shop.home.HomePage.load" + cap(HOSTS[host])))
        .addAttributes(attr(TraceContract.Attr.CODE_FILE_PATH, "HomePage.java"))
        .addAttributes(attr(TraceContract.Attr.CODE_LINE_NUMBER, line));
    if (pooled) {
      b.addAttributes(attr(TraceContract.Attr.POOL_NAME, "page-pool"))
          .addAttributes(attr(TraceContract.Attr.POOL_KIND, TraceContract.PoolKind.EXECUTOR))
          .addAttributes(attr(TraceContract.Attr.POOL_LIMIT, 2));
    }
    if (dispatch > issue) {
      event(b, TraceContract.Event.DISPATCHED, dispatch);
    }
    if (newConnection) {
      event(b, TraceContract.Event.DNS_START, t);
      event(b, TraceContract.Event.DNS_END, dnsEnd);
      event(b, TraceContract.Event.CONNECT_START, dnsEnd);
      event(b, TraceContract.Event.CONNECT_END, connEnd);
    }
    event(b, TraceContract.Event.REQUEST_SENT, sent);
    event(b, TraceContract.Event.RESPONSE_FIRST_BYTE, first);
    event(b, TraceContract.Event.RESPONSE_BODY_DONE, end);
    return b;
  }

  private static String cap(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static void event(Span.Builder b, String name, long at) {
    b.addEvents(Span.Event.newBuilder().setName(name).setTimeUnixNano(at));
  }

  private static void link(Span.Builder b, ByteString trace, ByteString span, String type) {
    b.addLinks(
        Span.Link.newBuilder()
            .setTraceId(trace)
            .setSpanId(span)
            .addAttributes(attr(TraceContract.Attr.LINK_TYPE, type)));
  }

  private Span.Builder block(
      ByteString trace,
      ByteString flow,
      long from,
      long to,
      int line,
      List<Span.Builder> waitedOn) {
    Span.Builder b =
        thread(
            span(trace, flow, "wait", Span.SpanKind.SPAN_KIND_INTERNAL, from, to),
            1,
            "http-worker-1",
            TraceContract.ThreadRole.RENDER);
    b.addAttributes(attr(TraceContract.Attr.SPAN_TYPE, TraceContract.SpanType.BLOCK))
        .addAttributes(attr(TraceContract.Attr.BLOCK_KIND, TraceContract.BlockKind.FUTURE_GET))
        .addAttributes(attr(TraceContract.Attr.CODE_FUNCTION_NAME, "shop.home.HomePage.render"))
        .addAttributes(attr(TraceContract.Attr.CODE_FILE_PATH, "HomePage.java"))
        .addAttributes(attr(TraceContract.Attr.CODE_LINE_NUMBER, line));
    for (Span.Builder c : waitedOn) {
      link(b, trace, c.getSpanId(), TraceContract.LinkType.WAITED_ON);
    }
    return b;
  }

  private long jitter(long ms) {
    return ms * MS + (long) (random.nextGaussian() * ms * MS / 8);
  }

  /**
   * A home page: the render thread submits users, reviews, cart and ads to a pool of 2 workers,
   * waits for users, then issues recommendations (after-wait), and waits for everything.
   */
  public List<Span> homePage() {
    return homePage(150);
  }

  /** The home page, with the ads call taking about {@code adsMs} (a heavy tail, say). */
  public List<Span> homePage(long adsMs) {
    ByteString trace = id(random.nextLong() | 1, 16);
    long start = t0;
    t0 += 2_000 * MS;
    Span.Builder flow =
        span(trace, null, "GET /home", Span.SpanKind.SPAN_KIND_SERVER, start, start);
    thread(flow, 1, "http-worker-1", TraceContract.ThreadRole.RENDER)
        .addAttributes(attr(TraceContract.Attr.SPAN_TYPE, TraceContract.SpanType.FLOW))
        .addAttributes(attr(TraceContract.Attr.HTTP_REQUEST_METHOD, "GET"))
        .addAttributes(attr(TraceContract.Attr.HTTP_ROUTE, "/home"));
    ByteString f = flow.getSpanId();
    List<Span.Builder> all = new ArrayList<>();
    long issue = start + 2 * MS;
    // pool of 2: users and reviews run at once, cart and ads queue behind them
    Span.Builder users =
        thread(
            call(trace, f, true, 0, "/users/42", issue, issue, true, jitter(120), 3 * MS, 41),
            21,
            "page-pool-1",
            TraceContract.ThreadRole.EXECUTOR);
    Span.Builder reviews =
        thread(
            call(
                trace,
                f,
                true,
                2,
                "/reviews?product=7",
                issue,
                issue,
                true,
                jitter(180),
                4 * MS,
                43),
            22,
            "page-pool-2",
            TraceContract.ThreadRole.EXECUTOR);
    long usersEnd = users.getEndTimeUnixNano();
    long reviewsEnd = reviews.getEndTimeUnixNano();
    Span.Builder cart =
        thread(
            call(trace, f, true, 3, "/cart/42", issue, usersEnd, false, jitter(90), 2 * MS, 44),
            21,
            "page-pool-1",
            TraceContract.ThreadRole.EXECUTOR);
    Span.Builder ads =
        thread(
            call(
                trace,
                f,
                true,
                4,
                "/ads?slot=home",
                issue,
                reviewsEnd,
                false,
                jitter(adsMs),
                2 * MS,
                45),
            22,
            "page-pool-2",
            TraceContract.ThreadRole.EXECUTOR);
    Span.Builder wait1 = block(trace, f, issue + MS, usersEnd, 52, List.of(users));
    long recIssue = usersEnd + MS / 2;
    Span.Builder recs =
        thread(
            call(
                trace,
                f,
                true,
                1,
                "/recommendations?user=42",
                recIssue,
                recIssue,
                true,
                jitter(200),
                5 * MS,
                53),
            1,
            "http-worker-1",
            TraceContract.ThreadRole.RENDER);
    link(recs, trace, users.getSpanId(), TraceContract.LinkType.AFTER_WAIT);
    long recEnd = recs.getEndTimeUnixNano();
    Span.Builder wait2 = block(trace, f, recIssue + MS / 5, recEnd, 53, List.of(recs));
    long lastEnd = Math.max(cart.getEndTimeUnixNano(), ads.getEndTimeUnixNano());
    long renderFrom = recEnd + 5 * MS;
    Span.Builder wait3 =
        block(
            trace,
            f,
            renderFrom,
            Math.max(renderFrom + MS, lastEnd),
            58,
            List.of(cart, ads, reviews));
    long end = wait3.getEndTimeUnixNano() + 12 * MS;
    flow.setEndTimeUnixNano(end);
    all.add(flow);
    all.add(users);
    all.add(reviews);
    all.add(cart);
    all.add(ads);
    all.add(wait1);
    all.add(recs);
    all.add(wait2);
    all.add(wait3);
    List<Span> out = new ArrayList<>(all.size());
    for (Span.Builder b : all) {
      out.add(b.build());
    }
    return out;
  }

  /**
   * One flow with {@code calls} calls issued back to back by a few worker threads, and the render
   * thread blocked on every hundredth: a stress shape for drawing and loading.
   */
  public List<Span> bigFlow(int calls, int threads) {
    ByteString trace = id(random.nextLong() | 1, 16);
    long start = t0;
    Span.Builder flow =
        span(trace, null, "GET /report", Span.SpanKind.SPAN_KIND_SERVER, start, start);
    thread(flow, 1, "http-worker-1", TraceContract.ThreadRole.RENDER)
        .addAttributes(attr(TraceContract.Attr.SPAN_TYPE, TraceContract.SpanType.FLOW));
    ByteString f = flow.getSpanId();
    List<Span> out = new ArrayList<>(calls + calls / 100 + 1);
    long[] cursor = new long[threads];
    java.util.Arrays.fill(cursor, start + MS);
    long end = start;
    for (int i = 0; i < calls; i++) {
      int th = i % threads;
      long issue = cursor[th];
      long server = (50 + random.nextInt(400)) * 1_000L;
      Span.Builder c =
          call(
              trace,
              f,
              false,
              i % HOSTS.length,
              "/item/" + i,
              issue,
              issue,
              i % 50 == 0,
              server,
              20_000,
              100 + i % 40);
      thread(c, 100 + th, "worker-" + th, TraceContract.ThreadRole.EXECUTOR);
      cursor[th] = c.getEndTimeUnixNano() + 10_000;
      end = Math.max(end, cursor[th]);
      Span built = c.build();
      out.add(built);
      if (i % 100 == 99) {
        Span.Builder b =
            block(
                trace,
                f,
                Math.max(start + MS, built.getStartTimeUnixNano()),
                built.getEndTimeUnixNano(),
                60,
                List.of(c));
        out.add(b.build());
      }
    }
    flow.setEndTimeUnixNano(end + MS);
    out.add(0, flow.build());
    t0 = end + 10 * MS;
    return out;
  }
}
