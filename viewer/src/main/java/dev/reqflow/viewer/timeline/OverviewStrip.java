package dev.reqflow.viewer.timeline;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

/**
 * The whole flow in a strip above the timeline, aligned with its plot: where the calls are (grey,
 * darker where denser), the render thread's blocked share per column (red, as high as the share),
 * and the range the timeline shows (outlined, the rest dimmed). Dragging across the strip shows
 * that range; a click centres the timeline there at the same zoom.
 */
public final class OverviewStrip extends Region {
  public static final String STYLE_CLASS = "reqflow-overview";
  public static final double HEIGHT = 26;

  private final TimelineModel model;
  private final TimelineView timeline;
  private final Canvas canvas = new Canvas();
  private Flow densityOf;
  private long densityEnd;
  private double[] density = new double[0];
  private double[] blocked = new double[0];
  private double dragFrom = -1;
  private double dragTo = -1;

  public OverviewStrip(TimelineModel model, TimelineView timeline) {
    this.model = model;
    this.timeline = timeline;
    getStyleClass().add(STYLE_CLASS);
    getChildren().add(canvas);
    setMinHeight(HEIGHT);
    setPrefHeight(HEIGHT);
    setMaxHeight(HEIGHT);
    timeline.addRedrawListener(this::draw);
    Tooltip.install(this, new Tooltip("The whole flow: drag to show a range, click to centre"));
    setOnMousePressed(
        e -> {
          dragFrom = plotX(e.getX());
          dragTo = dragFrom;
        });
    setOnMouseDragged(
        e -> {
          dragTo = plotX(e.getX());
          draw();
        });
    setOnMouseReleased(
        e -> {
          if (dragFrom < 0) {
            return;
          }
          double a = Math.min(dragFrom, dragTo);
          double b = Math.max(dragFrom, dragTo);
          dragFrom = -1;
          if (b - a >= 3) {
            showRange(a, b);
          } else {
            centreAt(a);
          }
        });
  }

  /** Shows on the timeline the flow's time under strip pixels {@code a..b} of the plot. */
  public void showRange(double a, double b) {
    long[] extent = extent();
    if (extent == null) {
      return;
    }
    Viewport v = timeline.viewport();
    timeline.setViewport(
        new Viewport(nanosAt(extent, a), nanosAt(extent, b), v.widthPx(), v.scrollY()));
  }

  private void centreAt(double x) {
    long[] extent = extent();
    if (extent == null) {
      return;
    }
    Viewport v = timeline.viewport();
    long mid = nanosAt(extent, x);
    long half = v.spanNanos() / 2;
    timeline.setViewport(new Viewport(mid - half, mid + half, v.widthPx(), v.scrollY()));
  }

  private double plotX(double x) {
    return Math.max(0, Math.min(plotWidth(), x - TimelineRenderer.GUTTER));
  }

  private double plotWidth() {
    return TimelineRenderer.plotWidth(getWidth());
  }

  /** The time the strip spans: the flow, and its what-if's end when later; null without a flow. */
  long[] extent() {
    Flow f = model.flow();
    if (f == null) {
      return null;
    }
    long end = f.endNanos();
    if (model.whatIf() != null) {
      end = Math.max(end, Math.max(model.replay().endNanos(), model.whatIfEndNanos()));
    }
    return new long[] {f.startNanos(), Math.max(end, f.startNanos() + Viewport.MIN_SPAN_NANOS)};
  }

  private long nanosAt(long[] extent, double x) {
    return extent[0] + Math.round((extent[1] - extent[0]) * x / plotWidth());
  }

  @Override
  protected void layoutChildren() {
    if (canvas.getWidth() != getWidth() || canvas.getHeight() != getHeight()) {
      canvas.setWidth(getWidth());
      canvas.setHeight(getHeight());
      densityOf = null;
      draw();
    }
  }

  /** Redraws; the per-column sums are kept while the flow and the width stay. */
  public void draw() {
    GraphicsContext g = canvas.getGraphicsContext2D();
    double w = canvas.getWidth();
    double h = canvas.getHeight();
    g.clearRect(0, 0, w, h);
    Palette p = model.palette();
    long[] extent = extent();
    if (extent == null || w <= TimelineRenderer.GUTTER + 2) {
      return;
    }
    double pw = plotWidth();
    int cols = (int) Math.ceil(pw) + 1;
    if (densityOf != model.flow() || density.length != cols || densityEnd != extent[1]) {
      sums(model.flow(), extent, pw, cols);
    }
    double x0 = TimelineRenderer.GUTTER;
    g.setFill(p.text());
    g.setFont(Font.font(10));
    g.fillText("overview", 8, h / 2 + 4);
    g.setFill(Color.gray(0.5, 0.12));
    g.fillRect(x0, 2, pw, h - 4);
    double max = 1;
    for (double d : density) {
      max = Math.max(max, d);
    }
    for (int c = 0; c < cols; c++) {
      if (density[c] > 0) {
        g.setFill(Color.gray(0.45, 0.25 + 0.6 * Math.min(1, density[c] / max)));
        g.fillRect(x0 + c, 4, 1, (h - 8) / 2);
      }
      if (blocked[c] > 0) {
        double bh = Math.max(1, Math.min(1, blocked[c]) * (h - 8) / 2);
        g.setFill(p.blocked());
        g.fillRect(x0 + c, h - 4 - bh, 1, bh);
      }
    }
    // The range shown: outlined, the rest dimmed.
    Viewport v = timeline.viewport();
    double scale = pw / (extent[1] - extent[0]);
    double a = Math.max(0, (v.startNanos() - extent[0]) * scale);
    double b = Math.min(pw, (v.endNanos() - extent[0]) * scale);
    if (dragFrom >= 0) {
      a = Math.min(dragFrom, dragTo);
      b = Math.max(dragFrom, dragTo);
    }
    boolean zoomed = a > 0.5 || b < pw - 0.5 || dragFrom >= 0;
    if (zoomed) {
      g.setFill(Color.gray(0.2, 0.25));
      g.fillRect(x0, 0, a, h);
      g.fillRect(x0 + b, 0, pw - b, h);
      g.setStroke(p.selection());
      g.setLineWidth(2);
      g.strokeRect(x0 + a, 1, Math.max(2, b - a), h - 2);
    }
  }

  private void sums(Flow f, long[] extent, double pw, int cols) {
    densityOf = f;
    densityEnd = extent[1];
    density = new double[cols];
    blocked = new double[cols];
    double scale = pw / (extent[1] - extent[0]);
    for (Call c : f.calls()) {
      int col = (int) Math.max(0, Math.min(cols - 1, (c.startNanos() - extent[0]) * scale));
      density[col]++;
    }
    for (Block b : f.renderBlocks()) {
      BlockedCoverage.add(
          blocked, (b.startNanos() - extent[0]) * scale, (b.endNanos() - extent[0]) * scale);
    }
  }

  /** The blocked share per column of the last drawing (tests). */
  double[] blockedColumns() {
    return blocked.clone();
  }
}
