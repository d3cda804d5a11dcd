package dev.reqflow.viewer.suggestions;

import dev.reqflow.analysis.Blindness;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.viewer.flows.StalledText;
import dev.reqflow.viewer.timeline.TimeAxis;
import dev.reqflow.viewer.timeline.TimelineModel;
import dev.reqflow.whatif.Replay;
import dev.reqflow.whatif.WhatIf;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Suggestions for the shown flow, best saving first. Selecting one highlights its evidence on the
 * timeline; "What if" replays the flow with its change and draws the replay under the real one.
 */
public final class SuggestionsPane extends VBox {
  public static final String STYLE_CLASS = "reqflow-suggestions";
  public static final String LIST_STYLE_CLASS = "reqflow-suggestion-list";
  public static final String WHAT_IF_STYLE_CLASS = "reqflow-what-if";
  public static final String COPY_STYLE_CLASS = "reqflow-copy-markdown";

  /** What reqflow did not see of the shown flow and its endpoint: above the suggestions. */
  public static final String NOT_SEEN_STYLE_CLASS = "reqflow-not-seen";

  /**
   * That the shown flow had not ended, its deadlock and what its threads waited on: first of all.
   */
  public static final String STALLED_STYLE_CLASS = "reqflow-stalled";

  private final TimelineModel timeline;
  private final ListView<Suggestion> list = new ListView<>();
  private final ToggleButton whatIf = new ToggleButton("What if");
  private final Button copy = new Button("Copy as Markdown");
  private final TextArea explanation = new TextArea();
  private final Label header = new Label("Suggestions");
  private final Label notSeen = new Label();
  private final Label stalled = new Label();
  private FlowReport report;
  private Consumer<String> status = s -> {};

  private final Label placeholder = new Label("No suggestions for this flow");

