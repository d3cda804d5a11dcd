package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.viewer.flows.FlowListView;
import dev.reqflow.viewer.suggestions.SuggestionsPane;
import dev.reqflow.viewer.timeline.Palette;
import dev.reqflow.viewer.timeline.TimelineLayout;
import dev.reqflow.viewer.timeline.TimelineRenderer;
import dev.reqflow.viewer.timeline.TimelineView;
import dev.reqflow.viewer.timeline.Viewport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.geometry.Bounds;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.TreeTableView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window on headless Monocle: open a file, pick a flow, look at and use the timeline. */
@ExtendWith(ApplicationExtension.class)
class ViewerUiTest {
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

  private void openAndWait(FxRobot robot, Path file) throws Exception {
    robot.interact(() -> window.open(List.of(file)));
    WaitForAsyncUtils.waitFor(
        20, TimeUnit.SECONDS, () -> window.shown() != null && !window.analysing());
    WaitForAsyncUtils.waitForFxEvents();
  }

  private static int countNear(WritableImage img, Color target) {
    PixelReader r = img.getPixelReader();
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        Color c = r.getColor(x, y);
        if (Math.abs(c.getRed() - target.getRed()) < 0.05
            && Math.abs(c.getGreen() - target.getGreen()) < 0.05
            && Math.abs(c.getBlue() - target.getBlue()) < 0.05) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void openFileListsTheFlowAndTheTimelineShowsBlockedTime(FxRobot robot) throws Exception {
    openAndWait(robot, TestTraces.homePages(dir, 5));

    TreeTableView<FlowListView.Item> table =
        robot.lookup("." + FlowListView.TABLE_STYLE_CLASS).queryAs(TreeTableView.class);
    assertThat(table.getRoot().getChildren()).hasSize(1);
    assertThat(table.getRoot().getChildren().get(0).getValue().stats().name())
        .isEqualTo("GET /home");
    assertThat(table.getRoot().getChildren().get(0).getValue().stats().count()).isEqualTo(5);
    assertThat(window.status().getText()).contains("5 flows");
    assertThat(table.getSelectionModel().getSelectedItem().getValue().report().flow())
        .isSameAs(window.shown().flow());

    Flow flow = window.timelineModel().flow();
    assertThat(flow.renderBlocks()).isNotEmpty();
    Canvas canvas = robot.lookup("." + TimelineView.CANVAS_STYLE_CLASS).queryAs(Canvas.class);
    WritableImage[] shot = new WritableImage[1];
    robot.interact(() -> shot[0] = canvas.snapshot(null, null));
    assertThat(countNear(shot[0], Palette.LIGHT.blocked()))
        .as("red blocked pixels")
        .isGreaterThan(2_000);

    SuggestionsPane suggestions =
        robot.lookup("." + SuggestionsPane.STYLE_CLASS).queryAs(SuggestionsPane.class);
    assertThat(suggestions.list().getItems()).isNotEmpty();
    assertThat(window.timelineModel().evidence()).isNotEmpty();
    assertThat(window.timelineModel().critical()).isNotEmpty();
  }

  @Test
  void clickingACallFillsTheDetailsAndKeysZoomAndFit(FxRobot robot) throws Exception {
    openAndWait(robot, TestTraces.homePages(dir, 1));
    TimelineView view = robot.lookup("." + TimelineView.STYLE_CLASS).queryAs(TimelineView.class);
    // the rows from the top: the what-if (on by default) is scrolled to under the page's lane
    robot.interact(
        () -> {
          window.suggestions().whatIfToggle().setSelected(false);
          Viewport top = view.viewport();
          view.setViewport(new Viewport(top.startNanos(), top.endNanos(), top.widthPx(), 0));
        });
    Flow flow = window.timelineModel().flow();
    int idx = 0;
    Call call = flow.calls().get(idx);
    TimelineLayout layout = window.timelineModel().layout();
    TimelineLayout.Row row = layout.rows().get(layout.rowOfCall(idx));
    Viewport v = view.viewport();
    double x = TimelineRenderer.GUTTER + v.x((call.startNanos() + call.endNanos()) / 2);
    double y = TimelineRenderer.AXIS_HEIGHT + row.y() + row.height() / 2;
    Bounds b = view.localToScreen(view.getBoundsInLocal());
    robot.clickOn(b.getMinX() + x, b.getMinY() + y);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.timelineModel().selected().callIndex()).isEqualTo(idx);
    assertThat(window.details().getText())
        .contains(call.url())
        .contains("call site")
        .contains("thread");

    long span = view.viewport().spanNanos();
    robot.type(KeyCode.EQUALS);
    assertThat(view.viewport().spanNanos()).isLessThan(span);
    robot.type(KeyCode.F);
    assertThat(view.viewport().spanNanos()).isEqualTo(span);
    robot.moveTo(b.getMinX() + b.getWidth() * 0.6, b.getMinY() + b.getHeight() * 0.6);
    robot.press(javafx.scene.input.MouseButton.PRIMARY);
    robot.moveBy(50, 0);
    robot.moveBy(50, 0);
    robot.release(javafx.scene.input.MouseButton.PRIMARY);
    assertThat(view.viewport().startNanos())
        .isLessThan(Viewport.fit(flow.startNanos(), flow.endNanos(), v.widthPx()).startNanos());
  }

