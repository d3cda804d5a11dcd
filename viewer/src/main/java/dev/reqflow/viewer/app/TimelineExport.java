package dev.reqflow.viewer.app;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.flow.Flow;
import dev.reqflow.viewer.suggestions.SuggestionText;
import dev.reqflow.viewer.timeline.TimelineModel;
import dev.reqflow.viewer.timeline.TimelineRenderer;
import dev.reqflow.viewer.timeline.Viewport;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/**
 * What File ▸ Export writes: the flow's whole header (name, service, duration, blocked time), the
 * selected suggestion with where to change it and its saving, and the timeline at the window's
 * zoom, as tall as its lanes (and what-if) need rather than as tall as the window. FX thread.
 */
final class TimelineExport {
  private TimelineExport() {}

  /** Tallest timeline exported: beyond it lanes are cut (the header says so). */
  static final double MAX_TIMELINE_HEIGHT = 4_000;

  /**
   * The node to snapshot, {@code width} wide.
   *
   * @param stats the header's duration, blocked time and calls
   */
  static Node of(
      FlowReport report,
      String stats,
      Suggestion suggestion,
      TimelineModel model,
      Viewport viewport,
      double width,
      boolean dark) {
    Flow f = report.flow();
    Label title = new Label(f.name() + (f.service().isEmpty() ? "" : "  ·  " + f.service()));
    title.setWrapText(true);
    title.setStyle("-fx-font-size: 15px; -fx-font-weight: bold;");
    Label statsLine = new Label(stats);
    statsLine.setWrapText(true);
    VBox box = new VBox(4, title, statsLine);
    if (suggestion != null) {
      Label s = new Label("Suggestion: " + SuggestionText.titleAt(f, suggestion));
      s.setWrapText(true);
      s.setStyle("-fx-font-weight: bold;");
      Label saving = new Label(SuggestionText.savingLine(f, suggestion));
      saving.setWrapText(true);
      box.getChildren().addAll(s, saving);
    } else if (!report.suggestions().isEmpty()) {
      box.getChildren()
          .add(new Label(report.suggestions().size() + " suggestions (none selected)"));
    } else if (!report.whyNone().isEmpty()) {
      Label none = new Label(report.noSuggestionsLine());
      none.setWrapText(true);
      box.getChildren().add(none);
    }
    double h =
        Math.min(MAX_TIMELINE_HEIGHT, TimelineRenderer.AXIS_HEIGHT + model.contentHeight() + 12);
    Canvas canvas = new Canvas(width, h);
    Viewport v =
        new Viewport(
            viewport.startNanos(), viewport.endNanos(), TimelineRenderer.plotWidth(width), 0);
    TimelineRenderer.draw(canvas.getGraphicsContext2D(), model, v, width, h);
    box.getChildren().add(canvas);
    box.setPadding(new Insets(10));
    box.setPrefWidth(width);
    box.setStyle(
        dark
            ? "-fx-background-color: #1e1e1e; -fx-text-fill: #e5e7eb;"
            : "-fx-background-color: white;");
    if (dark) {
      for (Node n : box.getChildren()) {
        if (n instanceof Label l) {
          l.setStyle(l.getStyle() + " -fx-text-fill: #e5e7eb;");
        }
      }
    }
    return box;
  }

  /** A file name from the flow: {@code reqflow-GET-home-strategy-serial-511ms.png}. */
  static String fileName(Flow f) {
    String name = f.name().isEmpty() ? "flow" : f.name();
    String safe = name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("-+", "-");
    safe = safe.replaceAll("^-|-$", "");
    if (safe.length() > 60) {
      safe = safe.substring(0, 60);
    }
    long ms = Math.round(f.durationNanos() / 1e6);
    return String.format(Locale.ROOT, "reqflow-%s-%dms.png", safe, ms);
  }
}
