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

    assertThat(window.header().getTooltip().getText())
        .contains("1 call continues in users, drawn under it");
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

  /**
   * The called service's flow drawn inside the call that waited for it: a row under the call, its
   * own waits hatched as blocked where they were (moved by the clocks' difference), named in the
   * gutter, described on hover; it arrives after its caller and is drawn then.
   */
  @Test
  void theCalleeFlowIsDrawnInsideItsCall(FxRobot robot) {
    Flow pageFlow = dev.reqflow.viewer.timeline.Flows.page();
    FlowReport page =
        new FlowReport(pageFlow, dev.reqflow.analysis.Analysis.criticalPath(pageFlow), List.of());
    Flow backend = dev.reqflow.viewer.timeline.Flows.backend();
    FlowReport users =
        new FlowReport(backend, dev.reqflow.analysis.Analysis.criticalPath(backend), List.of());
    robot.interact(
        () -> {
          window.store().addAll("shop.pb", List.of(page));
          window.show(window.store().flowsOfSource("shop.pb").get(0));
        });
    assertThat(window.timelineModel().layout().rows())
        .noneMatch(r -> r.kind() == dev.reqflow.viewer.timeline.TimelineLayout.Kind.CALLEES);
    // the backend's file opened after: the shown page draws it now
    robot.interact(() -> window.store().addAll("users.pb", List.of(users)));
    dev.reqflow.viewer.timeline.TimelineLayout layout = window.timelineModel().layout();
    dev.reqflow.viewer.timeline.TimelineLayout.Row row =
        layout.rows().stream()
            .filter(r -> r.kind() == dev.reqflow.viewer.timeline.TimelineLayout.Kind.CALLEES)
            .findFirst()
            .orElseThrow();
    int a = pageFlow.callIndex("a");
    assertThat(row.calls()).containsExactly(a);
    assertThat(window.header().getTooltip().getText())
        .contains("1 call continues in users, drawn under it");

    List<dev.reqflow.viewer.timeline.TimelineRenderer.DrawnText> texts =
        new java.util.ArrayList<>();
    robot.interact(
        () -> {
          window.applyCss();
          window.layout();
          window.timeline().redraw();
          texts.addAll(window.timeline().drawnTexts());
        });
    double rowMid =
        dev.reqflow.viewer.timeline.TimelineRenderer.AXIS_HEIGHT + row.y() + row.height() / 2;
    dev.reqflow.viewer.timeline.Viewport v = window.timeline().viewport();
    double gutter = dev.reqflow.viewer.timeline.TimelineRenderer.GUTTER;
    // the backend's wait on its own call: 25 ms, from 5 to 30 ms of the page (its 3 to 28 moved
    // 2 ms later), written on its hatched band inside the call (0 to 40 ms)
    dev.reqflow.viewer.timeline.TimelineRenderer.DrawnText blocked =
        texts.stream()
            .filter(t -> t.full().equals("blocked 25 ms") && Math.abs(t.y() - rowMid) < 1)
            .findFirst()
            .orElseThrow();
    long ms = dev.reqflow.viewer.timeline.Flows.MS;
    assertThat(blocked.x()).isBetween(gutter + v.x(5 * ms), gutter + v.x(5 * ms) + 6);
    assertThat(blocked.right()).isLessThanOrEqualTo(gutter + v.x(30 * ms));
    assertThat(texts).anyMatch(t -> t.full().equals("↳ in users") && Math.abs(t.y() - rowMid) < 1);
    String tip = window.timeline().tooltipTextAt(gutter + v.x(20 * ms), rowMid);
    assertThat(tip)
        .contains("Continues in users's flow GET /a, 36 ms: blocked 25 ms (69%)")
        .contains("Drawn 2.0 ms later than its service recorded it")
        .contains("double-click or Enter to open it");
  }
}
