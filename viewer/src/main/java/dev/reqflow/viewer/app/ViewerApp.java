package dev.reqflow.viewer.app;

import dev.reqflow.viewer.receiver.OtlpReceiver;
import java.io.IOException;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;

/** The JavaFX application: the window, or a one-shot screenshot. Started by {@link Main}. */
public final class ViewerApp extends Application {
  static Options options;

  private OtlpReceiver receiver;

  @Override
  public void start(Stage stage) {
    Options o = options;
    if (o.screenshot() != null) {
      screenshot(o);
      return;
    }
    MainWindow window = new MainWindow(ViewerPrefs.user(), o.openCommand());
    Rectangle2D screen = Screen.getPrimary().getVisualBounds();
    Scene scene =
        window.scene(Math.min(1440, screen.getWidth()), Math.min(880, screen.getHeight()));
    stage.setTitle("reqflow viewer");
    stage.setScene(scene);
    stage.show();
    if (!o.noReceiver()) {
      try {
        receiver = OtlpReceiver.start(o.bind(), o.port(), window.receiverListener());
        window.setReceiverText("OTLP on http://" + receiver.address() + "/v1/traces");
        OtlpReceiver r = receiver;
        window.setLiveClearer(r::clear);
      } catch (IOException e) {
        window.setReceiverText("receiver off");
        window.error(
            "Could not listen for OTLP on "
                + o.bind()
                + ":"
                + o.port()
                + ": "
                + e.getMessage()
                + " (use --port)");
      }
    }
    if (!o.files().isEmpty()) {
      window.open(o.files());
    }
  }

  private static void screenshot(Options o) {
    int code = 0;
    try {
      Screenshot.render(
          o.files(),
          o.screenshot(),
          ViewerPrefs.user(),
          o.width() > 0 ? o.width() : Screenshot.WIDTH,
          o.height() > 0 ? o.height() : Screenshot.HEIGHT,
          o.select());
      System.out.println("reqflow view: wrote " + o.screenshot());
    } catch (IOException | RuntimeException e) {
      System.err.println("reqflow view: screenshot failed: " + e.getMessage());
      code = 1;
    }
    Platform.exit();
    System.exit(code);
  }

  @Override
  public void stop() {
    if (receiver != null) {
      receiver.close();
    }
  }
}
