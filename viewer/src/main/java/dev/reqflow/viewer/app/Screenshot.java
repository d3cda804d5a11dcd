package dev.reqflow.viewer.app;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.viewer.files.FileLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Scene;

/**
 * The screenshot mode: the window as it opens on the files (the slowest endpoint's median flow, or
 * the first endpoint matching a text), with its suggestions and the best one's what-if, rendered to
 * a PNG without showing a stage. The flow is chosen the way a user's click chooses it, so the
 * highlighted row is the drawn flow. FX thread.
 */
public final class Screenshot {
  public static final double WIDTH = 1600;
  public static final double HEIGHT = 900;

  private Screenshot() {}

  public static void render(List<Path> files, Path out, ViewerPrefs prefs) throws IOException {
    render(files, out, prefs, WIDTH, HEIGHT, "");
  }

  /**
   * As {@link #render(List, Path, ViewerPrefs)} at a size, on the first endpoint whose name
   * contains {@code endpoint} ({@code ""}: the slowest); returns the window for tests.
   */
  public static MainWindow render(
      List<Path> files, Path out, ViewerPrefs prefs, double width, double height, String endpoint)
      throws IOException {
    List<FlowReport> flows = FileLoader.loadAnalysed(files);
    if (flows.isEmpty()) {
      throw new IOException("no flows in " + files);
    }
    MainWindow window = new MainWindow(prefs, "");
    Scene scene = window.scene(width, height);
    window.store().addAll(FileLoader.sourceName(files), flows);
    window.flowList().rebuild();
    if (!endpoint.isEmpty() && !window.flowList().selectEndpoint(endpoint)) {
      throw new IOException("no endpoint contains \"" + endpoint + "\" in " + files);
    }
    window.flowList().selectFirstIfNone();
    window.applyCss();
    window.layout();
    dev.reqflow.analysis.Suggestion best =
        window.suggestions().list().getSelectionModel().getSelectedItem();
    // the what-if of the best suggestion, when it has a replay to draw
    window.suggestions().whatIfToggle().setSelected(best != null && !best.changes().isEmpty());
    window.applyCss();
    window.layout();
    window.timeline().fit();
    window.timeline().redraw();
    PngWriter.write(scene.snapshot(null), out);
    return window;
  }
}
