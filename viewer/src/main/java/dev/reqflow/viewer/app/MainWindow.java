package dev.reqflow.viewer.app;

import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.Flow;
import dev.reqflow.viewer.files.FileLoader;
import dev.reqflow.viewer.flows.FlowListView;
import dev.reqflow.viewer.flows.FlowStore;
import dev.reqflow.viewer.profiling.FxWork;
import dev.reqflow.viewer.receiver.OtlpReceiver;
import dev.reqflow.viewer.source.SourceOpener;
import dev.reqflow.viewer.suggestions.CodeWrap;
import dev.reqflow.viewer.suggestions.SuggestionText;
import dev.reqflow.viewer.suggestions.SuggestionsPane;
import dev.reqflow.viewer.timeline.TimelineModel;
import dev.reqflow.viewer.timeline.TimelineView;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The window's content: menus, the flow list, the timeline with its legend and details, the
 * suggestions, and a status bar. Receives flows from file loads and the receiver and keeps the
 * panes in step with the selected flow.
 */
public final class MainWindow extends BorderPane {
  public static final String STATUS_STYLE_CLASS = "reqflow-status-bar";
  public static final String STATUS_TEXT_STYLE_CLASS = "reqflow-status-text";
  public static final String DETAILS_STYLE_CLASS = "reqflow-details";
  public static final String PROGRESS_STYLE_CLASS = "reqflow-progress";
  public static final String HEADER_STYLE_CLASS = "reqflow-flow-header";

  /** The shown flow's duration, blocked time and calls: beside its name, never cut. */
  public static final String HEADER_STATS_STYLE_CLASS = "reqflow-flow-header-stats";

  /** The button that hides and shows the flow list. */
  public static final String FLOWS_TOGGLE_STYLE_CLASS = "reqflow-flows-toggle";

  /** The flow list's width as a share of the window's, within {@link #FLOWS_MIN} and MAX. */
  static final double FLOWS_SHARE = 0.23;

  static final double FLOWS_MIN = 290;
  static final double FLOWS_MAX = 330;
  static final String ERROR_STYLE_CLASS = "reqflow-error";

  private final ViewerPrefs prefs;
  private final FlowStore store = new FlowStore();

  /**
   * The flows other services ran for the shown flow's calls, by call span id: their agents got the
   * call's trace context, so each is the child of the call's span (core's AcrossServices).
   */
  private java.util.Map<String, FlowReport> callees = java.util.Map.of();

  /** The flow whose call the shown flow continues, or null. */
  private FlowReport caller;

  private final TimelineModel timelineModel = new TimelineModel();
  private final TimelineView timeline = new TimelineView(timelineModel);
  private final dev.reqflow.viewer.timeline.OverviewStrip overview =
      new dev.reqflow.viewer.timeline.OverviewStrip(timelineModel, timeline);
  private final FlowListView flowList = new FlowListView(store);
  private final SuggestionsPane suggestions = new SuggestionsPane(timelineModel);
  private final dev.reqflow.viewer.timeline.SpansTable spansTable =
      new dev.reqflow.viewer.timeline.SpansTable(timelineModel);
  private final TextArea details = new TextArea();
  private final Label header = new Label("No flow selected");
  private final Label headerStats = new Label("");
  private final ToggleButton flowsToggle = new ToggleButton("◀");
  private final CheckMenuItem flowsItem = new CheckMenuItem("Flow _list");
  private final CheckMenuItem suggestionsItem = new CheckMenuItem("_Suggestions pane");
  private final SplitPane main;
  private final SplitPane center;
  private final Tab detailsTab;
  private final Tab spansTab;
  private double flowsDivider = -1;
  private double suggestionsDivider = 0.64;
  private final Legend legend = new Legend();
  private final ComparePane compare =
      new ComparePane(timeline, timelineModel, () -> setCompare(false));
  private final SplitPane timelines;
  private final VBox timelinePane;
  private final Label status = new Label("Ready");
  private final Label receiverLabel = new Label("");
  private final ProgressBar progress = new ProgressBar();
  private final HBox statusBar;
  private final ConcurrentLinkedQueue<List<FlowReport>> incoming = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Menu recentMenu = new Menu("Open _Recent");
  private final CheckMenuItem darkItem = new CheckMenuItem("_Dark theme");

  /**
   * What each source's recording says of itself before any flow (the agent's background installs),
   * by source: core's reader words them as its first warnings, the live receiver as they come.
   */
  private final java.util.Map<String, List<String>> notices = new java.util.HashMap<>();

  private FlowReport shown;
  private String shownKey;
  private boolean pendingShown;
  private java.util.function.Consumer<Runnable> liveClearer;
  private TimelineModel.SpanRef detailsFor;
  private String openCommand;
  private int analysing;

