package dev.reqflow.viewer.flows;

import dev.reqflow.analysis.Blindness;
import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.viewer.timeline.TextWidth;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/**
 * The flow list: endpoints with their stats, each expandable to its flows; a filter field above.
 * Rebuilt from the store at most once per pulse, keeping expansion and selection.
 */
public final class FlowListView extends VBox {
  public static final String STYLE_CLASS = "reqflow-flow-list";
  public static final String TABLE_STYLE_CLASS = "reqflow-flow-table";
  public static final String FILTER_STYLE_CLASS = "reqflow-flow-filter";

  /** The choice of source shown: every source, live, or one opened file. */
  public static final String SOURCE_FILTER_STYLE_CLASS = "reqflow-source-filter";

  /** The button that removes the chosen source's flows. */
  public static final String CLEAR_SOURCE_STYLE_CLASS = "reqflow-clear-source";

  /** The source filter's entry for every source. */
  public static final String ALL_SOURCES = "All sources";

  /** The marker on a row whose flows reqflow did not see whole; its tooltip says what. */
  public static final String NOT_SEEN_MARKER_STYLE_CLASS = "reqflow-not-seen-marker";

  /**
   * The marker on a row whose flows had not ended (a page that hung, a deadlock); its tooltip says
   * how long it was open, its deadlock and what its threads waited on.
   */
  public static final String STALLED_MARKER_STYLE_CLASS = "reqflow-stalled-marker";

  /**
   * The name cell's value: the row's name, what reqflow did not see of it, and what of it had not
   * ended ({@code ""} each when nothing).
   */
  public record Named(String name, String notSeen, String stalled, String source) {
    public Named(String name, String notSeen, String stalled) {
      this(name, notSeen, stalled, "");
    }
  }

  /**
   * The line above the list that says once the part every endpoint's name shares ({@code Endpoints:
   * GET /home?strategy=…}); hidden when they share none.
   */
  public static final String SHARED_PREFIX_STYLE_CLASS = "reqflow-shared-prefix";

  /** The tag on an endpoint row naming its source, when sources are listed together. */
  public static final String SOURCE_TAG_STYLE_CLASS = "reqflow-source-tag";

  /**
   * A row: an endpoint (stats set) or one of its flows (report set), of a source ({@link
   * FlowStore#LIVE} or a file's name); {@code group} is the endpoint row's id in the store.
   */
  public record Item(EndpointStats stats, FlowReport report, String source, String group) {
    public String name() {
      return stats != null ? stats.name() : flowLabel(report);
    }

    /** What reqflow did not see of this endpoint or flow, first; {@code ""} when nothing. */
    public String notSeen() {
      return stats != null ? stats.notSeen() : Blindness.sentence(report.flow());
    }

    /**
     * What of this endpoint or flow had not ended when its trace was written: the flow's headline
     * and deadlocks, or how many of the endpoint's flows; {@code ""} when all ended.
     */
    public String stalled() {
      if (stats != null) {
        return stats.stalled();
      }
      return StalledText.of(report.flow());
    }
  }

  static final double REBUILD_MILLIS = 250;

  private final FlowStore store;
  private final TextField filter = new TextField();
  private final javafx.scene.control.ComboBox<String> sourceFilter =
      new javafx.scene.control.ComboBox<>();
  private final javafx.scene.control.Button clearSource = new javafx.scene.control.Button("Clear");
  private java.util.function.Consumer<String> onClear = s -> {};
  private final TreeTableView<Item> table = new TreeTableView<>();
  private final Label empty = new Label("No flows yet");
  private final Label sharedPrefix = new Label();
  private Consumer<FlowReport> onSelect = r -> {};
  private boolean rebuilding;
  private boolean scheduled;

  /** The flow last handed to {@link #setOnSelect}'s handler: what the timeline draws. */
  private String shownKey;

  /** True while the list, not the user, selects (see {@link #selectFirstIfNone}). */
  private boolean picking;

  /**
   * True while the selection is the list's own pick and the user has chosen nothing since: flows
   * still arriving then move it to the slowest endpoint's median as it changes, so that a live
   * session (the demo) ends up on that median, not on the first page to arrive (a warm-up).
   */
  private boolean following;

  /** The endpoint row the list expanded for its own pick, or null. */
  private TreeItem<Item> autoExpanded;

