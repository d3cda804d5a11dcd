package dev.reqflow.viewer.suggestions;

import dev.reqflow.analysis.Blindness;
import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.viewer.flows.StalledText;
import dev.reqflow.viewer.timeline.TimelineModel;
import dev.reqflow.viewer.timeline.WhatIfLayout;
import dev.reqflow.whatif.Replay;
import dev.reqflow.whatif.WhatIf;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Suggestions for the shown flow, best saving first, in the report's words: the title with where to
 * change it ({@code at File:line}) and {@code saves 165 ms: 431 ms → 266 ms}; when there is none,
 * why. Selecting one highlights its evidence on the timeline. "What if" replays the flow with the
 * selected suggestion's change and draws the replay as a second timeline under the real one: on
 * unless the user turned it off (a newcomer who never finds the toggle still sees what the fix
 * would look like), it follows the selected suggestion and the shown flow, so that the drawn
 * what-if is always the selected suggestion's of the drawn flow; a suggestion without changes to
 * replay (an estimate) draws none. Below the timeline: the list on the left, the selected
 * suggestion's explanation (and the window's details) on the right.
 */
public final class SuggestionsPane extends VBox {
  public static final String STYLE_CLASS = "reqflow-suggestions";
  public static final String LIST_STYLE_CLASS = "reqflow-suggestion-list";
  public static final String WHAT_IF_STYLE_CLASS = "reqflow-what-if";
  public static final String COPY_STYLE_CLASS = "reqflow-copy-markdown";

  /** A suggestion's title (with where to change it) in the list. */
  public static final String TITLE_STYLE_CLASS = "reqflow-suggestion-title";

  /** A suggestion's saving line in the list. */
  public static final String SAVING_STYLE_CLASS = "reqflow-suggestion-saving";

  /** What the list says when there is no suggestion: why. */
  public static final String NONE_STYLE_CLASS = "reqflow-suggestion-none";

  /** What reqflow did not see of the shown flow and its endpoint: above the suggestions. */
  public static final String NOT_SEEN_STYLE_CLASS = "reqflow-not-seen";

  /**
   * That the shown flow had not ended, its deadlock and what its threads waited on: first of all.
   */
  public static final String STALLED_STYLE_CLASS = "reqflow-stalled";

  /**
   * What the recording says of itself before any flow: the agent installed in the background, so
   * the process's first requests were not recorded (the report's first warnings).
   */
  public static final String NOT_RECORDED_STYLE_CLASS = "reqflow-not-recorded";

  private final TimelineModel timeline;
  private final ListView<Suggestion> list = new ListView<>();
  private final ToggleButton whatIf = new ToggleButton("What if");
  private final Button copy = new Button("Copy as Markdown");
  private final TextArea explanation = new TextArea();
  private final Label header = new Label("Suggestions");
  private final Label notSeen = new Label();
  private final Label placeholder = new Label("No flow selected");
  private final TabPane tabs = new TabPane();
  private final Tab explanationTab = new Tab("Suggestion", explanation);
  private final Label stalled = new Label();
  private final Label notRecorded = new Label();
  private FlowReport report;
  private String notSeenSentence = "";
  private Consumer<String> status = s -> {};

