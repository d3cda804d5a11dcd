package dev.reqflow.viewer.app;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Flow;
import dev.reqflow.viewer.suggestions.SuggestionText;
import dev.reqflow.viewer.timeline.TimeAxis;
import dev.reqflow.viewer.timeline.TimelineModel;
import dev.reqflow.viewer.timeline.TimelineView;
import dev.reqflow.viewer.timeline.Viewport;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * A pinned flow drawn above the shown one for comparison (before and after a fix, live and a file):
 * same time scale, both from their own start, so that where one ends early shows at a glance. It
 * follows the shown timeline's zoom and pan.
 */
final class ComparePane extends VBox {
  static final String STYLE_CLASS = "reqflow-compare";

  private final TimelineModel model = new TimelineModel();
  private final TimelineView view = new TimelineView(model);
  private final Label title = new Label();
  private final TimelineView shown;
  private final TimelineModel shownModel;
  private FlowReport pinned;

  ComparePane(TimelineView shown, TimelineModel shownModel, Runnable close) {
    this.shown = shown;
    this.shownModel = shownModel;
    getStyleClass().add(STYLE_CLASS);
    title.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
    title.setMinWidth(40);
    title.setMaxWidth(Double.MAX_VALUE);
    title.setStyle("-fx-font-weight: bold;");
    HBox.setHgrow(title, Priority.ALWAYS);
    Button unpin = new Button("Unpin");
    unpin.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    unpin.setTooltip(new Tooltip("Stop comparing (Ctrl+P)"));
    unpin.setOnAction(e -> close.run());
    HBox bar = new HBox(8, title, unpin);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.setPadding(new Insets(2, 8, 0, 4));
    VBox.setVgrow(view, Priority.ALWAYS);
    view.setMinHeight(80);
    getChildren().addAll(bar, view);
    shown.addRedrawListener(this::follow);
  }

  /** Pins a flow. */
  void pin(FlowReport r, String source) {
    pinned = r;
    model.setDark(shownModel.dark());
    model.setFlow(r.flow());
    model.setCritical(SuggestionText.criticalSpans(r.criticalPath()));
    Flow f = r.flow();
    long blocked = r.criticalPath().blockedNanos();
    String text =
        "Pinned: "
            + f.name()
            + " ("
            + source
            + "): "
            + TimeAxis.duration(f.durationNanos())
            + ", blocked "
            + TimeAxis.duration(blocked)
            + ", "
            + f.calls().size()
            + (f.calls().size() == 1 ? " call" : " calls");
    title.setText(text);
    title.setTooltip(new Tooltip(text));
    view.refit();
    follow();
  }

  FlowReport pinned() {
    return pinned;
  }

  TimelineView view() {
    return view;
  }

  TimelineModel model() {
    return model;
  }

  /** The pinned flow at the shown one's scale, offset from its own start as the shown is. */
  private void follow() {
    Flow a = shownModel.flow();
    Flow b = model.flow();
    if (a == null || b == null || view.getWidth() <= 0) {
      return;
    }
    Viewport v = shown.viewport();
    long from = b.startNanos() + (v.startNanos() - a.startNanos());
    Viewport next =
        new Viewport(
            from, from + v.spanNanos(), view.viewport().widthPx(), view.viewport().scrollY());
    if (!next.equals(view.viewport())) {
      view.setViewport(next);
    }
  }
}
