package dev.reqflow.viewer.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.viewer.files.FileLoader;
import dev.reqflow.viewer.flows.FlowStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page of {@code shop} whose call to {@code payments} continues there (payments got the call's
 * trace context): two processes, each exporting its spans as they end, so the trace comes in
 * several requests, the callee's first. Exported by the real OpenTelemetry SDK and its OTLP/HTTP
 * exporter, whose request bodies are taken as they were sent. Live, the page's calls must not be
 * repaired into payments' flow while the page's flow span is on its way: the trace waits for the
 * missing parent (at most {@link LiveAssembler#GRACE_NANOS} without new spans), and the flows it
 * gives are those of a file of the same requests.
 */
class TwoServicesLiveTest {
  /**
   * Core's FlowAssembler's warning of a repair ("N span(s) whose parent is missing were attached to
   * this flow"): the one that must not be there. The SDK's flows carry another, that their waits
   * were not recorded (not the reqflow agent).
   */
  private static final String REPAIRED = "whose parent is missing";

  private HttpServer collector;
  private final BlockingQueue<byte[]> bodies = new LinkedBlockingQueue<>();

  @BeforeEach
  void startCollector() throws Exception {
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    collector.createContext(
        "/v1/traces",
        ex -> {
          try (ex;
              InputStream in = ex.getRequestBody()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            bodies.add(b.toByteArray());
            ex.sendResponseHeaders(200, -1);
          }
        });
    collector.start();
  }

  @AfterEach
  void stopCollector() {
    collector.stop(0);
  }

  private SdkTracerProvider process(String service) {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces")
            .build();
    return SdkTracerProvider.builder()
        .setResource(
            Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
  }

  private static Span call(Tracer tracer, String method, String url, String host, long port) {
    return tracer
        .spanBuilder(method)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute("http.request.method", method)
        .setAttribute("url.full", url)
        .setAttribute("server.address", host)
        .setAttribute("server.port", port)
        .setAttribute("http.response.status_code", 200L)
        .startSpan();
  }

  /** Ends a span and waits for its process's export of it: one request per span, in this order. */
  private ExportTraceServiceRequest endAndExport(Span span, SdkTracerProvider process)
      throws Exception {
    span.end();
    assertThat(process.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    byte[] body = bodies.poll(10, TimeUnit.SECONDS);
    assertThat(body).as("the exporter's request").isNotNull();
    return ExportTraceServiceRequest.parseFrom(body);
  }

  /**
   * The requests of one checkout, in the order the two processes sent them: payments' call to the
   * bank and its flow, then the page's two calls, then the page's flow span.
   */
  private List<ExportTraceServiceRequest> checkoutThroughTwoServices() throws Exception {
    SdkTracerProvider shop = process("shop");
    SdkTracerProvider payments = process("payments");
    List<ExportTraceServiceRequest> sent = new ArrayList<>();
    try {
      Tracer shopTracer = shop.get("test");
      Tracer paymentsTracer = payments.get("test");
      Span page = shopTracer.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope p = page.makeCurrent()) {
        Span authorize =
            call(shopTracer, "POST", "http://payments:8090/authorize", "payments", 8090);
        Span stock = call(shopTracer, "GET", "http://stock:8091/items/7", "stock", 8091);
        // payments runs its flow under the page's call, as its agent would with the call's
        // traceparent
        Span served =
            paymentsTracer
                .spanBuilder("POST /authorize")
                .setSpanKind(SpanKind.SERVER)
                .setParent(Context.root().with(authorize))
                .startSpan();
        Span bank;
        try (Scope s = served.makeCurrent()) {
          bank = call(paymentsTracer, "POST", "http://bank:9000/charge", "bank", 9000);
        }
        sent.add(endAndExport(bank, payments));
        sent.add(endAndExport(served, payments));
        sent.add(endAndExport(authorize, shop));
        sent.add(endAndExport(stock, shop));
      }
      sent.add(endAndExport(page, shop));
    } finally {
      shop.shutdown().join(10, TimeUnit.SECONDS);
      payments.shutdown().join(10, TimeUnit.SECONDS);
    }
    return sent;
  }

  /** What a flow is made of: service, name, times, its calls' span ids, its warnings. */
  private static String shape(Flow f) {
    List<String> calls = new ArrayList<>();
    for (Call c : f.calls()) {
      calls.add(c.spanId() + " " + c.label());
    }
    return f.service()
        + " "
        + f.name()
        + " "
        + f.startNanos()
        + ".."
        + f.endNanos()
        + " parent="
        + f.parentSpanId()
        + " calls="
        + calls
        + " warnings="
        + f.warnings();
  }

  private static Map<String, String> shapes(List<FlowReport> reports) {
    Map<String, String> out = new TreeMap<>();
    for (FlowReport r : reports) {
      out.put(FlowStore.key(r.flow()), shape(r.flow()));
    }
    return out;
  }

  @Test
  void theCallersCallsWaitForItsFlowSpanAndGiveTheFlowsOfAFile(@TempDir Path dir) throws Exception {
    List<ExportTraceServiceRequest> sent = checkoutThroughTwoServices();
    Path file = dir.resolve("checkout.pb");
    // Protobuf messages written one after another read as one: the file holds every request.
    try (var out = Files.newOutputStream(file)) {
      for (ExportTraceServiceRequest r : sent) {
        r.writeTo(out);
      }
    }
    List<FlowReport> fromFile = FileLoader.loadAnalysed(List.of(file));
    assertThat(fromFile).hasSize(2);
    assertThat(shapes(fromFile).values()).noneMatch(s -> s.contains(REPAIRED));

    long[] now = {0};
    LiveAssembler live = new LiveAssembler(() -> now[0]);
    FlowStore store = new FlowStore();
    // payments' call to the bank names payments' flow, which comes next: then payments' flow is
    // whole, and shown
    live.add(sent.get(0), "live");
    assertThat(live.drain()).isEmpty();
    live.add(sent.get(1), "live");
    List<FlowReport> payments = live.drain();
    assertThat(shapes(payments).values())
        .singleElement()
        .asString()
        .startsWith("payments POST /authorize")
        .doesNotContain(REPAIRED);
    store.replaceTraces(payments);
    // the page's calls name its flow span, not come yet: nothing is assembled without it (before,
    // payments' flow was shown with them, "2 span(s) whose parent is missing were attached")
    live.add(sent.get(2), "live");
    assertThat(live.drain()).isEmpty();
    live.add(sent.get(3), "live");
    assertThat(live.drain()).isEmpty();
    live.add(sent.get(4), "live");
    List<FlowReport> whole = live.drain();
    store.replaceTraces(whole);
    assertThat(shapes(whole)).isEqualTo(shapes(fromFile));
    for (FlowReport r : fromFile) {
      assertThat(store.get(FlowStore.key(r.flow())).suggestions())
          .as(r.flow().name())
          .isEqualTo(r.suggestions());
    }
    live.close();
  }

  @Test
  void aParentThatDoesNotComeIsWaitedForBoundedlyThenTheTraceIsAssembledAgainWhenItDoes()
      throws Exception {
    List<ExportTraceServiceRequest> sent = checkoutThroughTwoServices();
    long[] now = {0};
    LiveAssembler live = new LiveAssembler(() -> now[0]);
    FlowStore store = new FlowStore();
    for (ExportTraceServiceRequest r : sent.subList(0, 4)) {
      live.add(r, "live");
    }
    now[0] += LiveAssembler.GRACE_NANOS / 2;
    assertThat(live.drain()).isEmpty();

    // Quiet for the grace: shown as it is, repaired and saying so (the page's calls in payments').
    now[0] += LiveAssembler.GRACE_NANOS;
    List<FlowReport> repaired = live.drain();
    store.replaceTraces(repaired);
    assertThat(repaired).hasSize(1);
    assertThat(repaired.get(0).flow().service()).isEqualTo("payments");
    assertThat(repaired.get(0).flow().warnings())
        .contains("2 span(s) whose parent is missing were attached to this flow");

    // The page's flow span comes late: the trace is assembled again, the repair gone.
    live.add(sent.get(4), "live");
    List<FlowReport> whole = live.drain();
    store.replaceTraces(whole);
    assertThat(store.size()).isEqualTo(2);
    for (FlowReport r : store.flowsOfSource(FlowStore.LIVE)) {
      assertThat(r.flow().warnings()).as(r.flow().name()).noneMatch(w -> w.contains(REPAIRED));
    }
    assertThat(store.endpointNames()).containsExactlyInAnyOrder("GET /checkout", "POST /authorize");
    live.close();
  }
}
