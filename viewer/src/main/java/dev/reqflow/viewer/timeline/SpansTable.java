package dev.reqflow.viewer.timeline;

import dev.reqflow.analysis.Durations;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * The shown flow's spans as a table: each call and each wait with its thread, start (from the
 * flow's start), duration, what it was (method and path, or what the thread waited on), status and
 * source line; sortable by any column. Selecting a row selects the span on the timeline, and the
 * other way round.
 */
public final class SpansTable extends TableView<SpansTable.Row> {
  public static final String STYLE_CLASS = "reqflow-spans-table";

  /** One span: a call ({@code callIndex} ≥ 0) or a wait ({@code blockId}). */
  public record Row(
      String kind,
      String thread,
      long startNanos,
      long durationNanos,
      String what,
      String status,
      String site,
      TimelineModel.SpanRef ref) {}

  private final TimelineModel model;
  private Flow rowsOf;
  private boolean syncing;

  public SpansTable(TimelineModel model) {
    this.model = model;
    getStyleClass().add(STYLE_CLASS);
    setPlaceholder(new javafx.scene.control.Label("No flow shown"));
    setColumnResizePolicy(CONSTRAINED_RESIZE_POLICY);
    getColumns()
        .addAll(
            List.of(
                text("Kind", Row::kind, 60),
                text("Thread", Row::thread, 140),
                duration("Start", Row::startNanos),
                duration("Duration", Row::durationNanos),
                text("What", Row::what, 260),
                text("Status", Row::status, 60),
                text("Source", Row::site, 200)));
    getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, row) -> {
              if (!syncing && row != null) {
                syncing = true;
                try {
                  model.select(row.ref());
                } finally {
                  syncing = false;
                }
              }
            });
    model.addListener(this::follow);
  }

  /** Rows of a flow: its calls, then its waits, in start order. Pure. */
  public static List<Row> rows(Flow f, TimelineLayout layout) {
    List<Row> out = new ArrayList<>(f.calls().size() + f.blocks().size());
    for (int i = 0; i < f.calls().size(); i++) {
      Call c = f.calls().get(i);
      out.add(
          new Row(
              "call",
              c.thread().name(),
              c.startNanos() - f.startNanos(),
              c.durationNanos(),
              layout == null ? c.method() + " " + c.url() : layout.callLabel(i),
              c.failed() ? (c.error().isEmpty() ? "failed" : c.error()) : statusText(c.status()),
              c.callSite() == null ? "" : c.callSite().label(),
              TimelineModel.SpanRef.call(i)));
    }
    for (Block b : f.blocks()) {
      out.add(
          new Row(
              "wait",
              b.thread().name(),
              b.startNanos() - f.startNanos(),
              b.endNanos() - b.startNanos(),
              b.kind() + (b.lock() == null || b.lock().isEmpty() ? "" : " " + b.lock()),
              "",
              b.site() == null ? "" : b.site().label(),
              TimelineModel.SpanRef.block(b.spanId())));
    }
    out.sort(Comparator.comparingLong(Row::startNanos));
    return out;
  }

  private static String statusText(int status) {
    return status <= 0 ? "" : Integer.toString(status);
  }

  /** Follows the model: new rows for a new flow, the timeline's selection selected here. */
  private void follow() {
    if (model.flow() != rowsOf) {
      rowsOf = model.flow();
      syncing = true;
      try {
        getItems().setAll(rowsOf == null ? List.of() : rows(rowsOf, model.layout()));
      } finally {
        syncing = false;
      }
    }
    if (syncing) {
      return;
    }
    TimelineModel.SpanRef sel = model.selected();
    Row current = getSelectionModel().getSelectedItem();
    if (sel == null ? current == null : current != null && sel.equals(current.ref())) {
      return;
    }
    syncing = true;
    try {
      if (sel == null) {
        getSelectionModel().clearSelection();
      } else {
        for (int i = 0; i < getItems().size(); i++) {
          if (getItems().get(i).ref().equals(sel)) {
            getSelectionModel().select(i);
            scrollTo(Math.max(0, i - 3));
            break;
          }
        }
      }
    } finally {
      syncing = false;
    }
  }

  private static TableColumn<Row, String> text(
      String title, java.util.function.Function<Row, String> f, double width) {
    TableColumn<Row, String> c = new TableColumn<>(title);
    c.setPrefWidth(width);
    c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(f.apply(r.getValue())));
    c.setCellFactory(
        col ->
            new TableCell<>() {
              // One per cell, its text changed at each update: each flow shown updates every
              // cell, and a Tooltip is a popup control, not worth making anew each time.
              private javafx.scene.control.Tooltip tip;

              @Override
              protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty ? null : v);
                if (empty || v == null || v.isEmpty()) {
                  setTooltip(null);
                  return;
                }
                if (tip == null) {
                  tip = new javafx.scene.control.Tooltip();
                }
                tip.setText(v);
                setTooltip(tip);
              }
            });
    return c;
  }

  private static TableColumn<Row, Number> duration(
      String title, java.util.function.ToLongFunction<Row> f) {
    TableColumn<Row, Number> c = new TableColumn<>(title);
    c.setPrefWidth(80);
    c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(f.applyAsLong(r.getValue())));
    c.setCellFactory(
        col ->
            new TableCell<>() {
              @Override
              protected void updateItem(Number v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : Durations.format(v.longValue()));
              }
            });
    return c;
  }
}
