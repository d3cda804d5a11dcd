package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.viewer.flows.FlowListView;
import dev.reqflow.viewer.receiver.OtlpReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Live OTLP into the window: the real OpenTelemetry exporter, and payloads that are not OTLP. */
@ExtendWith(ApplicationExtension.class)
class ReceiverUiTest {
  private MainWindow window;
  private OtlpReceiver receiver;
  private Preferences prefsNode;

  @Start
  void start(Stage stage) throws Exception {
    prefsNode = Preferences.userRoot().node("dev/reqflow/viewer-test/" + System.nanoTime());
    window = new MainWindow(new ViewerPrefs(prefsNode), "");
    stage.setScene(window.scene(1400, 800));
    stage.show();
    receiver = OtlpReceiver.start("127.0.0.1", 0, window.receiverListener());
  }

  @AfterEach
  void stop() throws Exception {
    receiver.close();
    prefsNode.removeNode();
  }

  private String endpoint() {
    return "http://127.0.0.1:" + receiver.port() + "/v1/traces";
  }

  private boolean listed(FxRobot robot, String endpoint) {
    TreeTableView<FlowListView.Item> table =
        robot.lookup("." + FlowListView.TABLE_STYLE_CLASS).queryAs(TreeTableView.class);
    for (TreeItem<FlowListView.Item> e : table.getRoot().getChildren()) {
      if (e.getValue().stats().name().equals(endpoint)) {
        return true;
      }
    }
    return false;
  }