  public SuggestionsPane(TimelineModel timeline) {
    this.timeline = timeline;
    getStyleClass().add(STYLE_CLASS);
    list.getStyleClass().add(LIST_STYLE_CLASS);
    whatIf.getStyleClass().add(WHAT_IF_STYLE_CLASS);
    copy.getStyleClass().add(COPY_STYLE_CLASS);
    header.setStyle("-fx-font-weight: bold; -fx-font-size: 13px;");
    placeholder.setWrapText(true);
    list.setPlaceholder(placeholder);
    list.setCellFactory(v -> new SuggestionCell());
    list.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> show(s));
    explanation.setEditable(false);
    explanation.setWrapText(true);
    explanation.setPrefRowCount(8);
    whatIf.selectedProperty().addListener((o, a, on) -> updateReplay());
    copy.setOnAction(e -> copySelected());
    notSeen.getStyleClass().add(NOT_SEEN_STYLE_CLASS);
    notSeen.setWrapText(true);
    notSeen.setMaxWidth(Double.MAX_VALUE);
    notSeen.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    notSeen.managedProperty().bind(notSeen.visibleProperty());
    notSeen.setVisible(false);
    stalled.getStyleClass().add(STALLED_STYLE_CLASS);
    stalled.setWrapText(true);
    stalled.setMaxWidth(Double.MAX_VALUE);
    stalled.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
    stalled.setStyle("-fx-text-fill: #b91c1c;");
    stalled.managedProperty().bind(stalled.visibleProperty());
    stalled.setVisible(false);
    HBox buttons = new HBox(6, whatIf, copy);
    VBox.setVgrow(list, Priority.ALWAYS);
    setSpacing(6);
    setPadding(new Insets(6));
    setPrefWidth(340);
    getChildren().addAll(stalled, notSeen, header, buttons, list, explanation);
  }

  public void setStatusSink(Consumer<String> sink) {
    status = sink;
  }

  public ListView<Suggestion> list() {
    return list;
  }

  public ToggleButton whatIfToggle() {
    return whatIf;
  }

  /** That the shown flow had not ended, and why; empty for a flow that ended. */
  public Label stalled() {
    return stalled;
  }

  /** Shows, first of all, that the flow had not ended, with its deadlock and its threads. */
  public void setStalled(FlowReport r) {
    String text = r == null ? "" : StalledText.details(r.flow());
    stalled.setText(text);
    stalled.setVisible(!text.isEmpty());
    if (!text.isEmpty()) {
      Label why = new Label("No suggestions: the flow had not ended, so no what-if holds (above)");
      why.setWrapText(true);
      why.setPadding(new Insets(8));
      list.setPlaceholder(why);
    }
  }

  /** What reqflow did not see of the shown flow and its endpoint; empty when it saw them whole. */
  public Label notSeen() {
    return notSeen;
  }

  /**
   * Shows, first, what reqflow did not see: of this flow, and of its endpoint ({@code endpoint}:
   * the report's sentence for the endpoint's flows, or {@code ""}).
   */
  public void setNotSeen(FlowReport r, String endpoint) {
    String flow = r == null ? "" : Blindness.sentence(r.flow());
    StringBuilder text = new StringBuilder();
    if (!flow.isEmpty()) {
      text.append("Not seen: ").append(flow);
    }
    if (!endpoint.isEmpty()) {
      text.append(text.length() > 0 ? "\n" : "Not seen: ").append("Endpoint: ").append(endpoint);
    }
    notSeen.setText(text.toString());
    notSeen.setVisible(text.length() > 0);
    Label placeholder =
        new Label(
            flow.isEmpty()
                ? "No suggestions for this flow"
                : "No suggestions from the calls reqflow saw: it did not see all of this flow");
    placeholder.setWrapText(true);
    placeholder.setPadding(new Insets(8));
    list.setPlaceholder(placeholder);
  }

  /** Shows the suggestions of a flow (or none) and selects the best one. */
  public void setReport(FlowReport r) {
    report = r;
    if (r == null) {
      list.getItems().clear();
      header.setText("Suggestions");
      explanation.clear();
      return;
    }
    // Why there is none: a silent empty list would read as an all-clear.
    placeholder.setText(
        r.suggestions().isEmpty() ? r.noSuggestionsLine() : "No suggestions for this flow.");
    list.getItems().setAll(SuggestionText.ranked(r.suggestions()));
    header.setText(
        "Suggestions for "
            + r.flow().name()
            + " ("
            + TimeAxis.duration(r.flow().durationNanos())
            + ")");
    if (!list.getItems().isEmpty()) {
      list.getSelectionModel().select(0);
    } else {
      show(null);
    }
  }

  private void show(Suggestion s) {
    if (s == null || report == null) {
      explanation.clear();
      timeline.setEvidence(java.util.Set.of());
      updateReplay();
      return;
    }
    explanation.setText(s.title() + "\n" + SuggestionText.savingLine(s) + "\n\n" + s.explanation());
    timeline.setEvidence(new java.util.HashSet<>(s.spanIds()));
    updateReplay();
  }

  private void updateReplay() {
    Suggestion s = list.getSelectionModel().getSelectedItem();
    if (!whatIf.isSelected() || report == null || s == null || s.changes().isEmpty()) {
      timeline.setReplay(null, 0);
      if (whatIf.isSelected() && s != null && s.changes().isEmpty()) {
        status.accept("This suggestion's saving is an estimate: there is no replay to draw");
      }
      return;
    }
    try {
      Replay replay = WhatIf.of(report.flow()).replay(s.changes());
      timeline.setReplay(replay, report.flow().startNanos() + s.predictedNanos());
    } catch (RuntimeException e) {
      timeline.setReplay(null, 0);
      status.accept("What-if failed: " + e.getMessage());
    }
  }

  /** Copies the selected suggestion as Markdown; returns the text, or null when none. */
  public String copySelected() {
    Suggestion s = list.getSelectionModel().getSelectedItem();
    if (s == null || report == null) {
      status.accept("Select a suggestion to copy");
      return null;
    }
    String md = SuggestionText.markdown(report.flow(), s);
    ClipboardContent content = new ClipboardContent();
    content.putString(md);
    Clipboard.getSystemClipboard().setContent(content);
    status.accept("Copied \"" + s.title() + "\" as Markdown");
    return md;
  }

  private static final class SuggestionCell extends ListCell<Suggestion> {
    @Override
    protected void updateItem(Suggestion s, boolean isEmpty) {
      super.updateItem(s, isEmpty);
      if (isEmpty || s == null) {
        setText(null);
        setGraphic(null);
        return;
      }
      Label title = new Label(s.title());
      title.setWrapText(true);
      title.setStyle("-fx-font-weight: bold;");
      title.setMaxWidth(300);
      Label saving = new Label(SuggestionText.savingLine(s));
      saving.setStyle("-fx-text-fill: #059669;");
      setText(null);
      setGraphic(new VBox(2, title, saving));
    }
  }
}
