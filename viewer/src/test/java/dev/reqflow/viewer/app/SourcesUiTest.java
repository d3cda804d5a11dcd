package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.viewer.bench.SyntheticTraces;
import dev.reqflow.viewer.flows.FlowListView;
import dev.reqflow.viewer.flows.FlowStore;
import dev.reqflow.viewer.receiver.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
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

/** Live flows and an opened file side by side: listed apart, filtered, cleared. */
@ExtendWith(ApplicationExtension.class)
class SourcesUiTest {
  @TempDir Path dir;
  private MainWindow window;
  private OtlpReceiver receiver;
  private Preferences prefsNode;

  @Start
  void start(Stage stage) throws Exception {
    prefsNode = Preferences.userRoot().node("dev/reqflow/viewer-test/" + System.nanoTime());
    window = new MainWindow(new ViewerPrefs(prefsNode), "");
    stage.setScene(window.scene(1024, 700));
    stage.show();
    receiver = OtlpReceiver.start("127.0.0.1", 0, window.receiverListener());
    window.setLiveClearer(receiver::clear);
  }

  @AfterEach
  void stop() throws Exception {
    receiver.close();
    prefsNode.removeNode();
  }

  private void post(List<Span> spans) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + receiver.port() + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(
                        HttpRequest.BodyPublishers.ofByteArray(
                            SyntheticTraces.request("shop", spans).toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  /** Endpoint rows as "source endpoint n". */
  private List<String> rows(FxRobot robot) {
    TreeTableView<FlowListView.Item> table =
        robot.lookup("." + FlowListView.TABLE_STYLE_CLASS).queryAs(TreeTableView.class);
    List<String> out = new ArrayList<>();
    for (TreeItem<FlowListView.Item> e : table.getRoot().getChildren()) {
      out.add(
          e.getValue().source()
              + " "
              + e.getValue().stats().name()
              + " "
              + e.getValue().stats().count());
    }
    return out;
  }

  @Test
  void liveAndFileFlowsAreListedApartFilteredAndCleared(FxRobot robot) throws Exception {
    Path file = TestTraces.homePages(dir, 4);
    robot.interact(() -> window.open(List.of(file)));
    WaitForAsyncUtils.waitFor(
        20, TimeUnit.SECONDS, () -> window.shown() != null && !window.analysing());

    SyntheticTraces t = new SyntheticTraces(99);
    List<Span> first = t.homePage();
    post(first);
    post(t.homePage());
    WaitForAsyncUtils.waitFor(
        10, TimeUnit.SECONDS, () -> window.store().flowsOfSource(FlowStore.LIVE).size() == 2);
    robot.interact(() -> window.flowList().rebuild());
    // The file's endpoint keeps its count: live flows are not merged into it.
    assertThat(rows(robot)).containsExactlyInAnyOrder("home.pb GET /home 4", "live GET /home 2");
    assertThat(window.flowList().sourceFilter().getItems())
        .containsExactly(FlowListView.ALL_SOURCES, "home.pb", FlowStore.LIVE);

    robot.interact(() -> window.flowList().sourceFilter().setValue(FlowStore.LIVE));
    assertThat(rows(robot)).containsExactly("live GET /home 2");
    // What is drawn is one of the listed source's flows.
    assertThat(window.store().sourceOf(window.shown())).isEqualTo(FlowStore.LIVE);

    robot.interact(() -> window.flowList().clearButton().fire());
    WaitForAsyncUtils.waitFor(
        10, TimeUnit.SECONDS, () -> window.store().flowsOfSource(FlowStore.LIVE).isEmpty());
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.status().getText()).isEqualTo("Cleared live: 2 flows");
    assertThat(window.flowList().chosenSource()).isNull();
    assertThat(rows(robot)).containsExactly("home.pb GET /home 4");
    assertThat(window.store().sourceOf(window.shown())).isEqualTo("home.pb");

    // The receiver forgot them too: a new page comes alone, the cleared ones stay gone.
    post(t.homePage());
    WaitForAsyncUtils.waitFor(
        10, TimeUnit.SECONDS, () -> window.store().flowsOfSource(FlowStore.LIVE).size() == 1);
    robot.interact(() -> window.flowList().rebuild());
    assertThat(rows(robot)).containsExactlyInAnyOrder("home.pb GET /home 4", "live GET /home 1");

    // Opened again, a file replaces its own flows.
    robot.interact(() -> window.open(List.of(file)));
    WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !window.analysing());
    WaitForAsyncUtils.waitFor(
        10, TimeUnit.SECONDS, () -> window.status().getText().startsWith("Opened home.pb"));
    robot.interact(() -> window.flowList().rebuild());
    assertThat(rows(robot)).containsExactlyInAnyOrder("home.pb GET /home 4", "live GET /home 1");
  }
}