  public MainWindow(ViewerPrefs prefs, String openCommand) {
    this.prefs = prefs;
    this.openCommand =
        openCommand == null || openCommand.isEmpty() ? prefs.openCommand() : openCommand;
    getStylesheets()
        .add(Objects.requireNonNull(MainWindow.class.getResource("viewer.css")).toExternalForm());
    // The what-if is on for a newcomer; a user who turned it off (button or menu) keeps it off.
    suggestions.whatIfToggle().setSelected(prefs.whatIf());
    suggestions
        .whatIfToggle()
        .setOnAction(e -> prefs.setWhatIf(suggestions.whatIfToggle().isSelected()));

    details.getStyleClass().add(DETAILS_STYLE_CLASS);
    details.setEditable(false);
    CodeWrap.install(details); // call sites and URLs cut where code reads best
    details.setPrefRowCount(7);
    details.setPromptText(
        "Click a call or a blocked segment to see its details; double-click opens its source");
    header.getStyleClass().add(HEADER_STYLE_CLASS);
    // Endpoints of a service share their start (GET /home?strategy=): cut from the start, so that
    // what tells this one apart (blocking-callback) stays when the figures leave it little room.
    header.setTextOverrun(OverrunStyle.LEADING_ELLIPSIS);
    header.setMinWidth(40);
    header.setMaxWidth(Double.MAX_VALUE);
    HBox.setHgrow(header, Priority.ALWAYS);
    headerStats.getStyleClass().addAll(HEADER_STYLE_CLASS, HEADER_STATS_STYLE_CLASS);
    headerStats.setMinWidth(Region.USE_PREF_SIZE);
    flowsToggle.getStyleClass().add(FLOWS_TOGGLE_STYLE_CLASS);
    flowsToggle.setSelected(true);
    flowsToggle.setMinWidth(Region.USE_PREF_SIZE);
    flowsToggle.setTooltip(new Tooltip("Hide or show the flow list (Ctrl+1)"));
    flowsToggle.selectedProperty().bindBidirectional(flowsItem.selectedProperty());
    flowsItem.setSelected(true);
    flowsItem.setAccelerator(KeyCombination.keyCombination("Shortcut+1"));
    flowsItem.selectedProperty().addListener((o, a, on) -> showFlowList(on));
    suggestionsItem.setSelected(true);
    suggestionsItem.setAccelerator(KeyCombination.keyCombination("Shortcut+2"));
    suggestionsItem.selectedProperty().addListener((o, a, on) -> showSuggestions(on));
    HBox headerBox = new HBox(8, flowsToggle, header, headerStats);
    headerBox.setAlignment(Pos.CENTER_LEFT);
    headerBox.setPadding(new Insets(3, 8, 0, 4));
    timelines = new SplitPane(timeline);
    timelines.setOrientation(Orientation.VERTICAL);
    VBox.setVgrow(timelines, Priority.ALWAYS);
    timelinePane = new VBox(2, headerBox, legend, overview, timelines);
    timelinePane.setStyle("-fx-background-color: -fx-background;");
    timelinePane.setMinWidth(320);
    // The timeline owns the width: the suggestions sit under it (list, then the explanation and the
    // details of the selected span), the flow list left of it; both fold away (Ctrl+1, Ctrl+2).
    detailsTab = suggestions.addTab("Selected span", details);
    spansTab = suggestions.addTab("Spans", spansTable);
    center = new SplitPane(timelinePane, suggestions);
    center.setOrientation(Orientation.VERTICAL);
    center.setDividerPositions(suggestionsDivider);
    SplitPane.setResizableWithParent(suggestions, false);
    main = new SplitPane(flowList, center);
    SplitPane.setResizableWithParent(flowList, false);
    flowList.setMinWidth(180);

    status.getStyleClass().add(STATUS_TEXT_STYLE_CLASS);
    // A long message is cut at the window's edge: the whole of it is on hover.
    Tooltip statusTip = new Tooltip();
    statusTip.textProperty().bind(status.textProperty());
    status.setTooltip(statusTip);
    status.setMinWidth(60);
    receiverLabel.setMinWidth(Region.USE_PREF_SIZE);
    progress.getStyleClass().add(PROGRESS_STYLE_CLASS);
    progress.setVisible(false);
    progress.setPrefWidth(200);
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    statusBar = new HBox(10, status, spacer, progress, receiverLabel);
    statusBar.getStyleClass().add(STATUS_STYLE_CLASS);

    setTop(menus());
    setCenter(main);
    setBottom(statusBar);

    flowList.setOnSelect(this::show);
    flowList.setOnClear(this::clearSource);
    suggestions.setStatusSink(this::info);
    timeline.setOnOpen(this::jumpToSource);
    timelineModel.addListener(this::updateDetails);
    // A span clicked, or the what-if turned on: the user is reading this flow, which arriving
    // flows no longer replace with their endpoint's median.
    timelineModel.addListener(
        () -> {
          if (timelineModel.selected() != null) {
            flowList.stopFollowing();
          }
        });
    suggestions
        .whatIfToggle()
        .selectedProperty()
        .addListener(
            (o, was, on) -> {
              if (on) {
                flowList.stopFollowing();
              }
            });
    store.addListener(this::storeChanged);
    installDragAndDrop();
    setDark(prefs.dark());
  }

  public FlowStore store() {
    return store;
  }

  public TimelineView timeline() {
    return timeline;
  }

  public dev.reqflow.viewer.timeline.OverviewStrip overview() {
    return overview;
  }

  public TimelineModel timelineModel() {
    return timelineModel;
  }

  public FlowListView flowList() {
    return flowList;
  }

  public SuggestionsPane suggestions() {
    return suggestions;
  }

  public Label status() {
    return status;
  }

  /** The shown flow's spans as a table (a tab under the timeline). */
  public dev.reqflow.viewer.timeline.SpansTable spansTable() {
    return spansTable;
  }

  /**
   * Pins the shown flow above the timeline, to compare the next flows shown with it (on), or
   * removes the pinned flow (off).
   */
  public void setCompare(boolean on) {
    if (on) {
      if (shown == null) {
        info("Show a flow first, then pin it to compare others with it");
        return;
      }
      compare.pin(shown, store.sourceOf(shown) == null ? FlowStore.LIVE : store.sourceOf(shown));
      if (!compareShown()) {
        timelines.getItems().add(0, compare);
        timelines.setDividerPositions(0.45);
      }
      info("Pinned " + shown.flow().name() + ": pick another flow to compare it with");
    } else if (compareShown()) {
      timelines.getItems().remove(compare);
      info("Unpinned");
    }
  }

