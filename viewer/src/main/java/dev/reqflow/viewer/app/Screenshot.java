package dev.reqflow.viewer.app;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.viewer.files.FileLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Scene;

/**
 * The screenshot mode: the window as it shows the first flow of the files, with its suggestions and
 * the best one's what-if, rendered to a PNG without showing a stage. FX thread.
 */
public final class Screenshot {
  public static final double WIDTH = 1600;
  public static final double HEIGHT = 900;

  private Screenshot() {}

  public static void render(List<Path> files, Path out, ViewerPrefs prefs) throws IOException {
    List<FlowReport> flows = FileLoader.loadAnalysed(files);
    if (flows.isEmpty()) {
      throw new IOException("no flows in " + files);
    }
    MainWindow window = new MainWindow(prefs, "");
    Scene scene = window.scene(WIDTH, HEIGHT);
    window.store().addAll(flows);
    window.flowList().rebuild();
    window.flowList().selectFirstIfNone();
    window.show(flows.get(0));
    window.suggestions().whatIfToggle().setSelected(true);
    window.applyCss();
    window.layout();
    window.timeline().fit();
    window.timeline().redraw();
    PngWriter.write(scene.snapshot(null), out);
  }
}
