package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.viewer.bench.SyntheticTraces;
import dev.reqflow.viewer.flows.FlowListView;
import dev.reqflow.viewer.suggestions.SuggestionsPane;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.geometry.Bounds;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
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
 * Never an all-clear when blind, in the window (headless Monocle): a flow whose waits the agent did
 * not see as calls is marked in the flow list, and what it did not see is the first thing beside
 * its timeline, above the suggestions; a flow seen whole has neither.
 */
@ExtendWith(ApplicationExtension.class)
class NotSeenUiTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long MS = 1_000_000L;

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

  private static ByteString id(int n, int bytes) {
    byte[] b = new byte[bytes];
    b[bytes - 1] = (byte) n;
    b[0] = 1;
    return ByteString.copyFrom(b);
  }

  private static Span.Builder span(
      int trace, int span, int parent, String name, long from, long to) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(id(trace, 16))
            .setSpanId(id(span, 8))
            .setName(name)
            .setStartTimeUnixNano(T0 + from * MS)
            .setEndTimeUnixNano(T0 + to * MS)
            .addAttributes(str(Attr.THREAD_ID, 1))
            .addAttributes(str(Attr.THREAD_NAME, "http-1"))
            .addAttributes(str(Attr.THREAD_ROLE, "render"));
    if (parent > 0) {
      b.setParentSpanId(id(parent, 8)).setKind(Span.SpanKind.SPAN_KIND_INTERNAL);
    } else {
      b.setKind(Span.SpanKind.SPAN_KIND_SERVER);
    }
    return b;
  }

  private static KeyValue str(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    if (value instanceof Number n) {
      v.setIntValue(n.longValue());
    } else {
      v.setStringValue(String.valueOf(value));
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  /**
   * GET /blind: three waits of 100 ms on futures Jetty's client thread completed, no call. GET
   * /seen: one call of 100 ms the page waited on.
   */
  private Path trace() throws Exception {
    List<Span> spans = new ArrayList<>();
    spans.add(
        span(1, 1, 0, "GET /blind", 0, 330)
            .addAttributes(str(Attr.SPAN_TYPE, "flow"))
            .addAttributes(str(Attr.FLOW_NAME, "GET /blind"))
            .addAttributes(str(Attr.UNSEEN_WAIT_NANOS, 300 * MS))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey(Attr.LIBRARIES_UNRECORDED)
                    .setValue(
                        AnyValue.newBuilder()
                            .setArrayValue(
                                ArrayValue.newBuilder()
                                    .addValues(
                                        AnyValue.newBuilder().setStringValue("Jetty HttpClient")))))
            .build());
    for (int i = 0; i < 3; i++) {
      spans.add(
          span(1, 10 + i, 1, "block completable.get", 10 + 110 * i, 110 + 110 * i)
              .addAttributes(str(Attr.SPAN_TYPE, "block"))
              .addAttributes(str(Attr.BLOCK_KIND, "completable.get"))
              .addAttributes(str(Attr.BLOCK_COMPLETED_BY, "HttpClient@1b2c-37"))
              .addAttributes(str(Attr.CODE_FUNCTION_NAME, "com.example.Page.render"))
              .addAttributes(str(Attr.CODE_FILE_PATH, "Page.java"))
              .addAttributes(str(Attr.CODE_LINE_NUMBER, 30 + i))
              .build());
    }
    spans.add(
        span(2, 2, 0, "GET /seen", 0, 120)
            .addAttributes(str(Attr.SPAN_TYPE, "flow"))
            .addAttributes(str(Attr.FLOW_NAME, "GET /seen"))
            .build());
    spans.add(
        span(2, 20, 2, "GET /users", 5, 105)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .addAttributes(str(Attr.SPAN_TYPE, "call"))
            .addAttributes(str(Attr.HTTP_REQUEST_METHOD, "GET"))
            .addAttributes(str(Attr.URL_FULL, "http://users:8081/users"))
            .build());
    spans.add(
        span(2, 21, 2, "block future.get", 6, 106)
            .addAttributes(str(Attr.SPAN_TYPE, "block"))
            .addAttributes(str(Attr.BLOCK_KIND, "future.get"))
            .addLinks(
                Span.Link.newBuilder()
                    .setTraceId(id(2, 16))
                    .setSpanId(id(20, 8))
                    .addAttributes(str(Attr.LINK_TYPE, "waited-on")))
            .build());
    Path file = dir.resolve("blind.pb");
    try (OutputStream out = Files.newOutputStream(file)) {
      SyntheticTraces.request("shop", spans).writeTo(out);
    }
    return file;
  }

  private TreeItem<FlowListView.Item> endpoint(
      TreeTableView<FlowListView.Item> table, String name) {
    for (TreeItem<FlowListView.Item> e : table.getRoot().getChildren()) {
      if (e.getValue().stats().name().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint " + name);
  }

  @Test
  void aBlindFlowIsMarkedInTheListAndSaysSoFirst(FxRobot robot) throws Exception {
    Path file = trace();
    robot.interact(() -> window.open(List.of(file)));
    WaitForAsyncUtils.waitFor(
        20, TimeUnit.SECONDS, () -> window.shown() != null && !window.analysing());
    WaitForAsyncUtils.waitForFxEvents();

    TreeTableView<FlowListView.Item> table =
        robot.lookup("." + FlowListView.TABLE_STYLE_CLASS).queryAs(TreeTableView.class);
    TreeItem<FlowListView.Item> blind = endpoint(table, "GET /blind");
    TreeItem<FlowListView.Item> seen = endpoint(table, "GET /seen");
    assertThat(blind.getValue().notSeen())
        .startsWith(
            "1 of 1 flow waited 300 ms (91% of its time) on I/O that reqflow did not see as calls"
                + " (libraries loaded: Jetty HttpClient)");
    assertThat(seen.getValue().notSeen()).isEmpty();
    // One marker in the list, on the blind endpoint's row (its flow's row too once expanded).
    java.util.Set<javafx.scene.Node> markers =
        robot.lookup("." + FlowListView.NOT_SEEN_MARKER_STYLE_CLASS).queryAll();
    assertThat(markers).isNotEmpty();
    for (javafx.scene.Node marker : markers) {
      javafx.scene.Node cell = marker;
      while (!(cell instanceof javafx.scene.control.TreeTableCell)) {
        cell = cell.getParent();
      }
      // the row writes the name without the method every endpoint shares (in the header)
      assertThat(((javafx.scene.control.TreeTableCell<?, ?>) cell).getText())
          .isIn("/blind", blind.getChildren().get(0).getValue().name());
    }

    robot.interact(() -> table.getSelectionModel().select(blind.getChildren().get(0)));
    WaitForAsyncUtils.waitForFxEvents();
    SuggestionsPane pane =
        robot.lookup("." + SuggestionsPane.STYLE_CLASS).queryAs(SuggestionsPane.class);
    Label notSeen = robot.lookup("." + SuggestionsPane.NOT_SEEN_STYLE_CLASS).queryAs(Label.class);
    assertThat(notSeen.isVisible()).isTrue();
    assertThat(notSeen.getText())
        .startsWith(
            "Not seen: This flow waited 300 ms on I/O that reqflow did not see as calls (libraries"
                + " loaded: Jetty HttpClient): 300 ms on futures that threads outside every flow"
                + " completed (HttpClient@1b2c-37)");
    // First: above everything else of the suggestions pane.
    Bounds label = notSeen.localToScene(notSeen.getBoundsInLocal());
    Bounds list = pane.list().localToScene(pane.list().getBoundsInLocal());
    assertThat(label.getMinY()).isLessThan(list.getMinY());
    // (A flow that had not ended would say so above it: this one ended.)
    assertThat(pane.getChildren().filtered(javafx.scene.Node::isVisible).get(0)).isSameAs(notSeen);
    assertThat(((Label) pane.list().getPlaceholder()).getText())
        .isEqualTo("No suggestions from the calls reqflow saw: it did not see all of this flow");

    robot.interact(() -> table.getSelectionModel().select(seen.getChildren().get(0)));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(notSeen.isVisible()).isFalse();
    assertThat(notSeen.isManaged()).isFalse();
  }
}