  /** True when a flow is pinned above the timeline. */
  public boolean compareShown() {
    return timelines.getItems().contains(compare);
  }

  /** The pinned flow's pane. */
  ComparePane compare() {
    return compare;
  }

  /** Brings the spans table to the front (View ▸ Spans table). */
  public void showSpansTable() {
    if (!suggestionsShown()) {
      setSuggestionsShown(true);
    }
    suggestions.selectTab(spansTab);
  }

  public TextArea details() {
    return details;
  }

  /** The flow on the timeline, or null. */
  public FlowReport shown() {
    return shown;
  }

  private MenuBar menuBar;
  private javafx.scene.control.Dialog<Void> keysDialog;

  /** Opens the keys dialog (F1), or brings it to the front. */
  public void showKeys() {
    if (keysDialog != null && keysDialog.isShowing()) {
      keysDialog.getDialogPane().getScene().getWindow().requestFocus();
      return;
    }
    keysDialog = KeysDialog.show(window(), menuBar);
  }

  /** The keys dialog last opened, or null. */
  public javafx.scene.control.Dialog<Void> keysDialog() {
    return keysDialog;
  }

  /** The menu bar. */
  public MenuBar menuBar() {
    return menuBar;
  }

  private MenuBar menus() {
    MenuItem open = item("_Open…", "Shortcut+O", this::chooseFiles);
    recentMenu.setOnShowing(e -> fillRecent());
    fillRecent();
    MenuItem export = item("_Export timeline as PNG…", "Shortcut+E", this::chooseExport);
    MenuItem clear =
        item(
            "_Clear source chosen in the list",
            "Shortcut+W",
            () -> clearSource(flowList.chosenSource()));
    MenuItem quit = item("_Quit", "Shortcut+Q", Platform::exit);
    Menu file =
        new Menu(
            "_File",
            null,
            open,
            recentMenu,
            new SeparatorMenuItem(),
            export,
            clear,
            new SeparatorMenuItem(),
            quit);

    MenuItem fit = item("_Fit whole flow (F)", "Shortcut+0", timeline::fit);
    MenuItem zoomIn =
        item(
            "Zoom _in (+, wheel)",
            "Shortcut+EQUALS",
            () ->
                timeline.setViewport(
                    timeline.viewport().zoomAround(timeline.viewport().widthPx() / 2, 1.5)));
    MenuItem zoomOut =
        item(
            "Zoom _out (-, wheel)",
            "Shortcut+MINUS",
            () ->
                timeline.setViewport(
                    timeline.viewport().zoomAround(timeline.viewport().widthPx() / 2, 1 / 1.5)));
    CheckMenuItem whatIf = new CheckMenuItem("_What if (selected suggestion)");
    whatIf.setAccelerator(KeyCombination.keyCombination("Shortcut+I"));
    whatIf.selectedProperty().bindBidirectional(suggestions.whatIfToggle().selectedProperty());
    whatIf.setOnAction(e -> prefs.setWhatIf(whatIf.isSelected()));
    darkItem.setAccelerator(KeyCombination.keyCombination("Shortcut+D"));
    darkItem.setOnAction(e -> setDark(darkItem.isSelected()));
    MenuItem filter = item("Filter _flows", "Shortcut+L", () -> flowList.filter().requestFocus());
    MenuItem spans = item("Spans _table", "Shortcut+T", this::showSpansTable);
    MenuItem pin =
        item(
            "_Pin flow to compare (before/after)", "Shortcut+P", () -> setCompare(!compareShown()));
    Menu view =
        new Menu(
            "_View",
            null,
            fit,
            zoomIn,
            zoomOut,
            new SeparatorMenuItem(),
            whatIf,
            filter,
            spans,
            pin,
            new SeparatorMenuItem(),
            flowsItem,
            suggestionsItem,
            darkItem);

    MenuItem jump =
        item(
            "_Jump to source of selection (double-click, Enter)",
            "Shortcut+J",
            () -> jumpToSource(timelineModel.selected()));
    MenuItem copy =
        item("_Copy suggestion as Markdown", "Shortcut+Shift+C", suggestions::copySelected);
    MenuItem cmd = item("Set _open command…", null, this::askOpenCommand);
    Menu source = new Menu("_Source", null, jump, copy, cmd);

    MenuItem keys = item("_Keyboard shortcuts", "F1", this::showKeys);
    Menu help = new Menu("_Help", null, keys);
    menuBar = new MenuBar(file, view, source, help);
    return menuBar;
  }

  private static MenuItem item(String text, String accel, Runnable action) {
    MenuItem m = new MenuItem(text);
    if (accel != null) {
      m.setAccelerator(KeyCombination.keyCombination(accel));
    }
    m.setOnAction(e -> action.run());
    return m;
  }

  private void fillRecent() {
    recentMenu.getItems().clear();
    for (Path p : prefs.recentFiles()) {
      recentMenu.getItems().add(item(p.toString(), null, () -> open(List.of(p))));
    }
    if (recentMenu.getItems().isEmpty()) {
      MenuItem none = new MenuItem("(none)");
      none.setDisable(true);
      recentMenu.getItems().add(none);
    }
  }

  private Window window() {
    return getScene() == null ? null : getScene().getWindow();
  }

