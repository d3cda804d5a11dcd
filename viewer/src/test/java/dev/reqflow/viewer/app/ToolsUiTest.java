package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.otlp.Flows;
import dev.reqflow.viewer.flows.FlowStore;
import dev.reqflow.viewer.timeline.SpansTable;
import dev.reqflow.viewer.timeline.TimelineModel;
import dev.reqflow.viewer.timeline.TimelineRenderer;
import dev.reqflow.viewer.timeline.TimelineView;
import dev.reqflow.viewer.timeline.Viewport;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.GridPane;
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

/**
 * The viewer's tools at 1024×700: keys dialog, spans table, overview, zoom, compare, export, and
 * suggestions pending on huge flows.
 */
@ExtendWith(ApplicationExtension.class)
class ToolsUiTest {
  @TempDir Path dir;
  private MainWindow window;
  private Preferences prefsNode;

  @Start
  void start(Stage stage) {
    prefsNode = Preferences.userRoot().node("dev/reqflow/viewer-test/" + System.nanoTime());
    window = new MainWindow(new ViewerPrefs(prefsNode), "");
    stage.setScene(window.scene(1024, 700));
    stage.show();
  }

  @AfterEach
  void clearPrefs() throws Exception {
    prefsNode.removeNode();
  }

  private void open(FxRobot robot, Path file) throws Exception {
    robot.interact(() -> window.open(List.of(file)));
    WaitForAsyncUtils.waitFor(
        20, TimeUnit.SECONDS, () -> window.shown() != null && !window.analysing());
    WaitForAsyncUtils.waitForFxEvents();
  }

  @Test
  void theKeysDialogListsEveryShortcutOfTheMenusAndTheTimeline(FxRobot robot) throws Exception {
    robot.interact(window::showKeys);
    WaitForAsyncUtils.waitForFxEvents();
    GridPane grid = robot.lookup("." + KeysDialog.STYLE_CLASS).queryAs(GridPane.class);
    List<String> shown = new ArrayList<>();
    for (javafx.scene.Node n : grid.getChildren()) {
      shown.add(((Label) n).getText());
    }
    List<String> accelerators = new ArrayList<>();
    for (Menu m : window.menuBar().getMenus()) {
      for (MenuItem i : m.getItems()) {
        if (i.getAccelerator() != null) {
          accelerators.add(i.getAccelerator().getDisplayText());
          assertThat(shown).contains(KeysDialog.plain(i.getText()));
        }
      }
    }
    assertThat(accelerators).hasSizeGreaterThan(10).contains("F1");
    assertThat(shown).containsAll(accelerators).contains("Wheel", "Esc", "F");
    robot.interact(() -> window.keysDialog().close());
  }