  @Test
  void manyChangesInOnePulseDrawOnce(FxRobot robot) throws Exception {
    openAndWait(robot, TestTraces.homePages(dir, 1));
    TimelineView view = robot.lookup("." + TimelineView.STYLE_CLASS).queryAs(TimelineView.class);
    WaitForAsyncUtils.waitForFxEvents();
    long before = view.frames();
    robot.interact(
        () -> {
          for (int i = 0; i < 50; i++) {
            view.setViewport(view.viewport().zoomAround(100, 1.01));
            window
                .timelineModel()
                .hover(dev.reqflow.viewer.timeline.TimelineModel.SpanRef.call(i % 3));
          }
        });
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(view.frames() - before).isBetween(1L, 2L);
  }

  @Test
  void clickingABlockExplainsWhatReleasedIt(FxRobot robot) throws Exception {
    openAndWait(robot, TestTraces.homePages(dir, 1));
    TimelineView view = robot.lookup("." + TimelineView.STYLE_CLASS).queryAs(TimelineView.class);
    Flow flow = window.timelineModel().flow();
    Block block = flow.renderBlocks().get(0);
    double x =
        TimelineRenderer.GUTTER + view.viewport().x((block.startNanos() + block.endNanos()) / 2);
    double y = TimelineRenderer.AXIS_HEIGHT + TimelineLayout.THREAD_ROW_HEIGHT / 2;
    Bounds b = view.localToScreen(view.getBoundsInLocal());
    robot.clickOn(b.getMinX() + x, b.getMinY() + y);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.details().getText())
        .startsWith("Blocked")
        .contains("released by")
        .contains("users");
  }

  @Test
  void whatIfDrawsTheReplayAndMarkdownCopies(FxRobot robot) throws Exception {
    openAndWait(robot, TestTraces.homePages(dir, 1));
    ToggleButton whatIf =
        robot.lookup("." + SuggestionsPane.WHAT_IF_STYLE_CLASS).queryAs(ToggleButton.class);
    // on by default; clicked off, then on again
    assertThat(window.timelineModel().replay()).isNotNull();
    robot.clickOn(whatIf);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.timelineModel().replay()).isNull();
    robot.clickOn(whatIf);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.timelineModel().replay()).isNotNull();
    assertThat(window.timelineModel().whatIfEndNanos())
        .isLessThan(window.timelineModel().flow().endNanos());
    String[] md = new String[1];
    robot.interact(() -> md[0] = window.suggestions().copySelected());
    assertThat(md[0]).startsWith("### ").contains("GET /home").contains("saves");
    robot.clickOn(whatIf);
    assertThat(window.timelineModel().replay()).isNull();
  }

  @Test
  void exportsPngAndSwitchesTheme(FxRobot robot) throws Exception {
    openAndWait(robot, TestTraces.homePages(dir, 1));
    Path png = dir.resolve("timeline.png");
    robot.interact(() -> window.exportPng(png));
    assertThat(Files.size(png)).isPositive();
    java.awt.image.BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isGreaterThan(500);
    robot.interact(() -> window.setDark(true));
    assertThat(window.timelineModel().palette()).isEqualTo(Palette.DARK);
    assertThat(new ViewerPrefs(prefsNode).dark()).isTrue();
    assertThat(new ViewerPrefs(prefsNode).recentFiles()).hasSize(1);
  }

  @Test
  void theFilterHidesEndpointsThatDoNotMatch(FxRobot robot) throws Exception {
    openAndWait(robot, TestTraces.homePages(dir, 2));
    TreeTableView<FlowListView.Item> table =
        robot.lookup("." + FlowListView.TABLE_STYLE_CLASS).queryAs(TreeTableView.class);
    robot.clickOn("." + FlowListView.FILTER_STYLE_CLASS).write("checkout");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(table.getRoot().getChildren()).isEmpty();
    robot.interact(() -> window.flowList().filter().setText("home"));
    assertThat(table.getRoot().getChildren()).hasSize(1);
  }

  @Test
  void aBadFileIsReportedAndTheViewerKeepsItsFlows(FxRobot robot) throws Exception {
    openAndWait(robot, TestTraces.homePages(dir, 2));
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"resourceSpans\": [ oops");
    robot.interact(() -> window.open(List.of(bad)));
    WaitForAsyncUtils.waitFor(
        10, TimeUnit.SECONDS, () -> window.status().getText().startsWith("Could not open"));
    assertThat(window.store().size()).isEqualTo(2);
    // named as JSON, at its file and line
    assertThat(window.status().getText()).contains(bad + ":1: not JSON").doesNotContain("protobuf");
    javafx.scene.Node bar = window.lookup("." + MainWindow.STATUS_STYLE_CLASS);
    assertThat(bar.getStyleClass()).contains(MainWindow.ERROR_STYLE_CLASS);

    // a later success clears it: another file opened ...
    openAndWait(robot, TestTraces.homePages(dir, 1));
    WaitForAsyncUtils.waitFor(
        10, TimeUnit.SECONDS, () -> window.status().getText().startsWith("Opened"));
    assertThat(bar.getStyleClass()).doesNotContain(MainWindow.ERROR_STYLE_CLASS);
    // ... or flows received after a refused request
    robot.interact(() -> window.error("Malformed OTLP JSON from 127.0.0.1: oops"));
    assertThat(bar.getStyleClass()).contains(MainWindow.ERROR_STYLE_CLASS);
    window
        .receiverListener()
        .flows(List.of(window.store().flowsOf(window.store().endpoints().get(0)).get(0)));
    WaitForAsyncUtils.waitFor(
        10, TimeUnit.SECONDS, () -> !bar.getStyleClass().contains(MainWindow.ERROR_STYLE_CLASS));
    assertThat(window.status().getText()).startsWith("Receiving flows");
  }

  @Test
  void screenshotModeWritesAPng() throws Exception {
    Path out = dir.resolve("shot.png");
    Path file = TestTraces.homePages(dir, 3);
    WaitForAsyncUtils.asyncFx(
            () -> {
              Screenshot.render(List.of(file), out, new ViewerPrefs(prefsNode));
              return null;
            })
        .get(30, TimeUnit.SECONDS);
    java.awt.image.BufferedImage img = ImageIO.read(out.toFile());
    assertThat(img.getWidth()).isEqualTo((int) Screenshot.WIDTH);
    assertThat(img.getHeight()).isEqualTo((int) Screenshot.HEIGHT);
  }
}