  /**
   * Computes the figures of big endpoints off the FX thread: one daemon thread, started when first
   * needed.
   */
  private static final java.util.concurrent.Executor STATS_THREAD =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "reqflow-endpoint-stats");
            t.setDaemon(true);
            return t;
          });

  private final EndpointStatsCache statsCache =
      new EndpointStatsCache(
          STATS_THREAD, javafx.application.Platform::runLater, this::scheduleRebuild);

  /**
   * The figures of a group (a source's endpoint) as its row shows them: current, or, for an
   * endpoint of thousands of flows, those of a moment ago while the current are computed.
   */
  public EndpointStats endpointStats(String group) {
    return statsCache.get(store, group, FlowStore.endpointOfGroup(group));
  }

  public FlowListView(FlowStore store) {
    this.store = store;
    getStyleClass().add(STYLE_CLASS);
    table.getStyleClass().add(TABLE_STYLE_CLASS);
    filter.getStyleClass().add(FILTER_STYLE_CLASS);
    filter.setPromptText("Filter endpoints");
    filter.textProperty().addListener((o, a, b) -> rebuild());
    table.setShowRoot(false);
    table.setRoot(new TreeItem<>());
    table.setPlaceholder(empty);
    table.setColumnResizePolicy(TreeTableView.UNCONSTRAINED_RESIZE_POLICY);
    table.getColumns().addAll(columns());
    table.widthProperty().addListener((o, a, w) -> fitColumns(w.doubleValue()));
    table
        .getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, item) -> {
              if (rebuilding || item == null) {
                return;
              }
              if (!picking) {
                following = false; // the user chose: the list stops choosing for them
              }
              FlowReport r = reportOf(item);
              if (r != null) {
                shownKey = store.keyOf(r);
                onSelect.accept(r);
              }
            });
    VBox.setVgrow(table, Priority.ALWAYS);
    setSpacing(4);
    sourceFilter.getStyleClass().add(SOURCE_FILTER_STYLE_CLASS);
    sourceFilter.getItems().add(ALL_SOURCES);
    sourceFilter.setValue(ALL_SOURCES);
    sourceFilter.setMaxWidth(Double.MAX_VALUE);
    sourceFilter.setMinWidth(60);
    sourceFilter.setTooltip(
        new Tooltip("Which flows are listed: live (received over OTLP), an opened file, or all"));
    // Another source chosen: the drawn flow becomes one of its flows (the slowest endpoint's
    // median) unless it is one already.
    sourceFilter
        .valueProperty()
        .addListener(
            (o, a, b) -> {
              rebuild();
              if (table.getSelectionModel().getSelectedItem() == null) {
                selectFirstIfNone();
              }
            });
    clearSource.getStyleClass().add(CLEAR_SOURCE_STYLE_CLASS);
    clearSource.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    clearSource.setTooltip(
        new Tooltip("Remove the chosen source's flows (every source's when All sources)"));
    clearSource.setOnAction(e -> onClear.accept(chosenSource()));
    javafx.scene.layout.HBox.setHgrow(sourceFilter, Priority.ALWAYS);
    javafx.scene.layout.HBox sourceBox = new javafx.scene.layout.HBox(4, sourceFilter, clearSource);
    sharedPrefix.getStyleClass().add(SHARED_PREFIX_STYLE_CLASS);
    sharedPrefix.setMinWidth(0);
    sharedPrefix.setMaxWidth(Double.MAX_VALUE);
    sharedPrefix.setVisible(false);
    sharedPrefix.managedProperty().bind(sharedPrefix.visibleProperty());
    getChildren().addAll(filter, sourceBox, sharedPrefix, table);
    store.addListener(this::scheduleRebuild);
  }

  public void setOnSelect(Consumer<FlowReport> handler) {
    onSelect = handler;
  }

  public TreeTableView<Item> table() {
    return table;
  }

  public TextField filter() {
    return filter;
  }

  /**
   * The line above the list saying the part every endpoint listed shares; not visible when none is
   * shared.
   */
  public Label sharedPrefixLabel() {
    return sharedPrefix;
  }

  /** The source chooser above the list. */
  public javafx.scene.control.ComboBox<String> sourceFilter() {
    return sourceFilter;
  }

  /** The source chosen above the list; null for every source. */
  public String chosenSource() {
    String v = sourceFilter.getValue();
    return v == null || v.equals(ALL_SOURCES) ? null : v;
  }

  /** Called with the chosen source (null: all) when the user clears it. */
  public void setOnClear(java.util.function.Consumer<String> handler) {
    onClear = handler;
  }

  /** The button that clears the chosen source. */
  public javafx.scene.control.Button clearButton() {
    return clearSource;
  }

  /**
   * Keeps the source chooser's entries those of the store, the chosen one kept while it has flows.
   */
  private boolean syncSources() {
    List<String> want = new java.util.ArrayList<>();
    want.add(ALL_SOURCES);
    want.addAll(store.sources());
    if (!sourceFilter.getItems().equals(want)) {
      String chosen = sourceFilter.getValue();
      sourceFilter.getItems().setAll(want);
      sourceFilter.setValue(want.contains(chosen) ? chosen : ALL_SOURCES);
      return true;
    }
    return false;
  }

  /**
   * Flows may arrive many times a second; the list follows at most every {@link #REBUILD_MILLIS}
   * ms, and at most a fifth of the time, since rebuilding its rows costs the FX thread more than
   * anything else during ingest.
   */
  private void scheduleRebuild() {
    if (!scheduled) {
      scheduled = true;
      // A rebuild that took long (thousands of rows changed, a loaded machine) waits longer for
      // the next: the list takes at most a fifth of the FX thread while flows pour in.
      double millis = Math.max(REBUILD_MILLIS, 4 * lastRebuildNanos / 1e6);
      javafx.animation.PauseTransition wait =
          new javafx.animation.PauseTransition(javafx.util.Duration.millis(millis));
      wait.setOnFinished(
          e -> {
            scheduled = false;
            rebuild();
          });
      wait.play();
    }
  }

  /**
   * Brings the rows up to date with the store. Rows are kept and updated rather than made anew, so
   * that a list receiving flows live keeps its cells, selection and expansion, and the table only
   * redoes what changed.
   */
  public void rebuild() {
    dev.reqflow.viewer.profiling.FxWork work =
        dev.reqflow.viewer.profiling.FxWork.begin("flow list rebuilt");
    long t0 = System.nanoTime();
    rebuildRows();
    lastRebuildNanos = System.nanoTime() - t0;
    work.end(store.size());
  }

  /** How long the last rebuild took: the next scheduled one waits four times that, at least. */
  private long lastRebuildNanos;

  private void rebuildRows() {
    if (syncSources()) {
      fitColumns(table.getWidth());
    }
    updateNames();
    rebuilding = true;
    try {
      TreeItem<Item> selected = table.getSelectionModel().getSelectedItem();
      String selectedKey =
          selected != null && selected.getValue() != null && selected.getValue().report() != null
              ? store.keyOf(selected.getValue().report())
              : null;
      dev.reqflow.viewer.profiling.FxWork stats =
          dev.reqflow.viewer.profiling.FxWork.begin("endpoint rows and stats");
      List<FlowListModel.Group> groups =
          FlowListModel.groups(
              store,
              filter.getText(),
              chosenSource(),
              (group, endpoint) -> statsCache.get(store, group, endpoint));
      stats.end(groups.size());
      java.util.Map<String, TreeItem<Item>> endpoints = new java.util.HashMap<>();
      for (TreeItem<Item> e : table.getRoot().getChildren()) {
        endpoints.put(e.getValue().group(), e);
      }
      java.util.Map<FlowReport, TreeItem<Item>> flows = new java.util.IdentityHashMap<>();
      for (TreeItem<Item> e : table.getRoot().getChildren()) {
        for (TreeItem<Item> f : e.getChildren()) {
          flows.put(f.getValue().report(), f);
        }
      }
      List<TreeItem<Item>> rows = new java.util.ArrayList<>(groups.size());
      for (FlowListModel.Group g : groups) {
        TreeItem<Item> e = endpoints.get(g.group());
        if (e == null) {
          e = new TreeItem<>();
          e.setExpanded(groups.size() == 1);
          if (groups.size() == 1) {
            autoExpanded = e; // opened by the list, not the user: it closes when the pick moves
          }
        }
        e.setValue(new Item(g.stats(), null, g.source(), g.group()));
        List<TreeItem<Item>> children = new java.util.ArrayList<>(g.flows().size());
        for (FlowReport r : g.flows()) {
          TreeItem<Item> f = flows.get(r);
          if (f == null) {
            f = new TreeItem<>(new Item(null, r, g.source(), g.group()));
          }
          children.add(f);
          if (selectedKey != null && selectedKey.equals(store.keyOf(r))) {
            selected = f;
          }
        }
        if (!sameItems(e.getChildren(), children)) {
          e.getChildren().setAll(children);
        }
        rows.add(e);
      }
      if (!sameItems(table.getRoot().getChildren(), rows)) {
        table.getRoot().getChildren().setAll(rows);
      }
      if (!table.getSortOrder().isEmpty()) {
        table.sort();
      }
      // a row no longer listed (another source chosen, its source cleared) is not selected
      if (selected != null && !listed(selected, rows)) {
        table.getSelectionModel().clearSelection();
        selected = null;
      }
      // a flow re-analysed or re-assembled is a new row: keep it selected
      if (selected != null && table.getSelectionModel().getSelectedItem() != selected) {
        table.getSelectionModel().select(selected);
      }
    } finally {
      rebuilding = false;
    }
    reconcile();
    if (following) {
      pickSlowestMedian();
    }
  }

  /** Stops moving the selection as flows arrive: the user looked at something (see following). */
  public void stopFollowing() {
    following = false;
  }

  /** True while the selection is the list's own pick, which follows the flows arriving. */
  public boolean following() {
    return following;
  }

  /**
   * Keeps the highlighted row and the drawn flow the same after the rows changed: rows replaced
   * under a selection can leave it on another row (or none) without a selection event, since events
   * are muted while rebuilding. The drawn flow's row is selected again when it is still listed;
   * else the flow of whatever row is selected is drawn.
   */
  private void reconcile() {
    TreeItem<Item> sel = table.getSelectionModel().getSelectedItem();
    FlowReport selReport = reportOf(sel);
    if (selReport != null && store.keyOf(selReport).equals(shownKey)) {
      return;
    }
    TreeItem<Item> shownRow = shownKey == null ? null : rowOf(shownKey, sel);
    if (shownRow != null) {
      rebuilding = true;
      try {
        table.getSelectionModel().select(shownRow);
      } finally {
        rebuilding = false;
      }
    } else if (selReport != null) {
      shownKey = store.keyOf(selReport);
      onSelect.accept(selReport);
    }
  }

  /**
   * The row showing the flow {@code key}: its own row, or the selected endpoint row when that
   * endpoint's median is the flow.
   */
  private TreeItem<Item> rowOf(String key, TreeItem<Item> selected) {
    if (selected != null && selected.getValue() != null && selected.getValue().stats() != null) {
      FlowReport median = reportOf(selected);
      if (median != null && store.keyOf(median).equals(key)) {
        return selected;
      }
    }
    for (TreeItem<Item> e : table.getRoot().getChildren()) {
      for (TreeItem<Item> f : e.getChildren()) {
        if (store.keyOf(f.getValue().report()).equals(key)) {
          return f;
        }
      }
    }
    return null;
  }

  /**
   * The flow a row stands for: a flow row's own, or an endpoint row's median flow (the one whose
   * duration is nearest the endpoint's p50); null for none.
   */
  static FlowReport reportOf(TreeItem<Item> row) {
    if (row == null || row.getValue() == null) {
      return null;
    }
    Item it = row.getValue();
    if (it.report() != null) {
      return it.report();
    }
    FlowReport best = null;
    long p50 = it.stats().p50Nanos();
    for (TreeItem<Item> f : row.getChildren()) {
      FlowReport r = f.getValue().report();
      if (best == null
          || Math.abs(r.flow().durationNanos() - p50)
              < Math.abs(best.flow().durationNanos() - p50)) {
        best = r;
      }
    }
    return best;
  }

  /** The flow the selected row stands for (see {@link #reportOf}); null when none is selected. */
  public FlowReport selectedReport() {
    return reportOf(table.getSelectionModel().getSelectedItem());
  }

  /**
   * What the header says of how the shown flow was chosen: {@code median of 4} (the endpoint's
   * flows) when an endpoint row is selected and {@code report} is its median flow; {@code ""}
   * otherwise.
   */
  public String selectionNote(FlowReport report) {
    TreeItem<Item> sel = table.getSelectionModel().getSelectedItem();
    if (report == null || sel == null || sel.getValue() == null || sel.getValue().stats() == null) {
      return "";
    }
    FlowReport median = reportOf(sel);
    if (median == null || !store.keyOf(median).equals(store.keyOf(report))) {
      return "";
    }
    int n = sel.getValue().stats().count();
    return "median of " + n;
  }

  /** True when a row is one of {@code rows} or under one of them. */
  private static boolean listed(TreeItem<Item> row, List<TreeItem<Item>> rows) {
    for (TreeItem<Item> e : rows) {
      if (e == row || (row.getParent() == e && e.getChildren().contains(row))) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameItems(List<TreeItem<Item>> a, List<TreeItem<Item>> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Selects the median flow of the first endpoint whose name contains {@code text} (ignoring case);
   * false when none does.
   */
  public boolean selectEndpoint(String text) {
    String t = text.toLowerCase(java.util.Locale.ROOT);
    for (TreeItem<Item> endpoint : table.getRoot().getChildren()) {
      if (endpoint.getValue().name().toLowerCase(java.util.Locale.ROOT).contains(t)
          && !endpoint.getChildren().isEmpty()) {
        endpoint.setExpanded(true);
        FlowReport median = reportOf(endpoint);
        for (TreeItem<Item> f : endpoint.getChildren()) {
          if (f.getValue().report() == median) {
            table.getSelectionModel().select(f);
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Selects the median flow of the slowest endpoint (by median), if nothing is selected: that is
   * where a user looks first, and its median flow is what a page of it typically does. Until the
   * user chooses a row or looks into the flow ({@link #stopFollowing}), flows arriving move the
   * selection to that median as it changes.
   */
  public void selectFirstIfNone() {
    if (table.getSelectionModel().getSelectedItem() != null) {
      return;
    }
    following = true;
    pickSlowestMedian();
  }

  /** Selects the median flow of the slowest endpoint (by median) unless it is selected already. */
  private void pickSlowestMedian() {
    TreeItem<Item> slowest = null;
    for (TreeItem<Item> endpoint : table.getRoot().getChildren()) {
      if (!endpoint.getChildren().isEmpty()
          && (slowest == null || p50(endpoint.getValue()) > p50(slowest.getValue()))) {
        slowest = endpoint;
      }
    }
    if (slowest == null) {
      return;
    }
    FlowReport median = reportOf(slowest);
    FlowReport now = selectedReport();
    if (now != null && store.keyOf(now).equals(store.keyOf(median))) {
      return;
    }
    // Its own moves, the collapse of the endpoint it opened before included (which moves the
    // selection off a hidden row), are the list's, not the user's choice.
    picking = true;
    try {
      // The endpoint the list opened for its previous pick closes again: only one stays open.
      if (autoExpanded != null && autoExpanded != slowest) {
        autoExpanded.setExpanded(false);
        autoExpanded = null;
      }
      if (!slowest.isExpanded()) {
        slowest.setExpanded(true);
        autoExpanded = slowest;
      }
      for (TreeItem<Item> f : slowest.getChildren()) {
        if (f.getValue().report() == median) {
          table.getSelectionModel().select(f);
          table.scrollTo(Math.max(0, table.getRow(f) - 3));
          break;
        }
      }
    } finally {
      picking = false;
    }
  }

  private List<TreeTableColumn<Item, ?>> columns() {
    TreeTableColumn<Item, Named> name = new TreeTableColumn<>();
    header(name, NAME_HEADER, NAME_TIP);
    nameHeader = (Label) name.getGraphic();
    name.setPrefWidth(170);
    name.setCellValueFactory(
        c -> {
          Item it = c.getValue().getValue();
          // Endpoint rows of several sources say whose they are, in the name when the source
          // column has no room.
          String tag =
              it.stats() != null
                      && store.sources().size() > 1
                      && (sourceColumn == null || !sourceColumn.isVisible())
                  ? it.source()
                  : "";
          return new ReadOnlyObjectWrapper<>(new Named(it.name(), it.notSeen(), it.stalled(), tag));
        });
    name.setComparator(java.util.Comparator.comparing(Named::name));
    // Endpoints of one service share their start (GET /home?strategy=...): cut the start, not the
    // end that tells them apart, and show the whole name on hover. A row reqflow did not see whole
    // gets a marker, and what it did not see on hover.
    name.setCellFactory(
        col ->
            new TreeTableCell<>() {
              private final CellTip tip = new CellTip();

              @Override
              protected void updateItem(Named n, boolean isEmpty) {
                super.updateItem(n, isEmpty);
                setTextOverrun(OverrunStyle.LEADING_ELLIPSIS);
                // The part every endpoint shares is above the list: the row keeps what differs.
                setText(isEmpty || n == null ? null : EndpointNames.shown(n.name(), namePrefix));
                if (isEmpty || n == null) {
                  setGraphic(null);
                  setTooltip(null);
                  return;
                }
                Item it = getTableRow() == null ? null : getTableRow().getItem();
                String head = n.name() + statsLine(it);
                String text;
                double width;
                if (!n.stalled().isEmpty()) {
                  // A flow that hung comes before what reqflow did not see.
                  Label marker = new Label("stalled");
                  marker.getStyleClass().add(STALLED_MARKER_STYLE_CLASS);
                  marker.setStyle(
                      "-fx-background-color: #b91c1c; -fx-text-fill: white; -fx-font-size: 9px;"
                          + " -fx-padding: 0 3 0 3; -fx-background-radius: 3;");
                  setGraphic(marker);
                  text =
                      head
                          // A flow that stalled and ended later says so itself.
                          + (n.stalled().startsWith("stalled:")
                                  || n.stalled().contains(" ended only later")
                              ? "\n"
                              : "\nNot ended: ")
                          + n.stalled()
                          + (n.notSeen().isEmpty() ? "" : "\nNot seen: " + n.notSeen());
                  width = 480;
                } else if (n.notSeen().isEmpty()) {
                  setGraphic(null);
                  text = head;
                  width = 0;
                } else {
                  Label marker = new Label("!");
                  marker.getStyleClass().add(NOT_SEEN_MARKER_STYLE_CLASS);
                  setGraphic(marker);
                  text = head + "\nNot seen: " + n.notSeen();
                  width = 420;
                }
                if (!n.source().isEmpty()) {
                  Label tag = sourceTag(n.source());
                  setGraphic(
                      getGraphic() == null
                          ? tag
                          : new javafx.scene.layout.HBox(3, tag, getGraphic()));
                  text = "Source: " + n.source() + "\n" + text;
                  width = 480;
                }
                setTooltip(tip.with(text, width));
              }
            });
    TreeTableColumn<Item, String> source = new TreeTableColumn<>();
    header(source, "Src", "Source: live (received over OTLP) or the file the flows came from");
    source.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue().source()));
    source.setCellFactory(
        col ->
            new TreeTableCell<>() {
              private final CellTip tip = new CellTip();

              @Override
              protected void updateItem(String v, boolean isEmpty) {
                super.updateItem(v, isEmpty);
                setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
                setText(isEmpty || v == null ? null : v);
                setTooltip(isEmpty || v == null ? null : tip.with(v, 0));
              }
            });
    source.setPrefWidth(SOURCE_WIDTH);
    source.setMinWidth(SOURCE_WIDTH);
    source.setMaxWidth(SOURCE_WIDTH);
    TreeTableColumn<Item, Number> count = numberColumn("n", 32, this::count, false);
    header(count, "n", "Flows of the endpoint");
    TreeTableColumn<Item, Number> p50 = numberColumn("p50", 60, this::p50, true);
    header(p50, "p50", "Median duration (a flow's own duration on its row)");
    TreeTableColumn<Item, Number> p95 = numberColumn("p95", 60, this::p95, true);
    header(p95, "p95", "95th percentile of the durations");
    TreeTableColumn<Item, Number> blocked = new TreeTableColumn<>();
    header(blocked, "Blk", "Blocked: share of the time the render thread waited on calls");
    blocked.setPrefWidth(50);
    blocked.setCellValueFactory(
        c -> new ReadOnlyObjectWrapper<>(blockedShare(c.getValue().getValue())));
    blocked.setCellFactory(
        col ->
            new TreeTableCell<>() {
              @Override
              protected void updateItem(Number v, boolean isEmpty) {
                super.updateItem(v, isEmpty);
                setText(
                    isEmpty || v == null
                        ? null
                        : String.format(Locale.ROOT, "%.0f%%", v.doubleValue() * 100));
              }
            });
    TreeTableColumn<Item, Number> suggestions = numberColumn("Sugg.", 40, this::suggestions, false);
    suggestions.setCellFactory(
        c ->
            new TreeTableCell<>() {
              private final CellTip tip = new CellTip();

              @Override
              protected void updateItem(Number v, boolean isEmpty) {
                super.updateItem(v, isEmpty);
                Item it = isEmpty || getTableRow() == null ? null : getTableRow().getItem();
                if (isEmpty || v == null) {
                  setText(null);
                  setTooltip(null);
                } else if (it != null && pendingCount(it) > 0) {
                  // Huge flows are analysed after the others: not yet known is not none.
                  setText(v.longValue() > 0 ? v + "…" : "…");
                  setTooltip(
                      tip.with(
                          pendingCount(it) + " flow(s) still being analysed: suggestions pending",
                          0));
                } else {
                  setText(Long.toString(v.longValue()));
                  setTooltip(null);
                }
              }
            });
    header(suggestions, "Sugg.", "Kinds of suggestion (a flow's suggestions on its row)");
    TreeTableColumn<Item, int[]> hist = new TreeTableColumn<>();
    header(hist, "Hist.", "Histogram of the endpoint's durations");
    hist.setPrefWidth(58);
    hist.setSortable(false);
    hist.setCellValueFactory(
        c -> {
          Item it = c.getValue().getValue();
          return new ReadOnlyObjectWrapper<>(it.stats() == null ? null : it.stats().histogram());
        });
    hist.setCellFactory(col -> new HistogramCell());
    nameColumn = name;
    // Dropped in this order when the list is too narrow for them and a readable name: what says
    // where each endpoint blocked (p50, blocked share) stays longest; the count is in the tooltip.
    optional = List.of(hist, p95, source, suggestions, count);
    sourceColumn = source;
    Object[][] widest = {
      {count, "999"}, {p50, "999 ms"}, {p95, "999 ms"}, {blocked, "100%"}, {suggestions, "99"}
    };
    for (Object[] cw : widest) {
      @SuppressWarnings("unchecked")
      TreeTableColumn<Item, ?> c = (TreeTableColumn<Item, ?>) cw[0];
      double w = columnWidth(c, (String) cw[1]);
      c.setMinWidth(w);
      c.setPrefWidth(w);
      c.setMaxWidth(w);
    }
    hist.setMinWidth(HIST_WIDTH);
    hist.setPrefWidth(HIST_WIDTH);
    hist.setMaxWidth(HIST_WIDTH);
    return List.of(name, source, count, p50, p95, blocked, suggestions, hist);
  }

  /** A short header with a tooltip saying what the column is. */
  private static void header(TreeTableColumn<Item, ?> c, String text, String tip) {
    Label l = new Label(text);
    l.setTooltip(new Tooltip(tip));
    l.setMinWidth(0);
    // The header lays its graphic out at the graphic's own width: bound to the column's, a narrow
    // column cuts it with an ellipsis instead of clipping it.
    l.maxWidthProperty().bind(c.widthProperty().subtract(HEADER_PADDING - 8));
    c.setText(null);
    c.setGraphic(l);
  }

  /** Narrowest the name column gets before optional columns give way. */
  static final double MIN_NAME_WIDTH = 120;

  private static final double HIST_WIDTH = 64;

  /** The source column: "live" whole, a file's name cut in its middle. */
  private static final double SOURCE_WIDTH = 48;

  /**
   * Room a header needs besides its text: its padding. A sorted column's arrow takes some of it,
   * and its header then ends with an ellipsis (its tooltip says what the column is).
   */
  private static final double HEADER_PADDING = 24;

  /** Room a cell needs besides its text. */
  private static final double CELL_PADDING = 12;

  private TreeTableColumn<Item, Named> nameColumn;
  private TreeTableColumn<Item, String> sourceColumn;
  private List<TreeTableColumn<Item, ?>> optional = List.of();

  /**
   * A column's width from its header (with room for the sort arrow) and its widest value, so that
   * neither is cut.
   */
  private static double columnWidth(TreeTableColumn<Item, ?> c, String widest) {
    javafx.scene.text.Font font = javafx.scene.text.Font.getDefault();
    String header = c.getGraphic() instanceof Label l ? l.getText() : c.getText();
    double head = dev.reqflow.viewer.timeline.TextWidth.measure(header, font) + HEADER_PADDING;
    double value = dev.reqflow.viewer.timeline.TextWidth.measure(widest, font) + CELL_PADDING;
    return Math.ceil(Math.max(head, value));
  }

  /**
   * Gives the name column the width the others leave, dropping optional columns (histogram, p95,
   * source, suggestions, count, in that order) while it is narrower than the widest endpoint name
   * as shown needs, at least {@link #MIN_NAME_WIDTH}, at most {@link #MAX_NAME_SHARE} of the list:
   * a user reads which endpoint each row is without resizing anything.
   */
  private void fitColumns(double width) {
    if (nameColumn == null || width <= 0) {
      return;
    }
    boolean sourceWasVisible = sourceColumn != null && sourceColumn.isVisible();
    double room = width - 18; // the vertical scroll bar and the borders
    for (TreeTableColumn<Item, ?> c : optional) {
      // The source column is for telling sources apart: with one, it says nothing.
      c.setVisible(c != sourceColumn || store.sources().size() > 1);
    }
    double want =
        Math.max(MIN_NAME_WIDTH, Math.min(room * MAX_NAME_SHARE, widestName + NAME_CHROME));
    for (TreeTableColumn<Item, ?> c : optional) {
      if (room - fixedWidth() >= want) {
        break;
      }
      c.setVisible(false);
    }
    double name = Math.max(MIN_NAME_WIDTH / 2, room - fixedWidth());
    nameColumn.setPrefWidth(name);
    if (sourceColumn != null && sourceColumn.isVisible() != sourceWasVisible) {
      table.refresh(); // the names carry the source tag when its column gave way
    }
  }

  /**
   * The name column's most of the list's width: the columns that say where each endpoint blocked
   * (p50, blocked share) keep the rest.
   */
  static final double MAX_NAME_SHARE = 0.62;

  /**
   * Room a name cell takes besides its text: the disclosure arrow (12 px, viewer.css), the cell's
   * padding (2.2 px a side), and a margin for the text's rounding.
   */
  static final double NAME_CHROME = 22;

  /** Header of the name column when no part of the names is shared. */
  private static final String NAME_HEADER = "Endpoint";

  private static final String NAME_TIP =
      "Endpoints, each with its flows (start time) when expanded";

  private Label nameHeader;

  /**
   * The part every endpoint listed shares, written once above the list (see {@link EndpointNames}).
   */
  private String namePrefix = "";

  /** Width of the widest endpoint name as its row shows it. */
  private double widestName;

  /**
   * Follows the endpoints listed (of the chosen source, whatever the filter): the part they share
   * goes to the line above the list, and the columns are fitted again to the widest name left.
   */
  private void updateNames() {
    List<String> names = new java.util.ArrayList<>();
    String source = chosenSource();
    for (String g : store.endpoints()) {
      if (source == null || source.equals(FlowStore.sourceOfGroup(g))) {
        names.add(FlowStore.endpointOfGroup(g));
      }
    }
    String prefix = EndpointNames.sharedPrefix(names);
    javafx.scene.text.Font font = javafx.scene.text.Font.getDefault();
    double widest = 0;
    for (String n : names) {
      widest = Math.max(widest, TextWidth.of(EndpointNames.shown(n, prefix), font));
    }
    boolean prefixChanged = !prefix.equals(namePrefix);
    namePrefix = prefix;
    if (prefixChanged && nameHeader != null) {
      // The shared part is said once, on a line of its own above the list where it has the
      // list's whole width (a column header cut it to "GET /home?strat..." even at 1440 px); the
      // header names what the rows then are ("strategy").
      String caption = EndpointNames.captionOf(prefix);
      String tip =
          "Endpoints "
              + caption
              + ": each row is the endpoint's "
              + EndpointNames.columnName(prefix)
              + ", the part they all share written once above the list"
              + "\nEach with its flows (start time) when expanded";
      sharedPrefix.setText(caption);
      sharedPrefix.setTooltip(caption.isEmpty() ? null : new Tooltip(tip));
      sharedPrefix.setVisible(!caption.isEmpty());
      nameHeader.setText(prefix.isEmpty() ? NAME_HEADER : EndpointNames.columnName(prefix));
      nameHeader.setTooltip(new Tooltip(prefix.isEmpty() ? NAME_TIP : tip));
      table.refresh();
    }
    if (prefixChanged || widest != widestName) {
      widestName = widest;
      fitColumns(table.getWidth());
    }
  }

  /**
   * An endpoint row's figures for its tooltip ({@code "\n4 flows · p50 1.45 s · p95 1.74 s ·
   * blocked 97%"}), since narrow lists drop some of their columns; {@code ""} for a flow row.
   */
  private static String statsLine(Item it) {
    if (it == null || it.stats() == null) {
      return "";
    }
    EndpointStats s = it.stats();
    return "\n"
        + s.count()
        + (s.count() == 1 ? " flow" : " flows")
        + " · p50 "
        + Durations.format(s.p50Nanos())
        + " · p95 "
        + Durations.format(s.p95Nanos())
        + String.format(Locale.ROOT, " · blocked %.0f%%", s.blockedShare() * 100);
  }

  private double fixedWidth() {
    double sum = 0;
    for (TreeTableColumn<Item, ?> c : table.getColumns()) {
      if (c != nameColumn && c.isVisible()) {
        sum += c.getPrefWidth();
      }
    }
    return sum;
  }

  private TreeTableColumn<Item, Number> numberColumn(
      String title, double width, java.util.function.ToLongFunction<Item> f, boolean duration) {
    TreeTableColumn<Item, Number> col = new TreeTableColumn<>(title);
    col.setPrefWidth(width);
    col.setCellValueFactory(
        c -> new ReadOnlyObjectWrapper<>(f.applyAsLong(c.getValue().getValue())));
    col.setCellFactory(
        c ->
            new TreeTableCell<>() {
              @Override
              protected void updateItem(Number v, boolean isEmpty) {
                super.updateItem(v, isEmpty);
                if (isEmpty || v == null || v.longValue() < 0) {
                  setText(null);
                } else {
                  setText(
                      duration ? Durations.format(v.longValue()) : Long.toString(v.longValue()));
                }
              }
            });
    return col;
  }

  private long count(Item it) {
    return it.stats() != null ? it.stats().count() : -1;
  }

  private long p50(Item it) {
    return it.stats() != null ? it.stats().p50Nanos() : it.report().flow().durationNanos();
  }

  private long p95(Item it) {
    return it.stats() != null ? it.stats().p95Nanos() : -1;
  }

  /**
   * A small tag naming a source: {@code live} in green, {@code file} (numbered when several) in
   * grey; the row's tooltip names the file.
   */
  Label sourceTag(String source) {
    // Short, so that the endpoint keeps its room: "live", "file", or "file 2" when several.
    List<String> files = new java.util.ArrayList<>(store.sources());
    files.remove(FlowStore.LIVE);
    String text =
        source.equals(FlowStore.LIVE)
            ? "live"
            : files.size() <= 1 ? "file" : "file " + (files.indexOf(source) + 1);
    Label tag = new Label(text);
    tag.getStyleClass().add(SOURCE_TAG_STYLE_CLASS);
    tag.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
    tag.setStyle(
        (source.equals(FlowStore.LIVE)
                ? "-fx-background-color: #15803d;"
                : "-fx-background-color: #475569;")
            + " -fx-text-fill: white; -fx-font-size: 9px; -fx-padding: 0 3 0 3;"
            + " -fx-background-radius: 3;");
    return tag;
  }

  /** Flows of the row whose suggestions are still being computed. */
  private int pendingCount(Item it) {
    if (!store.anyPending()) {
      return 0;
    }
    if (it.report() != null) {
      return store.pending(it.report()) ? 1 : 0;
    }
    int n = 0;
    for (FlowReport r : store.flowsOf(it.group())) {
      n += store.pending(r) ? 1 : 0;
    }
    return n;
  }

  private long suggestions(Item it) {
    return it.stats() != null ? it.stats().suggestionKinds() : it.report().suggestions().size();
  }

  private static double blockedShare(Item it) {
    if (it.stats() != null) {
      return it.stats().blockedShare();
    }
    long d = it.report().flow().durationNanos();
    return d == 0 ? 0 : (double) it.report().criticalPath().blockedNanos() / d;
  }

  // Minutes, seconds and milliseconds: what tells a page's flows apart, in the room a narrow list
  // leaves under the endpoint.
  private static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("mm:ss.SSS")
          .withZone(java.time.ZoneId.systemDefault());

  /** A flow row: when it started. */
  static String flowLabel(FlowReport r) {
    return TIME.format(java.time.Instant.ofEpochSecond(0, r.flow().startNanos()));
  }

  /** A tiny bar chart of an endpoint's durations, drawn on a canvas. */
  /**
   * A cell's tooltip, made when first needed and given new text at each update: cells are updated
   * at every rebuild while flows arrive, and a {@link Tooltip} is a popup control with styles of
   * its own, not worth making anew (and leaving to the collector) each time.
   */
  private static final class CellTip {
    private Tooltip tip;

    /** The cell's tooltip saying {@code text}, wrapped at {@code maxWidth} (0: not wrapped). */
    Tooltip with(String text, double maxWidth) {
      if (tip == null) {
        tip = new Tooltip();
      }
      tip.setText(text);
      tip.setWrapText(maxWidth > 0);
      tip.setMaxWidth(maxWidth > 0 ? maxWidth : javafx.scene.layout.Region.USE_COMPUTED_SIZE);
      return tip;
    }
  }

  private static final class HistogramCell extends TreeTableCell<Item, int[]> {
    private final Canvas canvas = new Canvas(52, 16);

    @Override
    protected void updateItem(int[] bins, boolean isEmpty) {
      super.updateItem(bins, isEmpty);
      if (isEmpty || bins == null) {
        setGraphic(null);
        return;
      }
      GraphicsContext g = canvas.getGraphicsContext2D();
      g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
      int max = 1;
      for (int b : bins) {
        max = Math.max(max, b);
      }
      double w = canvas.getWidth() / bins.length;
      g.setFill(Color.web("#3b82f6"));
      for (int i = 0; i < bins.length; i++) {
        double h = bins[i] == 0 ? 0 : Math.max(1, bins[i] * (canvas.getHeight() - 1) / max);
        g.fillRect(i * w, canvas.getHeight() - h, Math.max(1, w - 1), h);
      }
      setGraphic(canvas);
    }
  }
}
