package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.ThreadLane;
import dev.reqflow.viewer.bench.SyntheticTraces;
import dev.reqflow.viewer.flows.FlowListView;
import dev.reqflow.viewer.suggestions.SuggestionsPane;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
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
 * A page that hung, in the window (headless Monocle): the agent's snapshot of a flow that had not
 * ended (a fixed pool of 2 whose tasks wait on tasks queued behind them) is marked in the flow
 * list; its timeline runs up to the snapshot, with its threads' waits still in progress; what it
 * waited on and its deadlock come first beside it. A page that ended has none of that.
 */
@ExtendWith(ApplicationExtension.class)
class StalledUiTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final String POOL = "ThreadPoolExecutor@5e9f23b4";

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

  private static KeyValue kv(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    if (value instanceof Boolean b) {
      v.setBoolValue(b);
    } else if (value instanceof Number n) {
      v.setIntValue(n.longValue());
    } else {
      v.setStringValue(String.valueOf(value));
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  private static Span.Builder span(
      int trace, int span, int parent, String name, long from, long to, int thread, String role) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(id(trace, 16))
            .setSpanId(id(span, 8))
            .setName(name)
            .setStartTimeUnixNano(T0 + from * MS)
            .setEndTimeUnixNano(T0 + to * MS)
            .addAttributes(kv(Attr.THREAD_ID, thread))
            .addAttributes(
                kv(
                    Attr.THREAD_NAME,
                    thread == 1 ? "page-request-1" : "pool-2-thread-" + (thread - 10)))
            .addAttributes(kv(Attr.THREAD_ROLE, role));
    if (parent > 0) {
      b.setParentSpanId(id(parent, 8)).setKind(Span.SpanKind.SPAN_KIND_INTERNAL);
    } else {
      b.setKind(Span.SpanKind.SPAN_KIND_SERVER);
    }
    return b;
  }

  /** A snapshot span: in progress, snapshot 1. */
  private static Span.Builder snapshot(Span.Builder b) {
    return b.addAttributes(kv(Attr.IN_PROGRESS, true)).addAttributes(kv(Attr.SNAPSHOT_SEQ, 1));
  }

  /**
   * GET /nested: open 3 s when the process stopped, its two pool threads waiting since 100 ms on
   * tasks queued in their own full pool, the render thread on the first of them; two calls ended
   * before. GET /fine: one call, ended.
   */
  private Path trace() throws Exception {
    List<Span> spans = new ArrayList<>();
    spans.add(
        snapshot(span(1, 1, 0, "GET /nested", 0, 3000, 1, "render"))
            .addAttributes(kv(Attr.SPAN_TYPE, "flow"))
            .addAttributes(kv(Attr.FLOW_NAME, "GET /nested"))
            .addAttributes(kv(Attr.SNAPSHOT_REASON, "exit"))
            .addAttributes(kv(Attr.STALL_AFTER_NANOS, 1000 * MS))
            .build());
    for (int i = 1; i <= 2; i++) {
      spans.add(
          span(1, 20 + i, 1, "GET /user" + i, 10, 90, 10 + i, "executor")
              .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
              .addAttributes(kv(Attr.SPAN_TYPE, "call"))
              .addAttributes(kv(Attr.HTTP_REQUEST_METHOD, "GET"))
              .addAttributes(kv(Attr.URL_FULL, "http://users:8081/user" + i))
              .build());
      spans.add(
          snapshot(span(1, 30 + i, 1, "block future.get", 100, 3000, 10 + i, "executor"))
              .addAttributes(kv(Attr.SPAN_TYPE, "block"))
              .addAttributes(kv(Attr.BLOCK_KIND, "future.get"))
              .addAttributes(kv(Attr.CODE_FUNCTION_NAME, "com.example.Page.section"))
              .addAttributes(kv(Attr.CODE_FILE_PATH, "Page.java"))
              .addAttributes(kv(Attr.CODE_LINE_NUMBER, 202))
              .addAttributes(kv(Attr.WAIT_TASK_STATE, "queued"))
              .addAttributes(kv(Attr.WAIT_TASK_EXECUTOR, POOL))
              .addAttributes(kv(Attr.THREAD_EXECUTOR, POOL))
              .addAttributes(kv(Attr.THREAD_EXECUTOR_LIMIT, 2))
              .addAttributes(kv(Attr.THREAD_EXECUTOR_ACTIVE, 2))
              .addAttributes(kv(Attr.THREAD_EXECUTOR_QUEUED, 2))
              .build());
    }
    spans.add(
        snapshot(span(1, 40, 1, "block future.get", 5, 3000, 1, "render"))
            .addAttributes(kv(Attr.SPAN_TYPE, "block"))
            .addAttributes(kv(Attr.BLOCK_KIND, "future.get"))
            .addAttributes(kv(Attr.CODE_FUNCTION_NAME, "com.example.Page.render"))
            .addAttributes(kv(Attr.CODE_FILE_PATH, "Page.java"))
            .addAttributes(kv(Attr.CODE_LINE_NUMBER, 192))
            .addAttributes(kv(Attr.WAIT_TASK_STATE, "running"))
            .addAttributes(kv(Attr.WAIT_TASK_THREAD, "pool-2-thread-1"))
            .build());
    spans.add(
        span(2, 2, 0, "GET /fine", 0, 120, 1, "render")
            .addAttributes(kv(Attr.SPAN_TYPE, "flow"))
            .addAttributes(kv(Attr.FLOW_NAME, "GET /fine"))
            .build());
    spans.add(
        span(2, 50, 2, "GET /users", 5, 105, 1, "render")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .addAttributes(kv(Attr.SPAN_TYPE, "call"))
            .addAttributes(kv(Attr.HTTP_REQUEST_METHOD, "GET"))
            .addAttributes(kv(Attr.URL_FULL, "http://users:8081/users"))
            .build());
    Path file = dir.resolve("stalled.pb");
    try (OutputStream out = Files.newOutputStream(file)) {
      SyntheticTraces.request("shop", spans).writeTo(out);
    }
    return file;
  }

  private static TreeItem<FlowListView.Item> endpoint(
      TreeTableView<FlowListView.Item> table, String name) {
    for (TreeItem<FlowListView.Item> e : table.getRoot().getChildren()) {
      if (e.getValue().stats().name().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint " + name);
  }

  @Test
  void aFlowThatHungIsMarkedAndItsTimelineRunsToTheSnapshot(FxRobot robot) throws Exception {
    Path file = trace();
    robot.interact(() -> window.open(List.of(file)));
    WaitForAsyncUtils.waitFor(
        20, TimeUnit.SECONDS, () -> window.shown() != null && !window.analysing());
    WaitForAsyncUtils.waitForFxEvents();

    @SuppressWarnings("unchecked")
    TreeTableView<FlowListView.Item> table =
        robot.lookup("." + FlowListView.TABLE_STYLE_CLASS).queryAs(TreeTableView.class);
    TreeItem<FlowListView.Item> nested = endpoint(table, "GET /nested");
    TreeItem<FlowListView.Item> fine = endpoint(table, "GET /fine");
    assertThat(nested.getValue().stalled())
        .isEqualTo("1 of 1 flow had not ended (1 deadlocked, 1 stalled).");
    assertThat(fine.getValue().stalled()).isEmpty();
    robot.interact(() -> nested.setExpanded(true));
    WaitForAsyncUtils.waitForFxEvents();
    TreeItem<FlowListView.Item> flowRow = nested.getChildren().get(0);
    assertThat(flowRow.getValue().stalled())
        .startsWith("open 3.00 s when the process stopped: stalled (still open after stall.after")
        .contains(
            "Deadlock: both threads of executor " + POOL + " (pool-2-thread-*) wait on tasks");
    // The markers sit on the hung endpoint's row and its flow's, nowhere else.
    Set<Node> markers = robot.lookup("." + FlowListView.STALLED_MARKER_STYLE_CLASS).queryAll();
    assertThat(markers).hasSize(2);
    for (Node marker : markers) {
      Node cell = marker;
      while (!(cell instanceof TreeTableCell)) {
        cell = cell.getParent();
      }
      // the row writes the name without the method every endpoint shares (in the header)
      assertThat(((TreeTableCell<?, ?>) cell).getText()).isIn("/nested", flowRow.getValue().name());
    }

    robot.interact(() -> table.getSelectionModel().select(flowRow));
    WaitForAsyncUtils.waitForFxEvents();
    Flow shown = window.timelineModel().flow();
    assertThat(shown.inProgress()).isTrue();
    assertThat(shown.durationNanos()).isEqualTo(3000 * MS);
    // Its timeline: the render thread and both pool threads, each waiting up to the snapshot.
    List<ThreadLane> lanes = shown.lanes();
    assertThat(lanes)
        .extracting(l -> l.thread().name())
        .containsExactly("page-request-1", "pool-2-thread-1", "pool-2-thread-2");
    for (ThreadLane lane : lanes) {
      Block last = lane.blocks().get(lane.blocks().size() - 1);
      assertThat(last.endNanos()).isEqualTo(shown.endNanos());
    }
    assertThat(window.timelineModel().layout()).isNotNull();

    SuggestionsPane pane =
        robot.lookup("." + SuggestionsPane.STYLE_CLASS).queryAs(SuggestionsPane.class);
    Label stalled = robot.lookup("." + SuggestionsPane.STALLED_STYLE_CLASS).queryAs(Label.class);
    assertThat(stalled.isVisible()).isTrue();
    assertThat(pane.getChildren().get(0)).isSameAs(stalled);
    assertThat(stalled.getText())
        .startsWith("Not ended: open 3.00 s when the process stopped")
        .contains("Fix: Run the tasks they wait on in another executor")
        .contains(
            "• pool-2-thread-1 (executor, a worker of "
                + POOL
                + ": 2 of 2 busy, 2 queued):"
                + " waiting 2.90 s at Page.section(Page.java:202) in future.get for a task queued"
                + " in "
                + POOL
                + " (its own executor)");
    assertThat(((Label) pane.list().getPlaceholder()).getText())
        .isEqualTo("No suggestions: the flow had not ended, so no what-if holds (above)");
    Label header = robot.lookup("." + MainWindow.HEADER_STYLE_CLASS).queryAs(Label.class);
    // The header is the flow's name; its figures, and that it had not ended, are beside it and in
    // its tooltip.
    assertThat(header.getTooltip().getText()).contains("not ended");

    robot.interact(
        () -> {
          fine.setExpanded(true);
          table.getSelectionModel().select(fine.getChildren().get(0));
        });
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.timelineModel().flow().inProgress()).isFalse();
    assertThat(stalled.isVisible()).isFalse();
    assertThat(stalled.isManaged()).isFalse();
  }

  /**
   * GET /timeout: a JDK HttpClient's executor of 2 blocked in its own calls (as in {@code
   * StallPages}), the page giving up after 4 s: the watchdog's snapshot at 2.03 s (stall.after 2
   * s), then the flow's own spans when it ended at 4.25 s; the render thread's wait ended with no
   * call. The workers' waits and their calls never ended. GET /fine ended.
   */
  private Path timedOut() throws Exception {
    List<Span> spans = new ArrayList<>();
    Span.Builder flow =
        span(3, 1, 0, "GET /timeout", 0, 4250, 1, "render")
            .addAttributes(kv(Attr.SPAN_TYPE, "flow"))
            .addAttributes(kv(Attr.FLOW_NAME, "GET /timeout"));
    spans.add(
        snapshot(flow.clone().setEndTimeUnixNano(T0 + 2030 * MS))
            .addAttributes(kv(Attr.SNAPSHOT_REASON, "stalled"))
            .addAttributes(kv(Attr.STALL_AFTER_NANOS, 2000 * MS))
            .build());
    spans.add(flow.build());
    for (int i = 1; i <= 2; i++) {
      spans.add(
          span(3, 20 + i, 1, "GET /user" + i, 5, 250 + i, 1, "render")
              .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
              .addAttributes(kv(Attr.SPAN_TYPE, "call"))
              .addAttributes(kv(Attr.HTTP_REQUEST_METHOD, "GET"))
              .addAttributes(kv(Attr.URL_FULL, "http://users:8081/user" + i))
              .addAttributes(kv(Attr.CALL_EXECUTOR, POOL))
              .build());
      spans.add(
          snapshot(span(3, 30 + i, 1, "GET /details" + i, 260, 2030, 10 + i, "executor"))
              .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
              .addAttributes(kv(Attr.SPAN_TYPE, "call"))
              .addAttributes(kv(Attr.HTTP_REQUEST_METHOD, "GET"))
              .addAttributes(kv(Attr.URL_FULL, "http://users:8081/details" + i))
              .addAttributes(kv(Attr.CALL_EXECUTOR, POOL))
              .build());
      spans.add(
          snapshot(span(3, 40 + i, 1, "block httpclient.send", 260, 2030, 10 + i, "executor"))
              .addAttributes(kv(Attr.SPAN_TYPE, "block"))
              .addAttributes(kv(Attr.BLOCK_KIND, "httpclient.send"))
              .addAttributes(kv(Attr.CODE_FUNCTION_NAME, "com.example.Page.details"))
              .addAttributes(kv(Attr.CODE_FILE_PATH, "Page.java"))
              .addAttributes(kv(Attr.CODE_LINE_NUMBER, 32))
              .addAttributes(kv(Attr.THREAD_EXECUTOR, POOL))
              .addAttributes(kv(Attr.THREAD_EXECUTOR_LIMIT, 2))
              .addAttributes(kv(Attr.THREAD_EXECUTOR_ACTIVE, 2))
              .addAttributes(kv(Attr.THREAD_EXECUTOR_QUEUED, 3))
              .addLinks(
                  Span.Link.newBuilder()
                      .setTraceId(id(3, 16))
                      .setSpanId(id(30 + i, 8))
                      .addAttributes(kv(Attr.LINK_TYPE, "waited-on")))
              .build());
    }
    Span.Builder renderWait =
        span(3, 50, 1, "block completable.get", 155, 4155, 1, "render")
            .addAttributes(kv(Attr.SPAN_TYPE, "block"))
            .addAttributes(kv(Attr.BLOCK_KIND, "completable.get"))
            .addAttributes(kv(Attr.CODE_FUNCTION_NAME, "com.example.Page.render"))
            .addAttributes(kv(Attr.CODE_FILE_PATH, "Page.java"))
            .addAttributes(kv(Attr.CODE_LINE_NUMBER, 47));
    spans.add(renderWait.build());
    spans.add(
        snapshot(renderWait.clone().setSpanId(id(51, 8)).setEndTimeUnixNano(T0 + 2030 * MS))
            .build());
    spans.add(
        span(2, 2, 0, "GET /fine", 0, 120, 1, "render")
            .addAttributes(kv(Attr.SPAN_TYPE, "flow"))
            .addAttributes(kv(Attr.FLOW_NAME, "GET /fine"))
            .build());
    Path file = dir.resolve("timed-out.pb");
    try (OutputStream out = Files.newOutputStream(file)) {
      SyntheticTraces.request("shop", spans).writeTo(out);
    }
    return file;
  }

  @Test
  void aFlowThatStalledAndEndedIsMarkedAndSaysSoInOneLine(FxRobot robot) throws Exception {
    Path file = timedOut();
    robot.interact(() -> window.open(List.of(file)));
    WaitForAsyncUtils.waitFor(
        20, TimeUnit.SECONDS, () -> window.shown() != null && !window.analysing());
    WaitForAsyncUtils.waitForFxEvents();

    @SuppressWarnings("unchecked")
    TreeTableView<FlowListView.Item> table =
        robot.lookup("." + FlowListView.TABLE_STYLE_CLASS).queryAs(TreeTableView.class);
    TreeItem<FlowListView.Item> timeout = endpoint(table, "GET /timeout");
    assertThat(timeout.getValue().stalled())
        .isEqualTo("1 of 1 flow stalled and ended only later (1 deadlocked).");
    assertThat(endpoint(table, "GET /fine").getValue().stalled()).isEmpty();
    robot.interact(() -> timeout.setExpanded(true));
    WaitForAsyncUtils.waitForFxEvents();
    TreeItem<FlowListView.Item> flowRow = timeout.getChildren().get(0);
    assertThat(flowRow.getValue().stalled())
        .startsWith(
            "stalled: still open 2.03 s in, at its last snapshot (stall.after 2.00 s), then ended"
                + " after 4.25 s.")
        .contains("Deadlock: both threads of executor " + POOL + " (pool-2-thread-*) are blocked");
    // Marked as the stalled flows are: the endpoint's row and the flow's.
    Set<Node> markers = robot.lookup("." + FlowListView.STALLED_MARKER_STYLE_CLASS).queryAll();
    assertThat(markers).hasSize(2);

    robot.interact(() -> table.getSelectionModel().select(flowRow));
    WaitForAsyncUtils.waitForFxEvents();
    Flow shown = window.timelineModel().flow();
    assertThat(shown.inProgress()).isFalse();
    assertThat(shown.stalledThenEnded()).isTrue();
    assertThat(shown.durationNanos()).isEqualTo(4250 * MS);
    // The workers' waits never ended: their lanes run to the flow's end.
    List<ThreadLane> lanes = shown.lanes();
    assertThat(lanes)
        .extracting(l -> l.thread().name())
        .containsExactly("page-request-1", "pool-2-thread-1", "pool-2-thread-2");
    for (ThreadLane lane : lanes.subList(1, 3)) {
      assertThat(lane.blocks()).hasSize(1);
      assertThat(lane.blocks().get(0).endNanos()).isEqualTo(shown.endNanos());
    }

    SuggestionsPane pane =
        robot.lookup("." + SuggestionsPane.STYLE_CLASS).queryAs(SuggestionsPane.class);
    Label stalled = robot.lookup("." + SuggestionsPane.STALLED_STYLE_CLASS).queryAs(Label.class);
    assertThat(stalled.isVisible()).isTrue();
    assertThat(pane.getChildren().get(0)).isSameAs(stalled);
    assertThat(stalled.getText())
        .doesNotContain("\n")
        .startsWith("Stalled, then ended: stalled: still open 2.03 s in")
        .contains("Fix: Give the HTTP client an executor of its own")
        .endsWith(
            "The render thread's wait at Page.render(Page.java:47) in completable.get, 4.00 s,"
                + " ended with no call releasing it: the deadlock held it.");
    // The empty list says core's reason: no what-if on the deadlock's times.
    assertThat(((Label) pane.list().getPlaceholder()).getText())
        .startsWith("No suggestions: it stalled on a deadlock and ended only later");
    Label header = robot.lookup("." + MainWindow.HEADER_STYLE_CLASS).queryAs(Label.class);
    assertThat(header.getTooltip().getText()).contains("STALLED, then ended");
    // The timeline marks when the snapshot found it stalled, on its axis (issue 11).
    robot.interact(() -> window.timeline().redraw());
    assertThat(window.timeline().drawnTexts())
        .extracting(t -> t.full())
        .contains("stalled at 2.03 s", "end 4.25 s");
  }
}
