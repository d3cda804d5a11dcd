package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.flow.Flow;
import dev.reqflow.viewer.files.FileLoader;
import dev.reqflow.viewer.timeline.Flows;
import dev.reqflow.viewer.timeline.WhatIfLayout;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The what-if of a big flow, on by default, is replayed off the FX thread (a 20,000-call replay
 * takes seconds): drawn when it is ready if the flow and suggestion are still the ones shown, never
 * over another flow's shown meanwhile.
 */
@ExtendWith(ApplicationExtension.class)
class BigWhatIfUiTest {
  private Stage stage;
  private MainWindow window;
  private Preferences prefsNode;

  @Start
  void start(Stage s) {
    stage = s;
    prefsNode = Preferences.userRoot().node("dev/reqflow/viewer-test/" + System.nanoTime());
    window = new MainWindow(new ViewerPrefs(prefsNode), "");
    stage.setScene(window.scene(1024, 700));
    stage.show();
  }

  @AfterEach
  void clearPrefs() throws Exception {
    prefsNode.removeNode();
  }

  /** A page that issues {@code n} calls one after another on its render thread, each awaited. */
  private static FlowReport serial(String trace, int n) {
    Flow.Builder b =
        Flow.builder(trace, "f")
            .name("GET /serial" + n)
            .time(0, (10L * n + 5) * Flows.MS)
            .renderThread(Flows.RENDER)
            .waitsRecorded(true);
    for (int i = 0; i < n; i++) {
      b.addCall(Flows.call("c" + i, Flows.RENDER, 10L * i + 1, 10L * i + 9));
      b.addBlock(Flows.block("b" + i, 10L * i + 1, 10L * i + 9, "c" + i));
    }
    return FileLoader.analyseDeferred(b.build(), List.of());
  }

  @Test
  void aBigFlowsWhatIfIsReplayedOffTheFxThreadAndNeverDrawnOverAnotherFlow(FxRobot robot)
      throws Exception {
    FlowReport big = serial("big", 600);
    FlowReport small = serial("small", 5);
    assertThat(big.flow().calls().size()).isGreaterThan(200);
    Suggestion bigBest =
        dev.reqflow.viewer.suggestions.SuggestionText.ranked(big.suggestions()).get(0);
    assertThat(bigBest.changes()).isNotEmpty();
    robot.interact(() -> window.store().addAll(List.of(big, small)));

    // shown: no what-if until its replay is in, then its own
    robot.interact(() -> window.show(big));
    assertThat(window.timelineModel().flow()).isSameAs(big.flow());
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !window.suggestions().replaying());
    WaitForAsyncUtils.waitForFxEvents();
    WhatIfLayout wi = window.timelineModel().whatIf();
    assertThat(wi).isNotNull();
    assertThat(wi.title()).isEqualTo(bigBest.title());
    assertThat(wi.replay().callCount()).isEqualTo(big.flow().calls().size());

    // another flow shown while the big one replays: the big one's never drawn over it
    robot.interact(
        () -> {
          window.show(small);
          window.show(big);
          window.show(small);
        });
    WhatIfLayout smallWhatIf = window.timelineModel().whatIf();
    WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !window.suggestions().replaying());
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.timelineModel().flow()).isSameAs(small.flow());
    assertThat(window.timelineModel().whatIf()).isSameAs(smallWhatIf);
    if (smallWhatIf != null) {
      assertThat(smallWhatIf.replay().callCount()).isEqualTo(small.flow().calls().size());
    }
  }
}
