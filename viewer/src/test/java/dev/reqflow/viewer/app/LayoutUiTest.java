package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.flow.ThreadLane;
import dev.reqflow.viewer.flows.FlowListView;
import dev.reqflow.viewer.flows.FlowStore;
import dev.reqflow.viewer.suggestions.SuggestionsPane;
import dev.reqflow.viewer.timeline.TimelineLayout;
import dev.reqflow.viewer.timeline.TimelineRenderer;
import dev.reqflow.viewer.timeline.TimelineView;
import dev.reqflow.viewer.timeline.WhatIfLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.TreeItem;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 15 on headless Monocle, at the two window sizes a laptop and a desktop open it at, on flows
 * the agent recorded from the sample app: the timeline has most of the width, no text is cut
 * without an ellipsis and a tooltip (measured on the rendered nodes and on the canvas' texts),
 * lanes and calls are named apart, the what-if is a second timeline that follows the selected
 * suggestion, the drawn flow is the selected one, and suggestions read as the report writes them.
 */
@ExtendWith(ApplicationExtension.class)
class LayoutUiTest {
  /** The sample app's strategies as the agent recorded them (core's regression input). */
  static final Path RECORDED =
      Path.of("../core/src/test/resources/agent/sample-app-strategies.jsonl.gz");

  @TempDir Path dir;
  private Stage stage;
  private MainWindow window;
  private Preferences prefsNode;

  @Start
  void start(Stage s) {
    stage = s;
    prefsNode = Preferences.userRoot().node("dev/reqflow/viewer-test/" + System.nanoTime());
    window = new MainWindow(new ViewerPrefs(prefsNode), "");
    stage.setScene(window.scene(800, 600));
    stage.show();
  }

  @AfterEach
  void clearPrefs() throws Exception {
    prefsNode.removeNode();
  }

  private void openAt(FxRobot robot, String size, Path file) throws Exception {
    String[] wh = size.split("x");
    double w = Double.parseDouble(wh[0]);
    double h = Double.parseDouble(wh[1]);
    robot.interact(
        () -> {
          window = new MainWindow(new ViewerPrefs(prefsNode), "");
          stage.setScene(window.scene(w, h));
          stage.sizeToScene();
        });
    assertThat(window.getScene().getWidth()).isEqualTo(w);
    assertThat(window.getScene().getHeight()).isEqualTo(h);
    robot.interact(() -> window.open(List.of(file)));
    WaitForAsyncUtils.waitFor(
        30, TimeUnit.SECONDS, () -> window.shown() != null && !window.analysing());
    // the list follows the store within a quarter second; now, for the test
    robot.interact(() -> window.flowList().rebuild());
    WaitForAsyncUtils.waitForFxEvents();
  }

  private TimelineView timeline() {
    return window.timeline();
  }

  /** Draws now and returns the frame's texts. */
  private List<TimelineRenderer.DrawnText> frame(FxRobot robot) {
    robot.interact(
        () -> {
          window.applyCss();
          window.layout();
          timeline().redraw();
        });
    return timeline().drawnTexts();
  }

  private FlowReport flowWith(java.util.function.Predicate<FlowReport> p) {
    for (String e : window.store().endpoints()) {
      for (FlowReport r : window.store().flowsOf(e)) {
        if (p.test(r)) {
          return r;
        }
      }
    }
    throw new AssertionError("no such flow in " + RECORDED);
  }

  private void select(FxRobot robot, FlowReport r) {
    robot.interact(
        () -> {
          for (TreeItem<FlowListView.Item> e : window.flowList().table().getRoot().getChildren()) {
            for (TreeItem<FlowListView.Item> f : e.getChildren()) {
              if (FlowStore.key(f.getValue().report().flow()).equals(FlowStore.key(r.flow()))) {
                e.setExpanded(true);
                window.flowList().table().getSelectionModel().select(f);
                return;
              }
            }
          }
          throw new AssertionError("flow not listed");
        });
    WaitForAsyncUtils.waitForFxEvents();
  }

  private static boolean okhttpLanes(FlowReport r) {
    return r.flow().lanes().stream().filter(l -> l.thread().name().startsWith("OkHttp ")).count()
        > 1;
  }

  // ---- 1. layout: the timeline's width, nothing cut without an ellipsis and a tooltip

  @ParameterizedTest
  @ValueSource(strings = {"1024x700", "1440x900"})
  void theTimelineHasMostOfTheWidthAndNoTextIsCutSilently(String size, FxRobot robot)
      throws Exception {
    openAt(robot, size, RECORDED);
    double w = window.getScene().getWidth();
    assertThat(window.flowListShown()).isTrue();
    assertThat(window.suggestionsShown()).isTrue();
    double plot = TimelineRenderer.plotWidth(timeline().getWidth());
    assertThat(plot / w)
        .as("plot %.0f px of a %.0f px window", plot, w)
        .isGreaterThanOrEqualTo(w < 1200 ? 0.55 : 0.65);

    // The busiest flows: the OkHttp callbacks' lanes, and six calls, each with its what-if.
    for (FlowReport r :
        List.of(
            flowWith(LayoutUiTest::okhttpLanes),
            flowWith(f -> !f.suggestions().isEmpty() && f.flow().lanes().size() == 1))) {
      select(robot, r);
      robot.interact(() -> window.suggestions().whatIfToggle().setSelected(true));
      List<TimelineRenderer.DrawnText> texts = frame(robot);
      assertThat(texts).isNotEmpty();
      assertCanvasTexts(texts);
      List<String> cut = new ArrayList<>();
      robot.interact(() -> collectCut(window, cut));
      assertThat(cut.stream().filter(c -> !c.startsWith("checked")))
          .as("texts cut without an ellipsis and a tooltip")
          .isEmpty();
      // not vacuous: the window's texts were looked at, endpoint names among them
      assertThat(cut.stream().filter(c -> c.startsWith("checked"))).hasSizeGreaterThan(40);
    }
    // The flow's title gives way before its duration and blocked time: always whole.
    Labeled stats = window.headerStats();
    assertThat(stats.getText()).contains("blocked");
    assertThat(displayed(stats)).isEqualTo(stats.getText());
  }

  /** Before any flow: the empty list's headers and the placeholders are whole too. */
  @org.junit.jupiter.api.Test
  void anEmptyWindowCutsNoText(FxRobot robot) {
    robot.interact(
        () -> {
          window = new MainWindow(new ViewerPrefs(prefsNode), "");
          stage.setScene(window.scene(1024, 700));
          stage.sizeToScene();
        });
    List<String> cut = new ArrayList<>();
    robot.interact(
        () -> {
          window.applyCss();
          window.layout();
          collectCut(window, cut);
        });
    assertThat(cut.stream().filter(c -> !c.startsWith("checked"))).isEmpty();
    assertThat(cut).contains("checked Endpoint", "checked No flows yet");
    // every column's header whole, not even cut with an ellipsis
    robot.interact(
        () -> {
          for (var c : window.flowList().table().getColumns()) {
            if (c.isVisible() && c.getGraphic() instanceof Labeled l) {
              assertThat(displayed(l)).isEqualTo(l.getText());
            }
          }
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"1024x700", "1440x900"})
  void sidePanesFoldAwayAndComeBack(String size, FxRobot robot) throws Exception {
    openAt(robot, size, RECORDED);
    double plot = TimelineRenderer.plotWidth(timeline().getWidth());
    double h = timeline().getHeight();
    robot.interact(() -> window.setFlowListShown(false));
    robot.interact(() -> window.setSuggestionsShown(false));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.flowListShown()).isFalse();
    assertThat(TimelineRenderer.plotWidth(timeline().getWidth())).isGreaterThan(plot + 200);
    assertThat(timeline().getHeight()).isGreaterThan(h + 100);
    robot.interact(() -> window.setFlowListShown(true));
    robot.interact(() -> window.setSuggestionsShown(true));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(TimelineRenderer.plotWidth(timeline().getWidth())).isCloseTo(plot, within(2));
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  /**
   * Every text of the frame stays in its box, and a cut one ends with an ellipsis and a tooltip.
   */
  private void assertCanvasTexts(List<TimelineRenderer.DrawnText> texts) {
    double cw = timeline().getWidth();
    for (TimelineRenderer.DrawnText t : texts) {
      assertThat(t.x()).as(t.full()).isGreaterThanOrEqualTo(0);
      assertThat(t.x() + t.width()).as(t.full()).isLessThanOrEqualTo(t.right() + 0.5);
      assertThat(t.x() + t.width()).as(t.full()).isLessThanOrEqualTo(cw + 0.5);
      if (t.cut()) {
        assertThat(t.shown()).as(t.full()).endsWith("…");
        String[] tip = new String[1];
        WaitForAsyncUtils.waitForAsyncFx(
            5000, () -> tip[0] = timeline().tooltipTextAt(t.x() + 2, t.y()));
        assertThat(tip[0]).as("tooltip of " + t.shown()).isNotBlank();
      }
    }
  }

  /** The text a labeled control shows (its text node), or null when it shows none. */
  private static String displayed(Labeled l) {
    for (Node n : l.getChildrenUnmodifiable()) {
      if (n instanceof Text t) {
        return t.getText();
      }
    }
    return null;
  }

  private static boolean hasTooltip(Node n) {
    for (Node p = n; p != null; p = p.getParent()) {
      if (p instanceof Control c && c.getTooltip() != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Visible labeled nodes whose text is cut without an ellipsis, or with one but no tooltip, or
   * runs out of its box.
   */
  private static void collectCut(Parent root, List<String> out) {
    Bounds scene = root.localToScene(root.getLayoutBounds());
    collect(root, scene, out);
  }

  private static void collect(Node n, Bounds scene, List<String> out) {
    if (!n.isVisible()) {
      return;
    }
    if (n instanceof Labeled l && l.getText() != null && !l.getText().isBlank()) {
      Bounds b = l.localToScene(l.getLayoutBounds());
      boolean onScreen =
          l.getWidth() > 0
              && b.getMaxX() > scene.getMinX()
              && b.getMinX() < scene.getMaxX()
              && b.getMaxY() > scene.getMinY()
              && b.getMinY() < scene.getMaxY();
      if (onScreen && !(l instanceof ListCell<?> c && c.isEmpty())) {
        out.add("checked " + l.getText());
        String shown = displayed(l);
        String full = l.isMnemonicParsing() ? l.getText().replaceFirst("_", "") : l.getText();
        if (shown != null && !shown.replace("\n", " ").equals(full.replace("\n", " "))) {
          if (!shown.contains(l.getEllipsisString())) {
            out.add("cut without ellipsis: " + full + " → " + shown);
          } else if (!hasTooltip(l)) {
            out.add("cut without tooltip: " + full + " → " + shown);
          }
        } else if (shown != null) {
          Text t = textNode(l);
          double right = t.getBoundsInParent().getMaxX();
          if (right > l.getWidth() + 1 && l.getClip() == null) {
            out.add("runs out of its box: " + full);
          } else if (right > l.getWidth() + 1) {
            out.add("clipped: " + full);
          }
        }
      }
    }
    if (n instanceof Parent p) {
      for (Node c : p.getChildrenUnmodifiable()) {
        collect(c, scene, out);
      }
    }
  }

  private static Text textNode(Labeled l) {
    for (Node n : l.getChildrenUnmodifiable()) {
      if (n instanceof Text t) {
        return t;
      }
    }
    throw new AssertionError();
  }

  // ---- 2. lanes and calls named apart

  @ParameterizedTest
  @ValueSource(strings = {"1024x700"})
  void lanesAreNamedApartAndCallsByMethodAndPath(String size, FxRobot robot) throws Exception {
    openAt(robot, size, RECORDED);
    // every lane in view: the what-if (on by default) would be scrolled to, under the page's lane
    robot.interact(() -> window.suggestions().whatIfToggle().setSelected(false));
    FlowReport r = flowWith(LayoutUiTest::okhttpLanes);
    select(robot, r);
    TimelineLayout layout = window.timelineModel().layout();
    List<ThreadLane> lanes = r.flow().lanes();
    Set<String> names = new HashSet<>();
    for (int l = 0; l < lanes.size(); l++) {
      String name = layout.laneName(l);
      assertThat(name).doesNotContain("://").doesNotContain("127.0.0.1");
      names.add(name);
    }
    assertThat(names).hasSize(lanes.size());
    List<TimelineRenderer.DrawnText> texts = frame(robot);
    for (int i = 0; i < r.flow().calls().size(); i++) {
      String label = layout.callLabel(i);
      assertThat(label).matches("GET /[a-z]+").doesNotContain("127.0.0.1");
    }
    // each lane's name drawn whole: on one line, or, when too long for the gutter, the thread on
    // one and what it did under it (OkHttp #183 / waits /recommendations), never cut
    List<String> drawn = texts.stream().map(TimelineRenderer.DrawnText::full).toList();
    for (int l = 1; l < lanes.size(); l++) {
      String name = layout.laneName(l);
      int dot = name.indexOf(dev.reqflow.viewer.timeline.Names.SUBJECT_SEPARATOR);
      if (!drawn.contains(name)) {
        assertThat(dot).as(name).isPositive();
        assertThat(drawn)
            .contains(
                name.substring(0, dot),
                name.substring(dot + dev.reqflow.viewer.timeline.Names.SUBJECT_SEPARATOR.length()));
      }
    }
    if (size.equals("1024x700")) {
      // not vacuous: the recording's OkHttp lanes are too long for one line, and none is cut
      assertThat(texts)
          .anyMatch(t -> t.full().startsWith("waits ") && !t.cut())
          .noneMatch(t -> t.cut() && t.full().startsWith("OkHttp"));
    }
  }

  // ---- 3. the what-if as a second timeline

  @ParameterizedTest
  @ValueSource(strings = {"1024x700", "1440x900"})
  void theWhatIfIsASecondTimelineThatFollowsTheSuggestion(String size, FxRobot robot)
      throws Exception {
    openAt(robot, size, RECORDED);
    FlowReport r = flowWith(f -> f.suggestions().size() >= 2 && f.flow().lanes().size() == 1);
    select(robot, r);
    SuggestionsPane pane = window.suggestions();
    // On for a newcomer, who may never find the toggle: the best suggestion's what-if is drawn.
    assertThat(pane.whatIfToggle().isSelected()).isTrue();
    assertWhatIfIsTheSelectedSuggestions();
    WhatIfLayout wi = window.timelineModel().whatIf();
    Suggestion best = pane.list().getItems().get(0);
    assertThat(wi).isNotNull();
    assertThat(wi.title()).isEqualTo(best.title());
    assertThat(wi.ownLanes()).isTrue();
    assertThat(wi.callRows()).hasSize(r.flow().calls().size());
    assertThat(wi.endNanos()).isEqualTo(r.flow().startNanos() + best.predictedNanos());
    List<TimelineRenderer.DrawnText> frame = frame(robot);
    List<String> drawn = frame.stream().map(TimelineRenderer.DrawnText::full).toList();
    assertThat(drawn).contains("what if", "page (replayed)");
    assertThat(drawn).anyMatch(t -> t.startsWith("page ends at "));
    assertThat(whatIfTitle(frame)).startsWith("saves ").contains(" → ").endsWith(best.title());
    // each replayed call has its lane, named, and its end written beside it
    for (int[] row : wi.callRows()) {
      assertThat(drawn).contains(window.timelineModel().layout().callLabel(row[0]));
      String end =
          dev.reqflow.analysis.Durations.format(
              wi.replay().endNanos(row[0]) - r.flow().startNanos());
      assertThat(drawn).contains(end);
    }

    // It follows the selected suggestion ...
    robot.interact(() -> pane.list().getSelectionModel().select(1));
    assertWhatIfIsTheSelectedSuggestions();
    assertThat(window.timelineModel().whatIf().title())
        .isEqualTo(pane.list().getItems().get(1).title());
    // ... and the flow shown: another flow's is its own best suggestion's, never one left over.
    FlowReport other =
        flowWith(
            f ->
                f != r
                    && f.flow().lanes().size() >= 3
                    && !f.suggestions().isEmpty()
                    && !SuggestionTextAccess.best(f).changes().isEmpty());
    select(robot, other);
    assertThat(pane.whatIfToggle().isSelected()).isTrue();
    assertWhatIfIsTheSelectedSuggestions();
    assertThat(window.timelineModel().whatIf().title())
        .isEqualTo(SuggestionTextAccess.best(other).title());

    // A what-if below the lanes shown is scrolled into view, the page's lane pinned above it.
    List<TimelineRenderer.DrawnText> texts = frame(robot);
    double canvasH = timeline().getHeight();
    TimelineRenderer.DrawnText title =
        texts.stream().filter(t -> t.full().equals("what if")).findFirst().orElseThrow();
    assertThat(title.y()).isBetween(TimelineRenderer.AXIS_HEIGHT, canvasH - 10);
    if (timeline().viewport().scrollY() > 0) {
      // scrolled to where a lane (or the what-if) starts under the pinned lane: none half hidden
      TimelineLayout l = window.timelineModel().layout();
      double under = timeline().viewport().scrollY() + TimelineLayout.THREAD_ROW_HEIGHT;
      List<Double> tops = new ArrayList<>(List.of(l.height()));
      for (int lane = 1; lane < l.flow().lanes().size(); lane++) {
        tops.add(l.rows().get(l.threadRow(lane)).y() - TimelineLayout.LANE_GAP);
      }
      assertThat(tops).anyMatch(t -> Math.abs(t - under) < 0.5);
      String page = window.timelineModel().layout().laneName(0);
      assertThat(texts)
          .anyMatch(
              t ->
                  t.full().equals(page)
                      && Math.abs(
                              t.y()
                                  - (TimelineRenderer.AXIS_HEIGHT
                                      + TimelineLayout.THREAD_ROW_HEIGHT / 2))
                          < 1);
    }
  }

  /**
   * Flows of the recording shown in turn, and each suggestion of the first ones selected: the
   * what-if drawn is always the selected suggestion's replay of the drawn flow, none for a
   * suggestion with no change to replay; turned off by the user (the button, as a click fires it),
   * it stays off across flows and in the next window, which reads the same preferences.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1024x700"})
  void theDrawnWhatIfIsAlwaysTheSelectedSuggestionsOfTheDrawnFlow(String size, FxRobot robot)
      throws Exception {
    openAt(robot, size, RECORDED);
    SuggestionsPane pane = window.suggestions();
    // every fourth flow (the recording's flows, endpoint by endpoint): seconds, not half a minute
    List<FlowReport> every = new ArrayList<>();
    for (String e : window.store().endpoints()) {
      every.addAll(window.store().flowsOf(e));
    }
    List<FlowReport> all = new ArrayList<>();
    for (int i = 0; i < every.size(); i += 4) {
      all.add(every.get(i));
    }
    int drawn = 0;
    int estimates = 0;
    int suggestionsTried = 0;
    for (FlowReport f : all) {
      select(robot, f);
      assertDrawnIsSelected();
      assertWhatIfIsTheSelectedSuggestions();
      drawn += window.timelineModel().whatIf() != null ? 1 : 0;
      if (suggestionsTried < 6) {
        for (int i = pane.list().getItems().size() - 1; i >= 0; i--) {
          int at = i;
          robot.interact(() -> pane.list().getSelectionModel().select(at));
          assertWhatIfIsTheSelectedSuggestions();
          estimates += pane.list().getItems().get(i).changes().isEmpty() ? 1 : 0;
          suggestionsTried++;
        }
      }
    }
    // not vacuous: most flows drew a what-if without anyone asking for one
    assertThat(drawn).isGreaterThan(all.size() / 2);
    assertThat(suggestionsTried).isGreaterThanOrEqualTo(6);

    // the user turns it off: off for every flow after, and in the next window
    robot.interact(() -> pane.whatIfToggle().fire());
    assertThat(pane.whatIfToggle().isSelected()).isFalse();
    assertThat(window.timelineModel().whatIf()).isNull();
    for (FlowReport f : all.subList(0, 3)) {
      select(robot, f);
      assertThat(window.timelineModel().whatIf()).isNull();
    }
    openAt(robot, size, RECORDED);
    assertThat(window.suggestions().whatIfToggle().isSelected()).isFalse();
    assertThat(window.timelineModel().whatIf()).isNull();
    // and on again: remembered on
    robot.interact(() -> window.suggestions().whatIfToggle().fire());
    assertThat(new ViewerPrefs(prefsNode).whatIf()).isTrue();
    assertWhatIfIsTheSelectedSuggestions();
    select(
        robot,
        flowWith(
            f -> !f.suggestions().isEmpty() && !SuggestionTextAccess.best(f).changes().isEmpty()));
    assertWhatIfIsTheSelectedSuggestions();
    assertThat(window.timelineModel().whatIf()).isNotNull();
  }

  /**
   * The longest texts a newcomer reads at the default size, whole: the what-if's title band (the
   * change and its saving; on two lines where one is too narrow), and the selected suggestion's
   * explanation beside the list, its change sites and URLs cut where code reads best (before a "(",
   * after a "." or "/"), never at whatever character reaches the edge ("JdkHttpCalls.java:4" then
   * "5)"); measured on the rendered texts.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1024x700", "1280x800", "1440x900"})
  void longTextsReadWholeInTheWhatIfAndTheExplanation(String size, FxRobot robot) throws Exception {
    openAt(robot, size, RECORDED);
    // the flow whose best suggestion has the longest title with a replay
    FlowReport r = null;
    for (String e : window.store().endpoints()) {
      for (FlowReport f : window.store().flowsOf(e)) {
        if (!f.suggestions().isEmpty()
            && !SuggestionTextAccess.best(f).changes().isEmpty()
            && (r == null
                || SuggestionTextAccess.best(f).title().length()
                    > SuggestionTextAccess.best(r).title().length())) {
          r = f;
        }
      }
    }
    select(robot, r);
    Suggestion best = SuggestionTextAccess.best(r);
    assertThat(whatIfTitle(frame(robot)))
        .isEqualTo(
            dev.reqflow.viewer.suggestions.SuggestionText.savingLine(r.flow(), best)
                + " · "
                + best.title());

    // Every suggestion's explanation of the flows with the longest words in theirs.
    SuggestionsPane pane = window.suggestions();
    List<String> midWord = new ArrayList<>();
    List<String> cutAtCode = new ArrayList<>();
    int checked = 0;
    // one flow for each best suggestion's title (its explanation's wording)
    java.util.Map<String, FlowReport> byTitle = new java.util.LinkedHashMap<>();
    for (String e : window.store().endpoints()) {
      for (FlowReport x : window.store().flowsOf(e)) {
        if (!x.suggestions().isEmpty()) {
          byTitle.putIfAbsent(SuggestionTextAccess.best(x).title(), x);
        }
      }
    }
    for (FlowReport f : byTitle.values()) {
      select(robot, f);
      for (int i = 0; i < pane.list().getItems().size(); i++) {
        int at = i;
        robot.interact(
            () -> {
              pane.list().getSelectionModel().select(at);
              window.applyCss();
              window.layout();
            });
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> wrapsOf(pane.explanation(), midWord, cutAtCode));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(5);
    assertThat(midWord).as("lines wrapped inside a word").isEmpty();
    if (size.startsWith("1024")) {
      // not vacuous: at 1024 px some words were wider than the explanation, and were cut
      assertThat(cutAtCode).isNotEmpty();
    }
  }

  /**
   * The explanation as its text node lays it out: a line that starts inside a word (the line before
   * ends with neither a space nor a line break) goes to {@code midWord}; a line break put into a
   * word for the width goes to {@code cutAtCode} when it is before a "(" or after one of ". $ / ?
   * &amp;", else to {@code midWord}.
   */
  private static void wrapsOf(
      javafx.scene.control.TextArea area, List<String> midWord, List<String> cutAtCode) {
    Text node = null;
    for (Node n : area.lookupAll(".text")) {
      if (n instanceof Text t && t.getText() != null && t.getText().equals(area.getText())) {
        node = t;
      }
    }
    assertThat(node).as("the explanation's text node").isNotNull();
    String shown = node.getText();
    double lineY = Double.NaN;
    for (int i = 0; i < shown.length(); i++) {
      javafx.scene.shape.PathElement[] caret = node.caretShape(i, true);
      double y = ((javafx.scene.shape.MoveTo) caret[0]).getY();
      if (i > 0 && y > lineY + 1) {
        char before = shown.charAt(i - 1);
        if (before != ' ' && before != '\n') {
          midWord.add(around(shown, i));
        }
      }
      lineY = y;
    }
    String whole = dev.reqflow.viewer.suggestions.CodeWrap.wholeText(area);
    // the breaks put in: where shown has a line break that whole has not
    for (int s = 0, w = 0; s < shown.length(); s++, w++) {
      if (w < whole.length() && shown.charAt(s) == whole.charAt(w)) {
        continue;
      }
      assertThat(shown.charAt(s)).isEqualTo('\n');
      char before = shown.charAt(s - 1);
      char after = shown.charAt(s + 1);
      if (after == '(' || ".$/?&".indexOf(before) >= 0) {
        cutAtCode.add(around(shown, s));
      } else {
        midWord.add("put in: " + around(shown, s));
      }
      w--;
    }
  }

  private static String around(String s, int i) {
    return s.substring(Math.max(0, i - 30), i) + "⏎" + s.substring(i, Math.min(s.length(), i + 30));
  }

  /**
   * The what-if drawn is the selected suggestion's replay of the drawn flow when the toggle is on
   * and it has changes to replay, else none.
   */
  private void assertWhatIfIsTheSelectedSuggestions() {
    SuggestionsPane pane = window.suggestions();
    Suggestion sel = pane.list().getSelectionModel().getSelectedItem();
    WhatIfLayout wi = window.timelineModel().whatIf();
    dev.reqflow.flow.Flow drawn = window.timelineModel().flow();
    if (!pane.whatIfToggle().isSelected() || sel == null || sel.changes().isEmpty()) {
      assertThat(wi).as("no what-if for %s", sel == null ? "no suggestion" : sel.title()).isNull();
      return;
    }
    assertThat(pane.list().getItems()).contains(sel);
    assertThat(window.shown().suggestions()).contains(sel);
    assertThat(wi).as("what-if of %s", sel.title()).isNotNull();
    assertThat(wi.title()).isEqualTo(sel.title());
    assertThat(wi.savingNanos()).isEqualTo(sel.savingNanos());
    assertThat(wi.endNanos()).isEqualTo(drawn.startNanos() + sel.predictedNanos());
    assertThat(wi.replay().callCount()).isEqualTo(drawn.calls().size());
  }

  /** The what-if's title band as drawn: its lines joined, each checked whole (not cut). */
  private static String whatIfTitle(List<TimelineRenderer.DrawnText> frame) {
    TimelineRenderer.DrawnText label =
        frame.stream().filter(t -> t.full().equals("what if")).findFirst().orElseThrow();
    List<TimelineRenderer.DrawnText> lines =
        frame.stream()
            .filter(t -> t.x() == TimelineRenderer.GUTTER + 6)
            .filter(t -> Math.abs(t.y() - label.y()) < WhatIfLayout.TITLE_HEIGHT / 2)
            .toList();
    assertThat(lines).isNotEmpty().noneMatch(TimelineRenderer.DrawnText::cut);
    return String.join(" ", lines.stream().map(TimelineRenderer.DrawnText::full).toList());
  }

  /** The suggestion the pane selects first. */
  private static final class SuggestionTextAccess {
    static Suggestion best(FlowReport f) {
      return dev.reqflow.viewer.suggestions.SuggestionText.ranked(f.suggestions()).get(0);
    }
  }

  // ---- 4. the drawn flow is the selected one

  @ParameterizedTest
  @ValueSource(strings = {"1024x700", "1440x900"})
  void theDrawnFlowIsTheSelectedOne(String size, FxRobot robot) throws Exception {
    openAt(robot, size, RECORDED);
    assertDrawnIsSelected();

    // an endpoint row: its median flow, and the header says so
    TreeItem<FlowListView.Item> endpoint = window.flowList().table().getRoot().getChildren().get(0);
    robot.interact(() -> window.flowList().table().getSelectionModel().select(endpoint));
    WaitForAsyncUtils.waitForFxEvents();
    assertDrawnIsSelected();
    assertThat(window.headerStats().getText()).containsPattern("median of \\d+$");

    // the endpoint of the longest name: its header, cut for the figures beside it at 1024 px,
    // keeps what tells the endpoint apart (its end), not the start every endpoint shares
    TreeItem<FlowListView.Item> longest =
        window.flowList().table().getRoot().getChildren().stream()
            .max(java.util.Comparator.comparingInt(e -> e.getValue().name().length()))
            .orElseThrow();
    robot.interact(() -> window.flowList().table().getSelectionModel().select(longest));
    WaitForAsyncUtils.waitForFxEvents();
    assertDrawnIsSelected();
    String name = longest.getValue().name();
    String tail = name.substring(name.lastIndexOf('=') + 1);
    assertThat(tail).hasSizeGreaterThan(8);
    robot.interact(
        () -> {
          window.applyCss();
          window.layout();
          String shown = displayed(window.header());
          assertThat(shown).as("header of %s", name).contains(tail);
          if (!shown.equals(window.header().getText())) {
            assertThat(shown).startsWith("…");
            assertThat(window.header().getTooltip().getText()).startsWith(name);
          }
          assertThat(displayed(window.headerStats())).isEqualTo(window.headerStats().getText());
        });

    // a flow row
    select(robot, flowWith(LayoutUiTest::okhttpLanes));
    assertDrawnIsSelected();

    // the same flows posted again (a live re-analysis): new reports, same selection drawn
    robot.interact(
        () -> {
          List<FlowReport> again = new ArrayList<>();
          for (String e : window.store().endpoints()) {
            for (FlowReport r : window.store().flowsOf(e)) {
              again.add(new FlowReport(r.flow(), r.criticalPath(), r.suggestions(), r.whyNone()));
            }
          }
          window.store().replaceTraces(again);
          window.flowList().rebuild();
        });
    WaitForAsyncUtils.waitForFxEvents();
    assertDrawnIsSelected();

    // the screenshot mode: the flow it highlights is the flow it draws
    String[] wh = size.split("x");
    Path png = dir.resolve("shot.png");
    MainWindow shot =
        WaitForAsyncUtils.asyncFx(
                () ->
                    Screenshot.render(
                        List.of(RECORDED),
                        png,
                        new ViewerPrefs(prefsNode),
                        Double.parseDouble(wh[0]),
                        Double.parseDouble(wh[1]),
                        ""))
            .get(60, TimeUnit.SECONDS);
    assertThat(Files.size(png)).isPositive();
    assertThat(key(shot.shown())).isEqualTo(key(shot.flowList().selectedReport()));
    assertThat(key(shot.timelineModel().flow().traceId(), shot.timelineModel().flow().spanId()))
        .isEqualTo(key(shot.flowList().selectedReport()));
    Suggestion best = shot.suggestions().list().getSelectionModel().getSelectedItem();
    if (best != null && !best.changes().isEmpty()) {
      assertThat(shot.timelineModel().whatIf().title()).isEqualTo(best.title());
    }
  }

  private void assertDrawnIsSelected() {
    FlowReport selected = window.flowList().selectedReport();
    assertThat(selected).isNotNull();
    assertThat(key(window.shown())).isEqualTo(key(selected));
    assertThat(key(window.timelineModel().flow().traceId(), window.timelineModel().flow().spanId()))
        .isEqualTo(key(selected));
  }

  private static String key(FlowReport r) {
    return FlowStore.key(r.flow());
  }

  private static String key(String trace, String span) {
    return trace + "/" + span;
  }

  // ---- 5. suggestions in the report's words; why none; readable when selected

  @ParameterizedTest
  @ValueSource(strings = {"1024x700", "1440x900"})
  void suggestionsReadAsTheReportWritesThem(String size, FxRobot robot) throws Exception {
    openAt(robot, size, RECORDED);
    FlowReport r = flowWith(f -> !f.suggestions().isEmpty() && f.flow().lanes().size() == 1);
    select(robot, r);
    SuggestionsPane pane = window.suggestions();
    List<Labeled> titles = new ArrayList<>();
    List<Labeled> savings = new ArrayList<>();
    robot.interact(
        () -> {
          for (Node n : pane.list().lookupAll("." + SuggestionsPane.TITLE_STYLE_CLASS)) {
            if (n.isVisible() && ((Labeled) n).getText() != null) {
              titles.add((Labeled) n);
            }
          }
          for (Node n : pane.list().lookupAll("." + SuggestionsPane.SAVING_STYLE_CLASS)) {
            if (n.isVisible() && ((Labeled) n).getText() != null) {
              savings.add((Labeled) n);
            }
          }
        });
    assertThat(titles).isNotEmpty();
    assertThat(titles)
        .allSatisfy(
            t ->
                assertThat(t.getText().replace("\n", ""))
                    .matches("(?s).+, at \\w+\\.\\w+\\(\\w+\\.java:\\d+\\).*"));
    assertThat(savings)
        .allSatisfy(s -> assertThat(s.getText()).matches("saves \\S+ m?s: \\S+ m?s → \\S+ m?s"));
    // A change site wider than the list (the list narrowed as a user drags its divider, to about
    // 240 px; the sample app's JdkHttpCalls.sendAsync(JdkHttpCalls.java:45) is wider than it at
    // 1024 px): no word of a title is wider than its label, so that none is cut at whatever
    // character reaches the edge ("...java:4" then "5)"); what was put in is line breaks only.
    robot.interact(
        () -> {
          javafx.scene.control.SplitPane split = null;
          for (Node n = pane.list(); n != null && split == null; n = n.getParent()) {
            split = n instanceof javafx.scene.control.SplitPane sp ? sp : null;
          }
          split.setDividerPositions(240 / split.getWidth());
        });
    List<String> tooWide = new ArrayList<>();
    List<String> titleTexts = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    robot.interact(
        () -> {
          window.applyCss();
          window.layout();
          for (Node n : pane.list().lookupAll("." + SuggestionsPane.TITLE_STYLE_CLASS)) {
            if (n.isVisible() && n instanceof Labeled t && t.getText() != null) {
              titleTexts.add(t.getText().replace("\n", ""));
              for (String w : t.getText().split("[ \n]")) {
                if (dev.reqflow.viewer.timeline.TextWidth.measure(w, t.getFont()) > t.getWidth()) {
                  tooWide.add(w + " in " + t.getWidth() + " px");
                }
              }
              if (t.getText().contains("\n")) {
                broken.add(t.getText());
              }
            }
          }
        });
    assertThat(titleTexts)
        .containsExactlyElementsOf(
            dev.reqflow.viewer.suggestions.SuggestionText.ranked(r.suggestions()).stream()
                .map(sg -> dev.reqflow.viewer.suggestions.SuggestionText.titleAt(r.flow(), sg))
                .toList());
    assertThat(tooWide).isEmpty();
    // not vacuous: a change site was wider than the narrowed list, and cut before its "("
    assertThat(broken).isNotEmpty().allMatch(t -> t.matches("(?s).*\\w\n\\(\\w+\\.java:\\d+\\).*"));

    Suggestion sel = pane.list().getSelectionModel().getSelectedItem();
    assertThat(pane.explanation().getText())
        .startsWith(
            dev.reqflow.viewer.suggestions.SuggestionText.titleAt(r.flow(), sel)
                + "\n"
                + dev.reqflow.viewer.suggestions.SuggestionText.savingLine(r.flow(), sel));

    // the selected row's saving is readable: the text's contrast with the row's background
    ListCell<?> selected = selectedCell(robot, pane);
    Labeled saving = (Labeled) selected.lookup("." + SuggestionsPane.SAVING_STYLE_CLASS);
    Color text = (Color) saving.getTextFill();
    Color background = background(selected);
    assertThat(contrast(text, background))
        .as("contrast of %s on %s", text, background)
        .isGreaterThanOrEqualTo(4.5);

    // and in the dark theme
    robot.interact(() -> window.setDark(true));
    ListCell<?> dark = selectedCell(robot, pane);
    Labeled darkSaving = (Labeled) dark.lookup("." + SuggestionsPane.SAVING_STYLE_CLASS);
    assertThat(contrast((Color) darkSaving.getTextFill(), background(dark)))
        .isGreaterThanOrEqualTo(4.5);
    robot.interact(() -> window.setDark(false));

    // none: the reason core gives
    FlowReport none = flowWith(f -> f.suggestions().isEmpty() && !f.whyNone().isEmpty());
    select(robot, none);
    assertThat(pane.placeholder().getText()).isEqualTo("No suggestions: " + none.whyNone() + ".");
  }

  private static ListCell<?> selectedCell(FxRobot robot, SuggestionsPane pane) {
    ListCell<?>[] out = new ListCell<?>[1];
    robot.interact(
        () -> {
          pane.list().requestFocus();
          pane.list().applyCss();
          pane.list().layout();
          for (Node n : pane.list().lookupAll(".list-cell")) {
            if (n instanceof ListCell<?> c && c.isSelected() && !c.isEmpty()) {
              out[0] = c;
            }
          }
        });
    assertThat(out[0]).isNotNull();
    return out[0];
  }

  private static Color background(Region r) {
    Paint p = r.getBackground().getFills().get(r.getBackground().getFills().size() - 1).getFill();
    return (Color) p;
  }

  /** WCAG 2 contrast ratio of two colours. */
  static double contrast(Color a, Color b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  private static double luminance(Color c) {
    return 0.2126 * lin(c.getRed()) + 0.7152 * lin(c.getGreen()) + 0.0722 * lin(c.getBlue());
  }

  private static double lin(double v) {
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }

  // ---- 6. endpoint names read whole in the flow list, without resizing anything

  /** The sample app's strategies: `./reqflow demo` names its pages GET /home?strategy=NAME. */
  static final List<String> STRATEGIES =
      List.of(
          "serial-new-client",
          "serial-shared-client",
          "pool-2",
          "pool-n",
          "async",
          "async-okhttp",
          "late-issue",
          "dependent",
          "per-host-limit",
          "blocking-callback",
          "slow-outlier");

  /** Two pages per strategy, each waiting on two calls one after the other. */
  private static List<FlowReport> demoPages() {
    List<FlowReport> out = new ArrayList<>();
    long ms = dev.reqflow.viewer.timeline.Flows.MS;
    int n = 0;
    for (String s : STRATEGIES) {
      for (int i = 0; i < 2; i++, n++) {
        long t0 = n * 1000L;
        long len = 100 + 37L * (n % 7);
        dev.reqflow.flow.Flow f =
            dev.reqflow.flow.Flow.builder("t" + n, "f" + n)
                .name("GET /home?strategy=" + s)
                .time(t0 * ms, (t0 + 2 * len + 10) * ms)
                .renderThread(dev.reqflow.viewer.timeline.Flows.RENDER)
                .waitsRecorded(true)
                .addCall(
                    dev.reqflow.viewer.timeline.Flows.call(
                        "a" + n, dev.reqflow.viewer.timeline.Flows.RENDER, t0 + 2, t0 + len))
                .addCall(
                    dev.reqflow.viewer.timeline.Flows.call(
                        "b" + n,
                        dev.reqflow.viewer.timeline.Flows.RENDER,
                        t0 + len + 2,
                        t0 + 2 * len))
                .addBlock(
                    dev.reqflow.viewer.timeline.Flows.block("k" + n, t0 + 2, t0 + len, "a" + n))
                .addBlock(
                    dev.reqflow.viewer.timeline.Flows.block(
                        "m" + n, t0 + len + 2, t0 + 2 * len, "b" + n))
                .build();
        out.add(
            new FlowReport(f, dev.reqflow.analysis.Analysis.criticalPath(f), List.of(), "none"));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"1024x700", "1440x900"})
  void endpointNamesReadWholeInTheFlowList(String size, FxRobot robot) {
    String[] wh = size.split("x");
    double w = Double.parseDouble(wh[0]);
    double h = Double.parseDouble(wh[1]);
    robot.interact(
        () -> {
          window = new MainWindow(new ViewerPrefs(prefsNode), "");
          stage.setScene(window.scene(w, h));
          stage.sizeToScene();
          window.store().addAll(demoPages());
          window.flowList().rebuild();
          window.flowList().selectFirstIfNone();
        });
    WaitForAsyncUtils.waitForFxEvents();
    javafx.scene.control.TreeTableView<FlowListView.Item> table = window.flowList().table();
    java.util.Map<String, String> shown = new java.util.TreeMap<>();
    List<String> blocked = new ArrayList<>();
    List<String> cut = new ArrayList<>();
    robot.interact(
        () -> {
          window.applyCss();
          window.layout();
          for (Node n : table.lookupAll(".tree-table-cell")) {
            if (!(n instanceof javafx.scene.control.TreeTableCell<?, ?> c)
                || c.isEmpty()
                || !c.isVisible()
                || c.getTableRow() == null
                || !(c.getTableRow().getItem() instanceof FlowListView.Item it)
                || it.stats() == null) {
              continue;
            }
            String text = displayed(c);
            if (c.getTableColumn() == table.getColumns().get(0)) {
              shown.put(it.name(), text);

              // measured: the text node lies inside its cell
              Text t = textNode(c);
              if (t.getBoundsInParent().getMaxX() > c.getWidth() + 1) {
                cut.add(it.name() + " runs out of its cell");
              }
            } else if (c.getTableColumn().getGraphic() instanceof Labeled l
                && l.getText().equals("Blk")) {
              blocked.add(text);
              if (!c.getText().equals(text)) {
                cut.add("blocked share " + c.getText() + " shown as " + text);
              }
            }
          }
        });
    // every endpoint's row, its distinctive tail whole: the shared part is in the header once
    assertThat(shown).hasSize(STRATEGIES.size());
    shown.forEach(
        (name, text) ->
            assertThat(text).as(name).isEqualTo(name.substring("GET /home?strategy=".length())));
    assertThat(cut).isEmpty();
    // the shared part is said once, whole, on its own line; the header names what the rows are
    Labeled caption = window.flowList().sharedPrefixLabel();
    Labeled header = (Labeled) table.getColumns().get(0).getGraphic();
    assertThat(caption.isVisible()).isTrue();
    assertThat(caption.getText()).isEqualTo("GET /home?strategy={strategy}");
    assertThat(caption.getTooltip().getText()).contains("GET /home?strategy=");
    assertThat(header.getText()).isEqualTo("strategy");
    assertThat(header.getTooltip().getText()).contains("GET /home?strategy=");
    robot.interact(
        () -> {
          // measured as rendered: each shows its whole text inside its box
          assertThat(displayed(caption)).isEqualTo(caption.getText());
          assertThat(textNode(caption).getBoundsInParent().getMaxX())
              .isLessThanOrEqualTo(caption.getWidth() + 1);
          assertThat(displayed(header)).isEqualTo(header.getText());
          assertThat(textNode(header).getBoundsInParent().getMaxX())
              .isLessThanOrEqualTo(header.getWidth() + 1);
        });
    // and where each page blocked stays beside it
    assertThat(blocked).hasSize(STRATEGIES.size()).allMatch(b -> b.matches("\\d+%"));
    // the figures a dropped column held are on hover
    robot.interact(
        () -> {
          for (Node n : table.lookupAll(".tree-table-cell")) {
            if (n instanceof javafx.scene.control.TreeTableCell<?, ?> c
                && c.getTableColumn() == table.getColumns().get(0)
                && !c.isEmpty()
                && c.getTableRow().getItem() instanceof FlowListView.Item it
                && it.stats() != null) {
              assertThat(c.getTooltip().getText())
                  .startsWith(it.name() + "\n2 flows · p50 ")
                  .contains(" · blocked ");
            }
          }
        });
  }

  /**
   * Live flows arriving one by one (the demo): the list's own pick moves to the slowest endpoint's
   * median as it changes, not left on the first page to arrive (a warm-up, the slowest of all);
   * once the user picks a row or a span, arriving flows move nothing.
   */
  @org.junit.jupiter.api.Test
  void liveFlowsEndOnTheSlowestEndpointsMedianUntilTheUserChooses(FxRobot robot) {
    List<FlowReport> pages = demoPages();
    robot.interact(
        () -> {
          window = new MainWindow(new ViewerPrefs(prefsNode), "");
          stage.setScene(window.scene(1024, 700));
          // the warm-up page first, alone: it is what is shown
          window.store().addAll(List.of(pages.get(1)));
          window.flowList().rebuild();
          window.flowList().selectFirstIfNone();
        });
    assertThat(window.shown().flow()).isSameAs(pages.get(1).flow());
    // the rest arrive: the slowest endpoint's median is drawn, and the header says so
    robot.interact(
        () -> {
          window.store().addAll(pages);
          window.flowList().rebuild();
        });
    FlowReport median = window.flowList().selectedReport();
    assertDrawnIsSelected();
    assertThat(median.flow()).isNotSameAs(pages.get(1).flow());
    // only the pick's endpoint is open: the one the first page opened closed again
    assertThat(window.flowList().table().getRoot().getChildren())
        .filteredOn(TreeItem::isExpanded)
        .extracting(e -> e.getValue().name())
        .containsExactly(median.flow().name());
    String endpoint = median.flow().name();
    long p50 =
        window.flowList().table().getRoot().getChildren().stream()
            .mapToLong(e -> e.getValue().stats().p50Nanos())
            .max()
            .orElseThrow();
    assertThat(
            window.flowList().table().getRoot().getChildren().stream()
                .filter(e -> e.getValue().name().equals(endpoint))
                .findFirst()
                .orElseThrow()
                .getValue()
                .stats()
                .p50Nanos())
        .isEqualTo(p50);
    assertThat(window.flowList().following()).isTrue();

    // a span clicked: the user reads this flow, which stays while more arrive
    robot.interact(() -> window.timelineModel().select(TimelineModelAccess.firstCall()));
    assertThat(window.flowList().following()).isFalse();
    FlowReport slower = slowerCopy(median);
    robot.interact(
        () -> {
          window.store().addAll(List.of(slower));
          window.flowList().rebuild();
        });
    assertThat(window.shown().flow()).isSameAs(median.flow());
  }

  private static final class TimelineModelAccess {
    static dev.reqflow.viewer.timeline.TimelineModel.SpanRef firstCall() {
      return dev.reqflow.viewer.timeline.TimelineModel.SpanRef.call(0);
    }
  }

  /** Another page of the flow's endpoint, much slower, so that the endpoint's median moves. */
  private static FlowReport slowerCopy(FlowReport r) {
    long ms = dev.reqflow.viewer.timeline.Flows.MS;
    long t0 = 900_000;
    dev.reqflow.flow.Flow f =
        dev.reqflow.flow.Flow.builder("slow", "s1")
            .name(r.flow().name())
            .time(t0 * ms, (t0 + 9000) * ms)
            .renderThread(dev.reqflow.viewer.timeline.Flows.RENDER)
            .waitsRecorded(true)
            .addCall(
                dev.reqflow.viewer.timeline.Flows.call(
                    "z", dev.reqflow.viewer.timeline.Flows.RENDER, t0 + 2, t0 + 8000))
            .build();
    return new FlowReport(f, dev.reqflow.analysis.Analysis.criticalPath(f), List.of(), "none");
  }
}