  public SuggestionsPane(TimelineModel timeline) {
    this.timeline = timeline;
    getStyleClass().add(STYLE_CLASS);
    list.getStyleClass().add(LIST_STYLE_CLASS);
    whatIf.getStyleClass().add(WHAT_IF_STYLE_CLASS);
    whatIf.setTooltip(
        new Tooltip(
            "Replay the flow with the selected suggestion's change and draw it under the real one"
                + " (Ctrl+I)"));
    whatIf.setMinWidth(Region.USE_PREF_SIZE);
    whatIf.setSelected(true);
    copy.getStyleClass().add(COPY_STYLE_CLASS);
    copy.setMinWidth(Region.USE_PREF_SIZE);
    header.setStyle("-fx-font-weight: bold; -fx-font-size: 13px;");
    header.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
    header.setMinWidth(60);
    header.setMaxWidth(Double.MAX_VALUE);
    HBox.setHgrow(header, Priority.ALWAYS);
    placeholder.getStyleClass().add(NONE_STYLE_CLASS);
    placeholder.setWrapText(true);
    placeholder.setPadding(new Insets(8));
    list.setPlaceholder(placeholder);
    list.setCellFactory(v -> new SuggestionCell(list));
    list.getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, s) -> {
              show(s);
              if (!settingReport) {
                sayWhenNoReplay(); // the user chose this one
              }
            });
    explanation.setEditable(false);
    CodeWrap.install(explanation);
    explanationTab.setClosable(false);
    tabs.getTabs().add(explanationTab);
    tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    whatIf
        .selectedProperty()
        .addListener(
            (o, a, on) -> {
              updateReplay();
              sayWhenNoReplay();
            });
    copy.setOnAction(e -> copySelected());
    notice(notSeen, NOT_SEEN_STYLE_CLASS);
    notice(stalled, STALLED_STYLE_CLASS);
    stalled.setStyle("-fx-text-fill: #b91c1c;");
    notice(notRecorded, NOT_RECORDED_STYLE_CLASS);
    HBox top = new HBox(6, header, whatIf, copy);
    top.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
    SplitPane content = new SplitPane(list, tabs);
    content.setDividerPositions(0.5);
    list.setMinWidth(160);
    tabs.setMinWidth(160);
    VBox.setVgrow(content, Priority.ALWAYS);
    setSpacing(4);
    setPadding(new Insets(4, 6, 4, 6));
    setMinHeight(90);
    getChildren().addAll(stalled, notRecorded, notSeen, top, content);
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

  /**
   * The selected suggestion's title, where, saving and explanation; its text has line breaks put
   * into words wider than a line ({@link CodeWrap#wholeText} has it as written).
   */
  public TextArea explanation() {
    return explanation;
  }

  /** The heading above the list: the flow the suggestions are for. */
  public Label header() {
    return header;
  }

  /** What the list says when it is empty. */
  public Label placeholder() {
    return placeholder;
  }

  /** Adds a tab beside the explanation (the window's details of the selected span). */
  public Tab addTab(String title, Node content) {
    Tab t = new Tab(title, content);
    t.setClosable(false);
    tabs.getTabs().add(t);
    return t;
  }

  /** The tab in front. */
  public Tab selectedTab() {
    return tabs.getSelectionModel().getSelectedItem();
  }

  /** Brings a tab added with {@link #addTab} (or the explanation's, when null) to the front. */
  public void selectTab(Tab t) {
    tabs.getSelectionModel().select(t == null ? explanationTab : t);
  }

  /** That the shown flow had not ended, and why; empty for a flow that ended. */
  public Label stalled() {
    return stalled;
  }

  /**
   * Shows, first of all, that the flow had not ended, with its deadlock and its threads; or, in one
   * line, that it stalled and ended later, with its deadlock.
   */
  public void setStalled(FlowReport r) {
    String text = r == null ? "" : StalledText.details(r.flow());
    stalled.setText(text);
    stalled.setVisible(!text.isEmpty());
    // A flow that ended keeps core's reason for an empty list (set with the report).
    if (!text.isEmpty() && r.flow().inProgress()) {
      Label why = new Label("No suggestions: the flow had not ended, so no what-if holds (above)");
      why.setWrapText(true);
      why.setPadding(new Insets(8));
      list.setPlaceholder(why);
    }
  }

  /** What the shown flow's recording says of itself first (see {@link #setNotRecorded}). */
  public Label notRecorded() {
    return notRecorded;
  }

  /**
   * Shows, above everything, what the recording of the shown flow's process says of itself: the
   * agent's background install ({@code shop: the agent finished installing 812 ms after the JVM
   * started (install=background): requests before then were not recorded, ...}); none hides it.
   */
  public void setNotRecorded(List<String> sentences) {
    String text = sentences.isEmpty() ? "" : "Not recorded: " + String.join("\n", sentences);
    notRecorded.setText(text);
    notRecorded.setVisible(!text.isEmpty());
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
    notSeenSentence = flow;
    placeholder.setText(noneText());
    list.setPlaceholder(placeholder);
  }

  /**
   * Shows the suggestions of a flow (or none) and selects the best one (the same flow again keeps
   * the selected kind). The what-if, when on, is then the selected suggestion's replay of this
   * flow: never one left from another flow or suggestion.
   */
  public void setReport(FlowReport r) {
    settingReport = true;
    try {
      showReport(r);
    } finally {
      settingReport = false;
    }
    // whatever the list's selection events did meanwhile, the drawn what-if is this report's
    updateReplay();
  }

  /** True while {@link #setReport} selects for the user: no status for what they did not do. */
  private boolean settingReport;

  private void showReport(FlowReport r) {
    boolean sameFlow =
        r != null
            && report != null
            && r.flow().traceId().equals(report.flow().traceId())
            && r.flow().spanId().equals(report.flow().spanId());
    Suggestion before = list.getSelectionModel().getSelectedItem();
    report = r;
    if (r == null) {
      list.getItems().clear();
      header.setText("Suggestions");
      header.setTooltip(null);
      explanation.clear();
      placeholder.setText(noneText());
      return;
    }
    placeholder.setText(noneText());
    list.setPlaceholder(placeholder);
    list.getItems().setAll(SuggestionText.ranked(r.suggestions()));
    String title =
        "Suggestions for "
            + r.flow().name()
            + " ("
            + Durations.format(r.flow().durationNanos())
            + ")";
    header.setText(title);
    header.setTooltip(new Tooltip(title));
    if (!list.getItems().isEmpty()) {
      int keep = before == null || !sameFlow ? -1 : indexOfKind(before);
      list.getSelectionModel().select(Math.max(0, keep));
      show(list.getSelectionModel().getSelectedItem());
    } else {
      show(null);
    }
  }

  private int indexOfKind(Suggestion s) {
    for (int i = 0; i < list.getItems().size(); i++) {
      Suggestion o = list.getItems().get(i);
      if (o.kind() == s.kind() && o.title().equals(s.title())) {
        return i;
      }
    }
    return -1;
  }

  private boolean pending;

  /**
   * Says that the next report's suggestions are still being computed (a huge flow, analysed after
   * the others): its empty list reads "pending", not "none".
   */
  public void setPending(boolean on) {
    pending = on;
  }

  /**
   * Why the list is empty, first what reqflow did not see; a silent empty list would read as an
   * all-clear.
   */
  private String noneText() {
    if (report == null) {
      return "No flow selected";
    }
    if (pending) {
      return "Suggestions pending: replaying this flow's "
          + report.flow().calls().size()
          + " calls (huge flows are analysed after the others)…";
    }
    if (!notSeenSentence.isEmpty()) {
      return "No suggestions from the calls reqflow saw: it did not see all of this flow";
    }
    if (!report.whyNone().isEmpty()) {
      return report.noSuggestionsLine();
    }
    if (report.flow().calls().size() > dev.reqflow.viewer.files.FileLoader.MAX_CALLS_ANALYSED) {
      return "Not analysed for suggestions: "
          + report.flow().calls().size()
          + " calls, over the "
          + dev.reqflow.viewer.files.FileLoader.MAX_CALLS_ANALYSED
          + " the viewer replays";
    }
    return "Finding suggestions…";
  }

  private void show(Suggestion s) {
    if (s == null || report == null) {
      explanation.clear();
      timeline.setEvidence(java.util.Set.of());
      updateReplay();
      return;
    }
    CodeWrap.setText(
        explanation,
        SuggestionText.titleAt(report.flow(), s)
            + "\n"
            + SuggestionText.savingLine(report.flow(), s)
            + "\n\n"
            + s.explanation());
    timeline.setEvidence(new java.util.HashSet<>(s.spanIds()));
    selectTab(null);
    updateReplay();
  }

  /** Says why no what-if is drawn for the selected suggestion while the toggle is on. */
  private void sayWhenNoReplay() {
    Suggestion s = list.getSelectionModel().getSelectedItem();
    if (whatIf.isSelected() && report != null && s != null && s.changes().isEmpty()) {
      status.accept("This suggestion's saving is an estimate: there is no replay to draw");
    }
  }

  /**
   * Flows of more calls than this are replayed off the FX thread: a replay's cost grows faster than
   * its calls (measured, one render thread issuing serial calls, load 0.3: 1,000 calls 60 ms, 5,000
   * 228 ms, 20,000 3.6 s), and the what-if is on for every flow shown.
   */
  static final int MAX_CALLS_REPLAYED_ON_FX = 200;

  /** Replays of big flows, one at a time; a replay no longer wanted when it starts is skipped. */
  private static final java.util.concurrent.ExecutorService REPLAYS =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "reqflow-what-if");
            t.setDaemon(true);
            return t;
          });

  /** Counts what-if requests: a replay's result is drawn only if none came after it. */
  private volatile long replayGeneration;

  /** Replays asked for off the FX thread and not drawn or dropped yet. */
  private final java.util.concurrent.atomic.AtomicInteger replaysPending =
      new java.util.concurrent.atomic.AtomicInteger();

  /** True while a big flow's what-if is being replayed off the FX thread. */
  public boolean replaying() {
    return replaysPending.get() > 0;
  }

  private void updateReplay() {
    if (settingReport) {
      return; // once, when the report's list and selection are set
    }
    long generation = ++replayGeneration;
    Suggestion s = list.getSelectionModel().getSelectedItem();
    FlowReport r = report;
    if (!whatIf.isSelected() || r == null || s == null || s.changes().isEmpty()) {
      timeline.setWhatIf(null);
      return;
    }
    if (r.flow().calls().size() <= MAX_CALLS_REPLAYED_ON_FX) {
      showReplay(generation, r, s, replay(r, s));
      return;
    }
    // none drawn meanwhile: never the previous flow's or suggestion's
    timeline.setWhatIf(null);
    status.accept("Replaying " + r.flow().calls().size() + " calls for the what-if…");
    replaysPending.incrementAndGet();
    REPLAYS.execute(
        () -> {
          // another flow or suggestion shown since: not replayed at all
          Object result = generation != replayGeneration ? null : replay(r, s);
          javafx.application.Platform.runLater(
              () -> {
                replaysPending.decrementAndGet();
                showReplay(generation, r, s, result);
              });
        });
  }

  /** The what-if of a suggestion, or the exception its replay threw. Any thread. */
  private static Object replay(FlowReport r, Suggestion s) {
    try {
      Replay replay = WhatIf.of(r.flow()).replay(s.changes());
      return WhatIfLayout.of(
          replay, r.flow().startNanos() + s.predictedNanos(), s.title(), s.savingNanos());
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** Draws a replay's result when it is still the latest asked for. FX thread. */
  private void showReplay(long generation, FlowReport r, Suggestion s, Object result) {
    if (generation != replayGeneration
        || r != report
        || s != list.getSelectionModel().getSelectedItem()
        || !whatIf.isSelected()
        || result == null) {
      return;
    }
    if (result instanceof WhatIfLayout layout) {
      timeline.setWhatIf(layout);
    } else {
      timeline.setWhatIf(null);
      status.accept("What-if failed: " + ((RuntimeException) result).getMessage());
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

  /**
   * A suggestion: its title with where to change it, wrapped to the list's width (never cut), and
   * its saving. Colours come from the style sheet, so a selected row stays readable.
   */
  private final class SuggestionCell extends ListCell<Suggestion> {
    private final Label title = new Label();
    private final Label saving = new Label();
    private final VBox box = new VBox(2, title, saving);

    SuggestionCell(ListView<Suggestion> owner) {
      title.getStyleClass().add(TITLE_STYLE_CLASS);
      title.setWrapText(true);
      title.setMinHeight(Region.USE_PREF_SIZE);
      saving.getStyleClass().add(SAVING_STYLE_CLASS);
      saving.setWrapText(true);
      saving.setMinHeight(Region.USE_PREF_SIZE);
      // The cell's width less its padding and the scroll bar: wrapped text then never runs out.
      title.maxWidthProperty().bind(owner.widthProperty().subtract(34));
      saving.maxWidthProperty().bind(owner.widthProperty().subtract(34));
      title.prefWidthProperty().bind(title.maxWidthProperty());
      saving.prefWidthProperty().bind(saving.maxWidthProperty());
      title.maxWidthProperty().addListener((o, a, b) -> setTitle());
    }

    /** The title as written, before the breaks {@link #setTitle} puts in words too long. */
    private String fullTitle;

    /**
     * The title wrapped to the label's width, a change site longer than a line cut where code reads
     * best ({@link SuggestionText#breakLongWords}), not at whatever character is last.
     */
    private void setTitle() {
      if (fullTitle == null) {
        return;
      }
      javafx.scene.text.Font d = javafx.scene.text.Font.getDefault();
      javafx.scene.text.Font bold =
          javafx.scene.text.Font.font(
              d.getFamily(), javafx.scene.text.FontWeight.BOLD, d.getSize());
      // a few pixels spare: the advances summed are not the laid-out text's width to the pixel
      title.setText(
          SuggestionText.breakLongWords(
              fullTitle,
              title.getMaxWidth() - 4,
              t -> dev.reqflow.viewer.timeline.TextWidth.of(t, bold)));
    }

    @Override
    protected void updateItem(Suggestion s, boolean isEmpty) {
      super.updateItem(s, isEmpty);
      setText(null);
      if (isEmpty || s == null || report == null) {
        fullTitle = null;
        setGraphic(null);
        return;
      }
      fullTitle = SuggestionText.titleAt(report.flow(), s);
      setTitle();
      saving.setText(SuggestionText.savingLine(report.flow(), s));
      setGraphic(box);
    }
  }

  /**
   * A sentence above the suggestions, as wide as the pane, hidden (and taking no room) until set.
   */
  private static void notice(Label label, String styleClass) {
    label.getStyleClass().add(styleClass);
    label.setWrapText(true);
    label.setMaxWidth(Double.MAX_VALUE);
    label.setMinHeight(Region.USE_PREF_SIZE);
    label.managedProperty().bind(label.visibleProperty());
    label.setVisible(false);
  }
}
