package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.contract.TraceContract;
import dev.reqflow.flow.Flow;
import dev.reqflow.viewer.bench.SyntheticTraces;
import dev.reqflow.viewer.timeline.TimelineModel;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A page and the flow a backend ran for one of its calls (the backend's agent got the call's trace
 * context), in two files: the page says which call continues elsewhere, the call's details name the
 * backend's flow, and opening the call shows that flow, which names its caller.
 */
@ExtendWith(ApplicationExtension.class)
class AcrossServicesUiTest {
  @TempDir Path dir;
  private MainWindow window;
  private Preferences prefsNode;

  @Start
  void start(Stage stage) {
    prefsNode = Preferences.userRoot().node("dev/reqflow/viewer-test/" + System.nanoTime());
    window = new MainWindow(new ViewerPrefs(prefsNode), "");
    stage.setScene(window.scene(1400, 800));
    stage.show();
  }

  @AfterEach
  void clearPrefs() throws Exception {
    prefsNode.removeNode();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  @Test
  void aCallWhoseCalleeFlowIsKnownLeadsToIt(FxRobot robot) throws Exception {
    List<Span> page = new SyntheticTraces(5).homePage();
    Span users =
        page.stream()
            .filter(s -> s.getAttributesList().contains(kv(TraceContract.Attr.SPAN_TYPE, "call")))
            .filter(s -> s.getAttributesList().toString().contains("/users/42"))
            .findFirst()
            .orElseThrow();
    long ms = 1_000_000L;
    Span backendFlow =
        Span.newBuilder()
            .setTraceId(users.getTraceId())
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}))
            .setParentSpanId(users.getSpanId())
            .setName("GET /users/42")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(users.getStartTimeUnixNano() + ms)
            .setEndTimeUnixNano(users.getEndTimeUnixNano() - ms)
            .addAttributes(kv(TraceContract.Attr.SPAN_TYPE, TraceContract.SpanType.FLOW))
            .addAttributes(kv(TraceContract.Attr.THREAD_NAME, "http-1"))
            .build();
    Path shop = dir.resolve("shop.pb");
    Path users42 = dir.resolve("users.pb");
    try (OutputStream out = Files.newOutputStream(shop)) {
      SyntheticTraces.request("shop", page).writeTo(out);
    }
    try (OutputStream out = Files.newOutputStream(users42)) {
      SyntheticTraces.request("users", List.of(backendFlow)).writeTo(out);
    }
    robot.interact(() -> window.open(List.of(shop, users42)));
    WaitForAsyncUtils.waitFor(
        20, TimeUnit.SECONDS, () -> window.shown() != null && !window.analysing());
    // Each opened file is a source of its own: the page's row is the shop file's GET /home.
    String homeRow =
        window.store().endpoints().stream()
            .filter(g -> dev.reqflow.viewer.flows.FlowStore.endpointOfGroup(g).equals("GET /home"))
            .findFirst()
            .orElseThrow();
    FlowReport home = window.store().flowsOf(homeRow).get(0);
    robot.interact(() -> window.show(home));

    assertThat(window.headerStats().getText())
        .contains("1 call continues in another service's flow");
    Flow f = home.flow();
    int idx = -1;
    for (int i = 0; i < f.calls().size(); i++) {
      if (f.calls().get(i).url().contains("/users/42")) {
        idx = i;
      }
    }
    TimelineModel.SpanRef call = TimelineModel.SpanRef.call(idx);
    robot.interact(() -> window.timelineModel().select(call));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.details().getText())
        .contains("Continues in users's flow GET /users/")
        .contains("double-click or Enter to open it");

    robot.interact(() -> window.jumpToSource(call));
    assertThat(window.shown().flow().service()).isEqualTo("users");
    assertThat(window.shown().flow().parentSpanId()).isEqualTo(f.calls().get(idx).spanId());
    assertThat(window.headerStats().getText()).contains("called by shop's GET /home");
  }
}
