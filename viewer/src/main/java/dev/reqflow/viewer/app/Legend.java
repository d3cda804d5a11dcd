package dev.reqflow.viewer.app;

import dev.reqflow.flow.PhaseKind;
import dev.reqflow.viewer.timeline.Palette;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;

/** The key to the timeline's colours, above it (and in exported PNGs). */
final class Legend extends FlowPane {
  static final String STYLE_CLASS = "reqflow-legend";

  Legend() {
    super(10, 2);
    getStyleClass().add(STYLE_CLASS);
    setPadding(new Insets(2, 6, 2, 6));
    update(Palette.LIGHT);
  }

  void update(Palette p) {
    getChildren().clear();
    swatch(p.running(), "running");
    swatch(p.blocked(), "blocked");
    for (PhaseKind k : PhaseKind.values()) {
      swatch(p.phase(k), Palette.phaseName(k));
    }
    swatch(p.merged(), "many calls (zoom in)");
    line(p.link(), false, "released by");
    line(p.dependency(), false, "callback");
    line(p.dependency(), true, "after-wait");
    outline(p.critical(), "critical path");
    outline(p.selection(), "evidence");
    swatch(p.whatIf(), "what if");
  }

  private void swatch(Color c, String text) {
    Label l = new Label(text, new Rectangle(12, 10, c));
    getChildren().add(l);
  }

  private void outline(Color c, String text) {
    Rectangle r = new Rectangle(12, 10, Color.TRANSPARENT);
    r.setStroke(c);
    r.setStrokeWidth(2);
    getChildren().add(new Label(text, r));
  }

  private void line(Color c, boolean dashed, String text) {
    Line l = new Line(0, 5, 16, 5);
    l.setStroke(c);
    l.setStrokeWidth(1.5);
    if (dashed) {
      l.getStrokeDashArray().addAll(4.0, 3.0);
    }
    getChildren().add(new Label(text, l));
  }
}