  @Test
  void spansTableOverviewZoomAndRepostedFlows(FxRobot robot) throws Exception {
    open(robot, TestTraces.homePages(dir, 3));
    FlowReport shown = window.shown();
    SpansTable table = window.spansTable();
    assertThat(table.getItems())
        .hasSize(shown.flow().calls().size() + shown.flow().blocks().size());
    // A row picked selects the span on the timeline; a click there selects the row.
    robot.interact(
        () -> {
          window.showSpansTable();
          table.getSelectionModel().select(0);
        });
    assertThat(window.timelineModel().selected()).isEqualTo(table.getItems().get(0).ref());
    int call = 2;
    robot.interact(() -> window.timelineModel().select(TimelineModel.SpanRef.call(call)));
    assertThat(table.getSelectionModel().getSelectedItem().ref())
        .isEqualTo(TimelineModel.SpanRef.call(call));

    // 20 wheel notches zoom far: more than 50×, not 2.5×.
    assertThat(TimelineView.wheelZoom(20 * 40)).isGreaterThan(50);

    // The overview: a range dragged on it is what the timeline shows.
    TimelineView view = window.timeline();
    Viewport fit = view.viewport();
    double plot = TimelineRenderer.plotWidth(window.overview().getWidth());
    robot.interact(() -> window.overview().showRange(plot * 0.25, plot * 0.5));
    long span = shown.flow().durationNanos();
    assertThat((double) view.viewport().startNanos() - shown.flow().startNanos())
        .isCloseTo(span * 0.25, org.assertj.core.data.Offset.offset(span * 0.02));
    assertThat((double) view.viewport().spanNanos())
        .isCloseTo(span * 0.25, org.assertj.core.data.Offset.offset(span * 0.02));
    assertThat(view.viewport().spanNanos()).isLessThan(fit.spanNanos());

    // The same flow arriving again (re-analysed, re-posted) keeps the zoom and the selection.
    Viewport zoomed = view.viewport();
    robot.interact(
        () ->
            window
                .store()
                .addAll(
                    window.store().sourceOf(shown),
                    List.of(
                        new FlowReport(shown.flow(), shown.criticalPath(), shown.suggestions()))));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.shown()).isNotSameAs(shown);
    assertThat(view.viewport().startNanos()).isEqualTo(zoomed.startNanos());
    assertThat(view.viewport().spanNanos()).isEqualTo(zoomed.spanNanos());
    assertThat(window.timelineModel().selected()).isEqualTo(TimelineModel.SpanRef.call(call));
  }

  @Test
  void aPinnedFlowIsDrawnAboveTheShownOneAtItsScale(FxRobot robot) throws Exception {
    open(robot, TestTraces.homePages(dir, 3));
    FlowReport first = window.shown();
    robot.interact(() -> window.setCompare(true));
    FlowReport other =
        window.store().flowsOfSource("home.pb").stream()
            .filter(r -> r != first)
            .findFirst()
            .orElseThrow();
    robot.interact(() -> window.show(other));
    WaitForAsyncUtils.waitForFxEvents();
    robot.interact(() -> window.timeline().redraw());
    assertThat(window.compareShown()).isTrue();
    assertThat(window.compare().pinned()).isSameAs(first);
    assertThat(window.compare().model().flow()).isSameAs(first.flow());
    // Same ns per pixel, each from its own start.
    Viewport a = window.timeline().viewport();
    Viewport b = window.compare().view().viewport();
    assertThat(b.spanNanos()).isEqualTo(a.spanNanos());
    assertThat(b.startNanos() - first.flow().startNanos())
        .isEqualTo(a.startNanos() - other.flow().startNanos());
    robot.interact(() -> window.setCompare(false));
    assertThat(window.compareShown()).isFalse();
  }

  @Test
  void theExportedPngHasTheWholeHeaderAndTheSuggestionAndNoEmptyTwoThirds(FxRobot robot)
      throws Exception {
    open(robot, TestTraces.homePages(dir, 2));
    assertThat(TimelineExport.fileName(window.shown().flow()))
        .matches("reqflow-GET-home-\\d+ms\\.png");
    Path png = dir.resolve("out.png");
    robot.interact(() -> window.exportPng(png));
    assertThat(window.status().getText()).isEqualTo("Exported the timeline to " + png);
    BufferedImage img = ImageIO.read(png.toFile());
    double contentHeight = window.timelineModel().contentHeight() + TimelineRenderer.AXIS_HEIGHT;
    // The header and suggestion take a few lines; the timeline is as tall as its lanes.
    assertThat(img.getHeight()).isBetween((int) contentHeight, (int) contentHeight + 200);
    int blankRows = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      int first = img.getRGB(0, y);
      boolean blank = true;
      for (int x = 0; x < img.getWidth() && blank; x += 2) {
        blank = img.getRGB(x, y) == first;
      }
      blankRows += blank ? 1 : 0;
    }
    assertThat(blankRows).isLessThan(img.getHeight() / 3);
  }

  @Test
  void hugeFlowsShowSuggestionsPendingThenTheReportsOwn(FxRobot robot) throws Exception {
    Path file = TestTraces.homePages(dir, 4);
    List<Runnable> held = new ArrayList<>();
    // Every flow counts as huge (over 4 calls); its analysis waits until the test lets it run.
    window.deferAnalysis(4, held::add);
    robot.interact(() -> window.open(List.of(file)));
    WaitForAsyncUtils.waitFor(
        20, TimeUnit.SECONDS, () -> window.shown() != null && window.store().anyPending());
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.store().pending(window.shown())).isTrue();
    assertThat(window.suggestions().list().getItems()).isEmpty();
    assertThat(((Label) window.suggestions().list().getPlaceholder()).getText())
        .startsWith("Suggestions pending");
    assertThat(held).hasSize(1);

    Thread t = new Thread(held.get(0));
    t.start();
    t.join(60_000);
    WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !window.analysing());
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.store().anyPending()).isFalse();
    // What `reqflow report` gives the same flow.
    FlowReport shown = window.shown();
    FlowReport report =
        Analysis.analyse(Flows.read(file).flows()).flows().stream()
            .filter(r -> FlowStore.key(r.flow()).equals(FlowStore.key(shown.flow())))
            .findFirst()
            .orElseThrow();
    assertThat(shown.suggestions()).isNotEmpty().isEqualTo(report.suggestions());
    assertThat(window.suggestions().list().getItems()).isNotEmpty();
  }
}