  /** Spans end child first, so the exporter sends the flow in two requests: it is re-assembled. */
  private void sendCheckoutWithOpenTelemetry() {
    SdkTracerProvider provider = shopTracing();
    try {
      Tracer tracer = provider.get("test");
      Span server = tracer.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope ignored = server.makeCurrent()) {
        Span client =
            tracer
                .spanBuilder("GET")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", "GET")
                .setAttribute("url.full", "http://payments:8090/authorize")
                .setAttribute("server.address", "payments")
                .setAttribute("server.port", 8090L)
                .setAttribute("http.response.status_code", 200L)
                .startSpan();
        client.end();
      }
      server.end();
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /**
   * What the agent exports with {@code install=background} (its InstallSpan): a root span of type
   * {@code install} from the JVM's start to the moment it began recording, here 812 ms.
   */
  private void sendInstallWithOpenTelemetry() {
    SdkTracerProvider provider = shopTracing();
    try {
      long jvmStart = System.currentTimeMillis() * 1_000_000L - 5_000_000_000L;
      provider
          .get("test")
          .spanBuilder("reqflow install")
          .setNoParent()
          .setSpanKind(SpanKind.INTERNAL)
          .setStartTimestamp(jvmStart, TimeUnit.NANOSECONDS)
          .setAttribute(
              dev.reqflow.contract.TraceContract.Attr.SPAN_TYPE,
              dev.reqflow.contract.TraceContract.SpanType.INSTALL)
          .startSpan()
          .end(jvmStart + 812_000_000L, TimeUnit.NANOSECONDS);
      provider.forceFlush().join(10, TimeUnit.SECONDS);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  static final String INSTALL_NOTICE =
      "shop: the agent finished installing 812 ms after the JVM started (install=background):"
          + " requests before then were not recorded";

  @Test
  void aBackgroundInstallIsSaidInTheStatusAndAboveTheSuggestionsOfItsServicesFlows(FxRobot robot)
      throws Exception {
    sendInstallWithOpenTelemetry();
    WaitForAsyncUtils.waitFor(
        15, TimeUnit.SECONDS, () -> window.status().getText().contains(INSTALL_NOTICE));
    assertThat(window.status().getText()).startsWith("Live: " + INSTALL_NOTICE);

    sendCheckoutWithOpenTelemetry();
    WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> listed(robot, "GET /checkout"));
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> window.shown() != null);
    WaitForAsyncUtils.waitForFxEvents();
    javafx.scene.control.Label notice = window.suggestions().notRecorded();
    assertThat(notice.isVisible()).isTrue();
    assertThat(notice.getText()).startsWith("Not recorded: " + INSTALL_NOTICE);
    // Above what was not seen and the suggestions (only a flow that had not ended comes first),
    // and laid out whole (it wraps, never cut).
    List<javafx.scene.Node> pane = window.suggestions().getChildren();
    assertThat(pane.indexOf(notice)).isLessThan(pane.indexOf(window.suggestions().notSeen()));
    assertThat(notice.getHeight()).isGreaterThan(0);
    // The install is no flow of its own.
    assertThat(window.store().size()).isEqualTo(1);

    // Cleared with the live flows: later flows are all after the install.
    window.setLiveClearer(then -> receiver.clear(then));
    robot.interact(() -> window.clearSource(dev.reqflow.viewer.flows.FlowStore.LIVE));
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> window.store().size() == 0);
    sendCheckoutWithOpenTelemetry();
    WaitForAsyncUtils.waitFor(
        15, TimeUnit.SECONDS, () -> window.shown() != null && window.store().size() == 1);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.suggestions().notRecorded().isVisible()).isFalse();
    assertThat(receiver.notices()).isEmpty();
  }

  @Test
  void aFileWithABackgroundInstallSaysItAboveTheSuggestionsToo(
      FxRobot robot, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.util.List<io.opentelemetry.proto.trace.v1.Span> spans =
        new java.util.ArrayList<>(new dev.reqflow.viewer.bench.SyntheticTraces(5).homePage());
    long start = spans.get(0).getStartTimeUnixNano() - 60_000_000_000L;
    spans.add(
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(
                com.google.protobuf.ByteString.copyFrom(
                    new byte[] {1, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
            .setName("reqflow install")
            .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(start + 812_000_000L)
            .addAttributes(
                io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                    .setKey(dev.reqflow.contract.TraceContract.Attr.SPAN_TYPE)
                    .setValue(
                        io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                            .setStringValue(dev.reqflow.contract.TraceContract.SpanType.INSTALL)))
            .build());
    java.nio.file.Path file = dir.resolve("shop.pb");
    try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
      dev.reqflow.viewer.bench.SyntheticTraces.request("shop", spans).writeTo(out);
    }
    robot.interact(() -> window.open(java.util.List.of(file)));
    WaitForAsyncUtils.waitFor(
        15,
        TimeUnit.SECONDS,
        () -> window.shown() != null && window.status().getText().startsWith("Opened"));
    WaitForAsyncUtils.waitForFxEvents();
    javafx.scene.control.Label notice = window.suggestions().notRecorded();
    assertThat(notice.isVisible()).isTrue();
    assertThat(notice.getText()).startsWith("Not recorded: " + INSTALL_NOTICE);
    assertThat(window.status().getText()).contains(INSTALL_NOTICE);
  }

  @Test
  void flowsFromTheOpenTelemetryExporterAppearInTheList(FxRobot robot) throws Exception {
    sendCheckoutWithOpenTelemetry();
    WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> listed(robot, "GET /checkout"));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(receiver.spanCount()).isEqualTo(2);
    assertThat(window.store().size()).isEqualTo(1);
    WaitForAsyncUtils.waitFor(
        5,
        TimeUnit.SECONDS,
        () -> window.shown() != null && window.shown().flow().calls().size() == 1);
    assertThat(window.shown().flow().calls().get(0).host()).isEqualTo("payments");
  }

  @Test
  void aMalformedPayloadGets400AndTheFlowsStay(FxRobot robot) throws Exception {
    sendCheckoutWithOpenTelemetry();
    WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> listed(robot, "GET /checkout"));

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint()))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x0a, 0x7f, 0x01, 0x02}))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("Malformed OTLP protobuf");

    HttpResponse<String> badJson =
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceSpans\": [ nope"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(badJson.statusCode()).isEqualTo(400);
    // No byte of the body comes back: the parser's message quotes it, the reply does not.
    assertThat(badJson.body()).startsWith("Malformed OTLP JSON").doesNotContain("nope");

    // A long body is not echoed back whole, nor its control characters.
    String junk = "{\"resourceSpans\": \"" + "\u0007x".repeat(2_000);
    HttpResponse<String> long400 =
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(junk))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(long400.statusCode()).isEqualTo(400);
    assertThat(long400.body().length()).isLessThan(400);
    assertThat(long400.body().strip()).doesNotContain("\u0007");

    WaitForAsyncUtils.waitFor(
        5, TimeUnit.SECONDS, () -> window.status().getText().startsWith("Malformed OTLP"));
    assertThat(window.store().size()).isEqualTo(1);
    assertThat(listed(robot, "GET /checkout")).isTrue();

    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint())).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void otlpJsonIsAcceptedToo(FxRobot robot) throws Exception {
    String json =
        dev.reqflow.viewer.bench.SyntheticTraces.json(
            dev.reqflow.viewer.bench.SyntheticTraces.request(
                "shop", new dev.reqflow.viewer.bench.SyntheticTraces(5).homePage()));
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(endpoint()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> listed(robot, "GET /home"));
    WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> window.shown() != null);
    assertThat(window.shown().flow().renderBlocks()).hasSize(3);
    assertThat(window.shown().suggestions()).isNotEmpty();
  }

  @Test
  void oversizedBodiesAreRefused() throws Exception {
    try (OtlpReceiver small = OtlpReceiver.start("127.0.0.1", 0, window.receiverListener(), 1024)) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + small.port() + "/v1/traces"))
                      .header("Content-Type", "application/x-protobuf")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096]))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(413);
    }
  }

  /** The real SDK as service "shop", each span exported to the receiver as it ends. */
  private SdkTracerProvider shopTracing() {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint()).build();
    return SdkTracerProvider.builder()
        .setResource(
            Resource.create(
                io.opentelemetry.api.common.Attributes.of(
                    AttributeKey.stringKey("service.name"), "shop")))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
  }
}