  private void chooseFiles() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Open OTLP trace files");
    fc.getExtensionFilters()
        .addAll(
            new FileChooser.ExtensionFilter(
                "OTLP traces", "*.json", "*.jsonl", "*.pb", "*.bin", "*.gz", "*.otlp"),
            new FileChooser.ExtensionFilter("All files", "*"));
    List<File> files = fc.showOpenMultipleDialog(window());
    if (files != null && !files.isEmpty()) {
      open(files.stream().map(File::toPath).toList());
    }
  }

  private void chooseExport() {
    FileChooser fc = new FileChooser();
    fc.setTitle("Export timeline as PNG");
    fc.setInitialFileName(
        shown == null ? "reqflow-timeline.png" : TimelineExport.fileName(shown.flow()));
    fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
    File f = fc.showSaveDialog(window());
    if (f != null) {
      exportPng(f.toPath());
    }
  }

  /**
   * Writes the shown flow as a PNG: its whole header, the selected suggestion and the timeline at
   * the current zoom, as tall as its lanes (see {@link TimelineExport}).
   */
  public void exportPng(Path out) {
    try {
      if (shown == null) {
        error("Nothing to export: no flow shown");
        return;
      }
      timeline.redraw();
      javafx.scene.Node node =
          TimelineExport.of(
              shown,
              headerStats.getText(),
              suggestions.list().getSelectionModel().getSelectedItem(),
              timelineModel,
              timeline.viewport(),
              Math.max(640, timeline.getWidth()),
              timelineModel.dark());
      // A node outside a scene gets no CSS or layout: a scene of its own gives it both.
      javafx.scene.Scene s = new javafx.scene.Scene(new javafx.scene.Group(node));
      s.getStylesheets().addAll(getStylesheets());
      node.applyCss();
      ((javafx.scene.Parent) node).layout();
      PngWriter.write(node, out);
      info("Exported the timeline to " + out);
    } catch (IOException | RuntimeException e) {
      error("Could not export the timeline: " + e.getMessage());
    }
  }

  private void askOpenCommand() {
    TextInputDialog d = new TextInputDialog(openCommand);
    d.setTitle("Open command");
    d.setHeaderText(
        "Command that opens a source line; {file} and {line} are replaced.\nUsed when IntelliJ IDEA does not answer on localhost:63342.");
    d.setContentText("Command:");
    d.showAndWait()
        .ifPresent(
            c -> {
              openCommand = c.trim();
              prefs.setOpenCommand(openCommand);
              info(
                  openCommand.isEmpty()
                      ? "Open command cleared"
                      : "Open command set: " + openCommand);
            });
  }

  private void installDragAndDrop() {
    setOnDragOver(
        e -> {
          if (e.getDragboard().hasFiles()) {
            e.acceptTransferModes(TransferMode.COPY);
          }
          e.consume();
        });
    setOnDragDropped(
        e -> {
          boolean ok = e.getDragboard().hasFiles();
          if (ok) {
            open(e.getDragboard().getFiles().stream().map(File::toPath).toList());
          }
          e.setDropCompleted(ok);
          e.consume();
        });
  }

  /** Loads files off the FX thread with a progress bar; the flows join the list when done. */
  public Task<FileLoader.Loaded> open(List<Path> files) {
    String names = FileLoader.sourceName(files);
    Task<FileLoader.Loaded> task =
        new Task<>() {
          @Override
          protected FileLoader.Loaded call() throws Exception {
            return FileLoader.load(
                files,
                p -> {
                  if (p < 0) {
                    updateMessage("Analysing " + names + "…");
                    updateProgress(-1, 1);
                  } else {
                    updateProgress(p, 1);
                  }
                });
          }
        };
    progress.progressProperty().bind(task.progressProperty());
    progress.setVisible(true);
    info("Loading " + names + "…");
    task.messageProperty().addListener((o, a, m) -> info(m));
    task.setOnSucceeded(
        e -> {
          endProgress();
          FileLoader.Loaded loaded = task.getValue();
          // Opened again: its flows replace those it gave before, not join them.
          if (store.sources().contains(names)) {
            store.clear(names);
          }
          List<String> warnings = loaded.read().warnings();
          setNotices(names, warnings.stream().filter(MainWindow::isInstallNotice).toList());
          store.addAll(names, loaded.flows());
          for (Path f : files) {
            prefs.addRecent(f);
          }
          String summary =
              names
                  + ": "
                  + loaded.read().flows().size()
                  + " flows, "
                  + loaded.read().spanCount()
                  + " spans"
                  + (warnings.isEmpty()
                      ? ""
                      : " (" + warnings.size() + " warnings: " + warnings.get(0) + ")");
          info("Opened " + summary + "; finding suggestions…");
          flowList.rebuild();
          flowList.selectFirstIfNone();
          analyse(names, loaded.read().flows(), summary);
        });
    task.setOnFailed(
        e -> {
          endProgress();
          Throwable t = task.getException();
          error("Could not open " + names + ": " + (t == null ? "unknown error" : t.getMessage()));
        });
    Thread t = new Thread(task, "reqflow-load");
    t.setDaemon(true);
    t.start();
    return task;
  }

  /** The full analysis runs after the flows are on screen: on huge flows it takes a while. */
  private void analyse(String source, List<Flow> flows, String summary) {
    Task<FileLoader.Analysed> task =
        new Task<>() {
          @Override
          protected FileLoader.Analysed call() {
            return FileLoader.analyseSplit(flows, maxCallsAtOnce);
          }
        };
    analysing++;
    task.setOnSucceeded(
        e -> {
          analysing--;
          FileLoader.Analysed done = task.getValue();
          if (!current(source, flows)) {
            return; // cleared or opened again meanwhile
          }
          List<Flow> big = done.deferred();
          store.setPending(source, big, true);
          store.addAll(source, done.reports());
          if (big.isEmpty()) {
            info("Opened " + summary);
          } else {
            info(
                "Opened "
                    + summary
                    + "; suggestions pending for "
                    + big.size()
                    + (big.size() == 1 ? " flow" : " flows")
                    + " over "
                    + FileLoader.MAX_CALLS_ANALYSED
                    + " calls");
            analyseDeferred(source, big, flows);
          }
        });
    task.setOnFailed(
        e -> {
          analysing--;
          error("Could not analyse " + summary + ": " + task.getException());
        });
    Thread t = new Thread(task, "reqflow-analyse");
    t.setDaemon(true);
    t.start();
  }

  /**
   * True while the store holds exactly these flows' source as loaded (not cleared nor re-opened).
   */
  private boolean current(String source, List<Flow> flows) {
    return !flows.isEmpty()
        && store.get(FlowStore.key(source, flows.get(0))) != null
        && store.get(FlowStore.key(source, flows.get(0))).flow() == flows.get(0);
  }

  /**
   * Huge flows' suggestions, one flow at a time after the others, with the file's flows as history:
   * what the report gives them. Each replaces its pending row when done.
   */
  private void analyseDeferred(String source, List<Flow> big, List<Flow> history) {
    analysing++;
    deferredRunner.execute(
        () -> {
          for (Flow f : big) {
            FlowReport r;
            try {
              r = FileLoader.analyseDeferred(f, history);
            } catch (RuntimeException ex) {
              Platform.runLater(() -> error("Could not analyse a flow of " + source + ": " + ex));
              r = null;
            }
            FlowReport done = r;
            Platform.runLater(
                () -> {
                  FlowReport now = store.get(FlowStore.key(source, f));
                  if (now != null && now.flow() == f) {
                    store.setPending(source, List.of(f), false);
                    if (done != null) {
                      store.addAll(source, List.of(done));
                    }
                  }
                });
          }
          Platform.runLater(() -> analysing--);
        });
  }

  /** Flows over this many calls are analysed after the others (see {@link FileLoader}). */
  private int maxCallsAtOnce = FileLoader.MAX_CALLS_ANALYSED;

  /** Runs the analysis of huge flows: a thread of low priority each time. */
  private java.util.concurrent.Executor deferredRunner =
      r -> {
        Thread t = new Thread(r, "reqflow-analyse-huge");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
      };

  /**
   * For tests: defer flows over {@code calls} calls, and run their analysis with {@code runner}.
   */
  void deferAnalysis(int calls, java.util.concurrent.Executor runner) {
    maxCallsAtOnce = calls;
    deferredRunner = runner;
  }

  /**
   * Removes a source's flows (every source's when null). Live flows are forgotten by the receiver
   * too, so that later spans of their traces do not bring them back.
   */
  public void clearSource(String source) {
    List<String> which = source == null ? store.sources() : List.of(source);
    for (String s : which) {
      if (s.equals(FlowStore.LIVE) && liveClearer != null) {
        liveClearer.accept(
            () ->
                Platform.runLater(
                    () -> {
                      incoming.clear();
                      liveWaiting.clear();
                      notices.remove(FlowStore.LIVE);
                      int n = store.clear(FlowStore.LIVE);
                      afterClear(FlowStore.LIVE, n);
                    }));
      } else {
        notices.remove(s);
        afterClear(s, store.clear(s));
      }
    }
  }

  private void afterClear(String source, int n) {
    if (shownKey != null && store.get(shownKey) == null) {
      show(null);
    }
    flowList.rebuild();
    flowList.selectFirstIfNone();
    info("Cleared " + source + ": " + n + (n == 1 ? " flow" : " flows"));
  }

  /**
   * How the receiver forgets live flows: called with what to do on its thread once it has (see
   * {@code OtlpReceiver.clear}).
   */
  public void setLiveClearer(java.util.function.Consumer<Runnable> clearer) {
    liveClearer = clearer;
  }

  /** True while a file's flows are still being analysed. */
  public boolean analysing() {
    return analysing > 0;
  }

  private void endProgress() {
    progress.progressProperty().unbind();
    progress.setVisible(false);
  }

  /** The receiver's sink: called on its thread, coalesced into one UI update per pulse. */
  public OtlpReceiver.Listener receiverListener() {
    return new OtlpReceiver.Listener() {
      @Override
      public void flows(List<FlowReport> changed) {
        incoming.add(changed);
        if (drainScheduled.compareAndSet(false, true)) {
          Platform.runLater(MainWindow.this::drainIncoming);
        }
      }

      @Override
      public void error(String message) {
        Platform.runLater(() -> MainWindow.this.error(message));
      }

      @Override
      public void notices(List<String> sentences) {
        Platform.runLater(() -> setNotices(FlowStore.LIVE, sentences));
      }
    };
  }

  /**
   * Sets what a source's recording says of itself first (see {@link #notices}): said in the status
   * bar when new, and above the suggestions of each flow of its service.
   */
  void setNotices(String source, List<String> sentences) {
    List<String> before = notices.getOrDefault(source, List.of());
    if (sentences.isEmpty()) {
      notices.remove(source);
    } else {
      notices.put(source, List.copyOf(sentences));
    }
    if (!sentences.isEmpty() && !sentences.equals(before)) {
      info(
          (source.equals(FlowStore.LIVE) ? "Live: " : source + ": ")
              + sentences.get(0)
              + (sentences.size() > 1 ? " (and " + (sentences.size() - 1) + " more)" : ""));
    }
    if (shown != null) {
      suggestions.setNotRecorded(noticesFor(shown.flow(), FlowStore.sourceOfGroup(shownKey)));
    }
  }

  /**
   * A source's notices that concern a flow: those of its service (core's sentences start with the
   * service's name) and those of processes that named none; all when the flow names none.
   */
  List<String> noticesFor(Flow f, String source) {
    List<String> all = notices.getOrDefault(source, List.of());
    if (all.isEmpty() || f.service().isEmpty()) {
      return all;
    }
    List<String> mine = new ArrayList<>(1);
    for (String n : all) {
      boolean unnamed = n.startsWith("the agent ") || n.startsWith("in ");
      if (unnamed || n.startsWith(f.service() + ": ")) {
        mine.add(n);
      }
    }
    return mine;
  }

  /**
   * True for the reader's warnings that say from when a process was recorded (core's
   * InstallNotices: "... (install=background): requests before then were not recorded ...").
   */
  static boolean isInstallNotice(String warning) {
    return warning.contains("(install=background): requests before then were not recorded");
  }

  /**
   * Live flows taken from the receiver and not yet in the store, by trace id: each batch holds
   * every published flow of the traces it touches, so a later batch's flows of a trace replace
   * those still waiting here.
   */
  private final java.util.LinkedHashMap<String, List<FlowReport>> liveWaiting =
      new java.util.LinkedHashMap<>();

  /**
   * Longest the FX thread spends putting live flows into the store in one go: a re-analysis can
   * change thousands of flows at once, and the rest waits for the next runnable, so that clicks and
   * pulses come between.
   */
  static final long STORE_SLICE_NANOS = 4_000_000;

  /** Flows put into the store at a time, between looks at the clock. */
  static final int STORE_CHUNK = 128;

  private void drainIncoming() {
    drainScheduled.set(false);
    List<FlowReport> batch;
    while ((batch = incoming.poll()) != null) {
      java.util.Map<String, List<FlowReport>> byTrace = new java.util.LinkedHashMap<>();
      for (FlowReport r : batch) {
        byTrace.computeIfAbsent(r.flow().traceId(), t -> new ArrayList<>(1)).add(r);
      }
      for (java.util.Map.Entry<String, List<FlowReport>> e : byTrace.entrySet()) {
        liveWaiting.remove(e.getKey());
        liveWaiting.put(e.getKey(), e.getValue());
      }
    }
    FxWork work = FxWork.begin("live flows into the store");
    long until = System.nanoTime() + STORE_SLICE_NANOS;
    int stored = 0;
    java.util.Iterator<List<FlowReport>> waiting = liveWaiting.values().iterator();
    do {
      List<FlowReport> chunk = new ArrayList<>(STORE_CHUNK);
      while (waiting.hasNext() && chunk.size() < STORE_CHUNK) {
        chunk.addAll(waiting.next());
        waiting.remove();
      }
      store.replaceTraces(FlowStore.LIVE, chunk);
      stored += chunk.size();
    } while (waiting.hasNext() && System.nanoTime() < until);
    work.end(stored);
    if (!liveWaiting.isEmpty() && drainScheduled.compareAndSet(false, true)) {
      Platform.runLater(this::drainIncoming);
    }
    if (statusBar.getStyleClass().contains(ERROR_STYLE_CLASS) && stored > 0) {
      // an error stays until something works again: flows arriving do
      info("Receiving flows: " + stored + (stored == 1 ? " flow" : " flows") + " updated");
    }
    if (shown == null && stored > 0) {
      flowList.rebuild();
      flowList.selectFirstIfNone();
    }
  }

  public void setReceiverText(String text) {
    receiverLabel.setText(text);
  }

  private void storeChanged() {
    // Live batches come many times a second: only one touching the shown flow's trace (it, its
    // callees, its caller: all of one trace) can change what is drawn.
    if (shown != null && store.changedTrace(shown.flow().traceId())) {
      FlowReport latest = store.get(shownKey);
      if (latest != null && (latest != shown || pendingShown != store.pending(latest))) {
        show(latest);
      } else if (latest != null && calleesChanged()) {
        // A called service's flow came after its caller's (live, or another file opened): drawn
        // inside its call now, the zoom kept.
        show(latest);
      }
    }
  }

  /** True when the store's callees of the shown flow are no longer those drawn. */
  private boolean calleesChanged() {
    java.util.Map<String, FlowReport> before = callees;
    FlowReport up = caller;
    findCallees(shown.flow(), FlowStore.sourceOfGroup(shownKey));
    boolean changed = !sameReports(before, callees) || up != caller;
    callees = before;
    caller = up;
    return changed;
  }

  private static boolean sameReports(
      java.util.Map<String, FlowReport> a, java.util.Map<String, FlowReport> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (java.util.Map.Entry<String, FlowReport> e : a.entrySet()) {
      if (b.get(e.getKey()) != e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** What reqflow did not see of the flow's endpoint, when more than this one flow is in it. */
  private String endpointNotSeen(Flow f) {
    String source = shownKey == null ? FlowStore.LIVE : FlowStore.sourceOfGroup(shownKey);
    String group = FlowStore.group(source, FlowStore.endpoint(f));
    if (store.groupSize(group) < 2) {
      return "";
    }
    // The list's figures of the endpoint say it: kept while its flows are unchanged, and those of
    // a big live endpoint computed off this thread.
    return flowList.endpointStats(group).notSeen();
  }

  /** Shows a flow on the timeline and its suggestions beside it. */
  public void show(FlowReport report) {
    FxWork work = FxWork.begin("flow shown");
    showFlow(report);
    work.end(report == null ? 0 : report.flow().calls().size());
  }

  private void showFlow(FlowReport report) {
    String key = report == null ? null : store.keyOf(report);
    // The same flow again (re-posted, re-analysed, its suggestions in): the zoom stays.
    boolean again = key != null && key.equals(shownKey);
    shown = report;
    shownKey = key;
    pendingShown = report != null && store.pending(report);
    suggestions.setPending(pendingShown);
    detailsFor = null;
    details.clear();
    if (report == null) {
      timelineModel.setFlow(null);
      suggestions.setReport(null);
      suggestions.setNotRecorded(List.of());
      suggestions.setNotSeen(null, "");
      suggestions.setStalled(null);
      header.setText("No flow selected");
      header.setTooltip(null);
      headerStats.setText("");
      return;
    }
    Flow f = report.flow();
    TimelineModel.SpanRef keep = again ? sameSpan(timelineModel.selected(), f) : null;
    findCallees(f, FlowStore.sourceOfGroup(key));
    timelineModel.setFlow(f, calleeFlows());
    if (!again) {
      timeline.refit();
    } else if (keep != null) {
      timelineModel.select(keep);
    }
    timelineModel.setCritical(SuggestionText.criticalSpans(report.criticalPath()));
    suggestions.setReport(report);
    if (!again && timelineModel.whatIf() != null) {
      timeline.fit(); // the what-if's end too, when later than the flow's
    }
    suggestions.setNotRecorded(noticesFor(f, FlowStore.sourceOfGroup(key)));
    suggestions.setNotSeen(report, endpointNotSeen(f));
    suggestions.setStalled(report);
    long blocked = report.criticalPath().blockedNanos();
    // The blocked total is what the timeline is about: it never gives way to a long name.
    // Written as the flow list and the suggestions write durations (432 ms, not 431.7 ms): the
    // figures are never cut, so every digit they spare is the flow's name's.
    String stats =
        Durations.format(f.durationNanos())
            + ", blocked "
            + Durations.format(blocked)
            + " ("
            + Math.round(f.durationNanos() == 0 ? 0 : 100.0 * blocked / f.durationNanos())
            + "%), "
            + f.calls().size()
            + (f.calls().size() == 1 ? " call" : " calls");
    String note = flowList.selectionNote(report);
    if (!note.isEmpty()) {
      stats += " · " + note;
    }
    if (f.inProgress()) {
      stats += f.stalled() ? " · STALLED: not ended at its snapshot" : " · not ended";
    } else if (f.stalledThenEnded()) {
      stats += " · STALLED, then ended";
    }
    if (!f.waitsRecorded()) {
      stats += " · no waits recorded (not the reqflow agent)";
    }
    // Which calls continue in other services: on the header's hover only, since the timeline
    // draws each under its call (a row named after the service) and the figures beside the name
    // are never cut, so that a long note would leave the name no room at 1024 px.
    String across = "";
    if (!callees.isEmpty()) {
      java.util.Set<String> services = new java.util.TreeSet<>();
      for (FlowReport r : callees.values()) {
        services.add(dev.reqflow.analysis.AcrossServices.service(r.flow()));
      }
      int n = callees.size();
      across =
          "\n"
              + n
              + (n == 1 ? " call continues in " : " calls continue in ")
              + (services.size() == 1
                  ? services.iterator().next()
                  : services.size() + " other services")
              + (n == 1 ? ", drawn under it" : ", drawn under them")
              + " (double-click to open)";
    }
    if (caller != null) {
      stats += " · called by " + caller.flow().service() + "'s " + caller.flow().name();
    }
    String name = f.name() + (f.service().isEmpty() ? "" : "  ·  " + f.service());
    header.setText(name);
    header.setTooltip(new Tooltip(name + "\n" + stats + across));
    headerStats.setText(stats);
    if (!f.warnings().isEmpty()) {
      info("This flow was repaired: " + String.join("; ", f.warnings()));
    }
  }

  /** The selected span in a newer version of the shown flow (found by span id), or null. */
  private TimelineModel.SpanRef sameSpan(TimelineModel.SpanRef ref, Flow newer) {
    Flow older = timelineModel.flow();
    if (ref == null || older == null) {
      return null;
    }
    if (!ref.isCall()) {
      return ref;
    }
    if (ref.callIndex() >= older.calls().size()) {
      return null;
    }
    String id = older.calls().get(ref.callIndex()).spanId();
    for (int i = 0; i < newer.calls().size(); i++) {
      if (newer.calls().get(i).spanId().equals(id)) {
        return TimelineModel.SpanRef.call(i);
      }
    }
    return null;
  }

  private void updateDetails() {
    TimelineModel.SpanRef sel = timelineModel.selected();
    if (Objects.equals(sel, detailsFor)) {
      return;
    }
    detailsFor = sel;
    if (sel == null) {
      details.clear();
      return;
    }
    String url = "";
    if (sel.isCall()) {
      Call c = timelineModel.flow().calls().get(sel.callIndex());
      url = "URL: " + (c.url().isEmpty() ? c.hostPort() : c.url()) + "\n";
    }
    CodeWrap.setText(details, url + TimelineView.describe(timelineModel.layout(), sel));
    // A row picked in the spans table stays in view; a click on the timeline shows its details.
    if (suggestions.selectedTab() != spansTab) {
      suggestions.selectTab(detailsTab);
    }
  }

  /**
   * The flows of the store below a call of {@code f} (same trace, parent = the call's span), and
   * the flow whose call {@code f} continues: lookups in the store's indexes by parent span and by
   * trace, so that showing a flow costs its calls, not the store. Of several flows below one call
   * (the same trace in two sources), the one of {@code f}'s source, then the first to start.
   */
  /** The flows of {@link #callees} by call span id, for the timeline to draw inside the calls. */
  private java.util.Map<String, Flow> calleeFlows() {
    java.util.Map<String, Flow> out = new java.util.HashMap<>();
    callees.forEach((span, r) -> out.put(span, r.flow()));
    return out;
  }

  private void findCallees(Flow f, String source) {
    java.util.Map<String, FlowReport> found = new java.util.HashMap<>();
    for (Call c : f.calls()) {
      for (FlowReport r : store.childrenOf(f.traceId(), c.spanId())) {
        if (r.flow() != f) {
          found.merge(c.spanId(), r, (a, b) -> preferred(a, b, source));
        }
      }
    }
    FlowReport up = null;
    if (!f.parentSpanId().isEmpty()) {
      for (FlowReport r : store.flowsOfTrace(f.traceId())) {
        if (r.flow() != f
            && r.flow().call(f.parentSpanId()) != null
            && (up == null || preferred(up, r, source) == r)) {
          up = r;
        }
      }
    }
    callees = found;
    caller = up;
  }

  private FlowReport preferred(FlowReport a, FlowReport b, String source) {
    boolean aHere = source.equals(store.sourceOf(a));
    boolean bHere = source.equals(store.sourceOf(b));
    if (aHere != bHere) {
      return aHere ? a : b;
    }
    return a.flow().startNanos() <= b.flow().startNanos() ? a : b;
  }

  /**
   * Opens the call site of a call, or the waiting line of a block, off the FX thread; a call whose
   * callee flow is known opens that flow instead.
   */
  public void jumpToSource(TimelineModel.SpanRef ref) {
    Flow f = timelineModel.flow();
    if (ref == null || f == null) {
      info("Select a call or a blocked segment first");
      return;
    }
    CodeLocation site = null;
    if (ref.isCall()) {
      Call call = f.calls().get(ref.callIndex());
      FlowReport callee = callees.get(call.spanId());
      if (callee != null) {
        show(callee);
        info(
            "Showing the flow "
                + dev.reqflow.analysis.AcrossServices.service(callee.flow())
                + " ran for "
                + call.label()
                + " of "
                + f.name());
        return;
      }
      site = call.callSite();
    } else {
      for (Block b : f.blocks()) {
        if (b.spanId().equals(ref.blockId())) {
          site = b.site();
        }
      }
    }
    if (site == null) {
      return;
    }
    CodeLocation where = site;
    SourceOpener opener = new SourceOpener(SourceOpener.IDEA_BASE, openCommand);
    info("Opening " + where.label() + "…");
    Thread t =
        new Thread(
            () -> {
              String msg = opener.open(where);
              Platform.runLater(
                  () -> {
                    if (msg.startsWith("Opened")) {
                      info(msg);
                    } else {
                      error(msg);
                    }
                  });
            },
            "reqflow-open-source");
    t.setDaemon(true);
    t.start();
  }

  public void info(String message) {
    // The text first: whoever sees the error's colour go sees the message that cleared it.
    status.setText(message);
    statusBar.getStyleClass().remove(ERROR_STYLE_CLASS);
  }

  public void error(String message) {
    if (!statusBar.getStyleClass().contains(ERROR_STYLE_CLASS)) {
      statusBar.getStyleClass().add(ERROR_STYLE_CLASS);
    }
    status.setText(message);
  }

  public void setDark(boolean dark) {
    darkItem.setSelected(dark);
    prefs.setDark(dark);
    timelineModel.setDark(dark);
    legend.update(timelineModel.palette());
    String css = Objects.requireNonNull(MainWindow.class.getResource("dark.css")).toExternalForm();
    if (dark) {
      if (!getStylesheets().contains(css)) {
        getStylesheets().add(css);
      }
    } else {
      getStylesheets().remove(css);
    }
  }

  /** A scene for this window at the given size; the flow list takes its share of the width. */
  public Scene scene(double w, double h) {
    Scene scene = new Scene(this, w, h);
    main.setDividerPositions(flowListWidth(w) / w);
    return scene;
  }

  /** The flow list's first width in a window {@code w} wide: the timeline gets the rest. */
  static double flowListWidth(double w) {
    return Math.max(FLOWS_MIN, Math.min(FLOWS_MAX, w * FLOWS_SHARE));
  }

  /** True when the flow list is in the window (not folded away). */
  public boolean flowListShown() {
    return main.getItems().contains(flowList);
  }

  /** True when the suggestions pane is in the window (not folded away). */
  public boolean suggestionsShown() {
    return center.getItems().contains(suggestions);
  }

  /** Folds the flow list away or brings it back at the width it had. */
  public void setFlowListShown(boolean on) {
    flowsItem.setSelected(on);
  }

  /** Folds the suggestions pane away or brings it back at the height it had. */
  public void setSuggestionsShown(boolean on) {
    suggestionsItem.setSelected(on);
  }

  private void showFlowList(boolean on) {
    flowsToggle.setText(on ? "◀" : "▶ Flows");
    if (on == flowListShown()) {
      return;
    }
    if (on) {
      main.getItems().add(0, flowList);
      double w = main.getWidth() > 0 ? main.getWidth() : flowListWidth(1024);
      main.setDividerPositions(flowsDivider > 0 ? flowsDivider : flowListWidth(w) / w);
    } else {
      flowsDivider = main.getDividerPositions()[0];
      main.getItems().remove(flowList);
    }
  }

  private void showSuggestions(boolean on) {
    if (on == suggestionsShown()) {
      return;
    }
    if (on) {
      center.getItems().add(suggestions);
      center.setDividerPositions(suggestionsDivider);
    } else {
      suggestionsDivider = center.getDividerPositions()[0];
      center.getItems().remove(suggestions);
    }
  }

  /** The flow's name above the timeline; its full text is in the tooltip when cut. */
  public Label header() {
    return header;
  }

  /** Duration, blocked time and calls of the shown flow, beside its name. */
  public Label headerStats() {
    return headerStats;
  }
}
