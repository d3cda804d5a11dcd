package dev.reqflow.viewer.timeline;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.util.Duration;

/**
 * The timeline control: a canvas that redraws at most once per pulse when the model or the viewport
 * changed, and turns the wheel, drags, keys and clicks into viewport and model changes.
 */
public final class TimelineView extends Region {
  public static final String STYLE_CLASS = "reqflow-timeline";
  public static final String CANVAS_STYLE_CLASS = "reqflow-timeline-canvas";

  private final TimelineModel model;
  private final Canvas canvas = new Canvas();
  private final Tooltip tooltip = new Tooltip();
  private Viewport viewport = new Viewport(0, 1_000_000, 1, 0);
  private boolean dirty = true;
  private boolean fitPending = true;

  /** A what-if set before the view had its height: revealed once it has (see layoutChildren). */
  private boolean revealPending;

  private long frames;
  private WhatIfLayout shownWhatIf;
  private List<TimelineRenderer.DrawnText> texts = List.of();
  private double dragX;
  private double dragY;
  private boolean dragged;
  private Consumer<TimelineModel.SpanRef> onOpen = r -> {};
  private final List<Runnable> onRedraw = new ArrayList<>();

  private final AnimationTimer pulse =
      new AnimationTimer() {
        @Override
        public void handle(long now) {
          if (dirty) {
            redraw();
          }
          stop();
        }
      };

  public TimelineView(TimelineModel model) {
    this.model = model;
    getStyleClass().add(STYLE_CLASS);
    canvas.getStyleClass().add(CANVAS_STYLE_CLASS);
    getChildren().add(canvas);
    setFocusTraversable(true);
    setMinSize(200, 120);
    tooltip.setShowDelay(Duration.millis(150));
    tooltip.setHideDelay(Duration.millis(100));
    model.addListener(
        () -> {
          if (model.flow() != null && fitPending) {
            fit();
          }
          if (model.whatIf() != shownWhatIf) {
            shownWhatIf = model.whatIf();
            revealWhatIf();
          }
          markDirty();
        });
    installInput();
  }

  /** Called with the span a user double-clicks or presses Enter on: jump to its source. */
  public void setOnOpen(Consumer<TimelineModel.SpanRef> handler) {
    onOpen = handler;
  }

  public TimelineModel model() {
    return model;
  }

  public Viewport viewport() {
    return viewport;
  }

  /** Frames drawn so far: lets tests see that changes coalesce into one redraw. */
  public long frames() {
    return frames;
  }

  public void setViewport(Viewport v) {
    double contentH = model.contentHeight() + 40;
    double viewH = getHeight() - TimelineRenderer.AXIS_HEIGHT;
    if (model.whatIf() != null && model.layout() != null) {
      // A what-if can always come up to just under the pinned lane, where revealWhatIf may put it
      // rather than leave a lane half hidden there.
      contentH =
          Math.max(contentH, model.layout().height() - TimelineLayout.THREAD_ROW_HEIGHT + viewH);
    }
    viewport = v.clampScroll(contentH, viewH);
    markDirty();
  }

  /**
   * Scrolls a what-if just turned on into view when it is below the rows shown: all of it when it
   * fits, else from its title; the render thread's lane stays pinned on top meanwhile. The rows
   * scrolled to start at a lane's top (see {@link #revealScroll}).
   */
  private void revealWhatIf() {
    TimelineLayout layout = model.layout();
    WhatIfLayout wi = model.whatIf();
    double viewH = getHeight() - TimelineRenderer.AXIS_HEIGHT - TimelineLayout.THREAD_ROW_HEIGHT;
    // shown with its flow before the window's first layout (the what-if is on by default)
    revealPending = wi != null && layout != null && viewH <= 0;
    if (layout == null || wi == null || viewH <= 0) {
      return;
    }
    double top = layout.height();
    double bottom = top + wi.height();
    if (bottom <= viewport.scrollY() + viewH + TimelineLayout.THREAD_ROW_HEIGHT) {
      return;
    }
    double scroll =
        revealScroll(layout, Math.max(0, bottom - viewH - TimelineLayout.THREAD_ROW_HEIGHT));
    setViewport(
        new Viewport(viewport.startNanos(), viewport.endNanos(), viewport.widthPx(), scroll));
  }

  /**
   * The scroll that shows the what-if under {@code layout}'s rows from at least {@code needed}
   * pixels down, stopped where a lane starts: the first lane under the pinned render lane is then
   * whole, never half hidden under it (its name cut through, its bars without their tops). The
   * smallest of: a lane's top just under the pinned lane (with its gap), or the what-if's own top
   * there when no lane's is far enough down.
   */
  static double revealScroll(TimelineLayout layout, double needed) {
    double pinned = TimelineLayout.THREAD_ROW_HEIGHT;
    for (int lane = 1; lane < layout.flow().lanes().size(); lane++) {
      double s = layout.rows().get(layout.threadRow(lane)).y() - pinned - TimelineLayout.LANE_GAP;
      if (s >= needed) {
        return Math.max(0, s);
      }
    }
    return Math.max(0, layout.height() - pinned);
  }

  /** Shows the whole flow (and its what-if end, when later). */
  public void fit() {
    Flow flow = model.flow();
    if (flow == null) {
      return;
    }
    long end = flow.endNanos();
    if (model.whatIf() != null) {
      end = Math.max(end, Math.max(model.replay().endNanos(), model.whatIfEndNanos()));
    }
    double w = TimelineRenderer.plotWidth(getWidth());
    fitPending = w <= 1;
    Viewport f = Viewport.fit(flow.startNanos(), end, w);
    // fitting is about time: the rows stay scrolled where they were
    setViewport(new Viewport(f.startNanos(), f.endNanos(), f.widthPx(), viewport.scrollY()));
  }

  /** Shows a new flow fitted to the width, from its first row. */
  public void refit() {
    fitPending = true;
    viewport = new Viewport(viewport.startNanos(), viewport.endNanos(), viewport.widthPx(), 0);
    fit();
  }

  /**
   * Zoom per wheel notch: 1.25×, so that 20 notches go from a 3 s flow to a 4 ms call (87×);
   * before, 1.0015 per pixel of delta made 20 notches 2.5×. A notch is {@link #NOTCH} of delta
   * (JavaFX's on Linux, macOS and Windows alike); touchpads send fractions of one.
   */
  public static double wheelZoom(double deltaY) {
    return Math.pow(ZOOM_PER_NOTCH, deltaY / NOTCH);
  }

  static final double ZOOM_PER_NOTCH = 1.25;
  static final double NOTCH = 40;

  public void markDirty() {
    dirty = true;
    pulse.start();
  }

  /** Draws now; the pulse calls it, and so do snapshots that cannot wait for one. */
  public void redraw() {
    dirty = false;
    frames++;
    List<TimelineRenderer.DrawnText> log = new ArrayList<>();
    TimelineRenderer.draw(
        canvas.getGraphicsContext2D(), model, viewport, canvas.getWidth(), canvas.getHeight(), log);
    texts = log;
    for (Runnable r : onRedraw) {
      r.run();
    }
  }

  /** Called after each frame: the overview follows the viewport with it. */
  public void addRedrawListener(Runnable r) {
    onRedraw.add(r);
  }

  /** The texts of the last frame, where they were drawn and whether they were cut. */
  public List<TimelineRenderer.DrawnText> drawnTexts() {
    return texts;
  }

  /**
   * What the tooltip shows at a point of the canvas: the span there, described, or the whole text
   * of a label cut there; null for neither.
   */
  public String tooltipTextAt(double x, double y) {
    TimelineModel.SpanRef ref = hit(x, y);
    return ref != null ? describe(model.layout(), ref) : cutTextAt(x, y);
  }

  /** The whole text of a cut label under a point, for its tooltip; null when none. */
  private String cutTextAt(double x, double y) {
    for (TimelineRenderer.DrawnText t : texts) {
      if (t.cut() && x >= t.x() && x <= t.right() && Math.abs(y - t.y()) <= 8) {
        return t.full();
      }
    }
    return null;
  }

  @Override
  protected void layoutChildren() {
    double w = getWidth();
    double h = getHeight();
    if (canvas.getWidth() != w || canvas.getHeight() != h) {
      canvas.setWidth(w);
      canvas.setHeight(h);
      if (fitPending) {
        fit();
      } else {
        viewport = viewport.withWidth(TimelineRenderer.plotWidth(w));
      }
      if (revealPending) {
        revealWhatIf();
      }
      markDirty();
    }
  }

  @Override
  protected double computePrefWidth(double height) {
    return 900;
  }

  @Override
  protected double computePrefHeight(double width) {
    TimelineLayout layout = model.layout();
    return layout == null
        ? 400
        : Math.min(700, model.contentHeight() + TimelineRenderer.AXIS_HEIGHT + 40);
  }

  private TimelineModel.SpanRef hit(double sceneX, double sceneY) {
    TimelineLayout layout = model.layout();
    if (layout == null
        || sceneX < TimelineRenderer.GUTTER
        || sceneY < TimelineRenderer.AXIS_HEIGHT) {
      return null;
    }
    double y = sceneY - TimelineRenderer.AXIS_HEIGHT;
    if (TimelineRenderer.pinned(viewport) && y < TimelineLayout.THREAD_ROW_HEIGHT) {
      // the render thread's lane, pinned on top
      return HitTest.at(layout, viewport, sceneX - TimelineRenderer.GUTTER, y);
    }
    return HitTest.at(layout, viewport, sceneX - TimelineRenderer.GUTTER, y + viewport.scrollY());
  }

  private void installInput() {
    setOnScroll(
        e -> {
          if (e.getDeltaY() == 0) {
            return;
          }
          if (e.isShiftDown()) {
            setViewport(viewport.pan(0, e.getDeltaY()));
          } else {
            double factor = wheelZoom(e.getDeltaY());
            double x = Math.max(0, e.getX() - TimelineRenderer.GUTTER);
            setViewport(viewport.zoomAround(x, factor));
          }
          e.consume();
        });
    setOnMousePressed(
        e -> {
          requestFocus();
          dragX = e.getX();
          dragY = e.getY();
          dragged = false;
        });
    setOnMouseDragged(
        e -> {
          double dx = e.getX() - dragX;
          double dy = e.getY() - dragY;
          if (Math.abs(dx) + Math.abs(dy) > 2) {
            dragged = true;
          }
          dragX = e.getX();
          dragY = e.getY();
          setViewport(viewport.pan(dx, dy));
        });
    setOnMouseClicked(
        e -> {
          if (dragged || e.getButton() != MouseButton.PRIMARY) {
            return;
          }
          TimelineModel.SpanRef ref = hit(e.getX(), e.getY());
          model.select(ref);
          if (ref != null && e.getClickCount() == 2) {
            onOpen.accept(ref);
          }
        });
    setOnMouseMoved(
        e -> {
          TimelineModel.SpanRef ref = hit(e.getX(), e.getY());
          model.hover(ref);
          String cut = ref == null ? cutTextAt(e.getX(), e.getY()) : null;
          if (ref == null && cut == null) {
            tooltip.hide();
            Tooltip.uninstall(this, tooltip);
          } else {
            tooltip.setText(ref != null ? describe(model.layout(), ref) : cut);
            Tooltip.install(this, tooltip);
          }
        });
    setOnMouseExited(e -> model.hover(null));
    setOnKeyPressed(
        e -> {
          double w = viewport.widthPx();
          if (e.getCode() == KeyCode.F) {
            fit();
          } else if (e.getCode() == KeyCode.PLUS || e.getCode() == KeyCode.EQUALS) {
            setViewport(viewport.zoomAround(w / 2, 1.5));
          } else if (e.getCode() == KeyCode.MINUS) {
            setViewport(viewport.zoomAround(w / 2, 1 / 1.5));
          } else if (e.getCode() == KeyCode.LEFT) {
            setViewport(viewport.pan(w / 10, 0));
          } else if (e.getCode() == KeyCode.RIGHT) {
            setViewport(viewport.pan(-w / 10, 0));
          } else if (e.getCode() == KeyCode.ENTER && model.selected() != null) {
            onOpen.accept(model.selected());
          } else if (e.getCode() == KeyCode.ESCAPE) {
            model.select(null);
          } else {
            return;
          }
          e.consume();
        });
  }

  /** Why a call has no end of its own ({@code reqflow.call.incomplete}), for people. */
  static String incomplete(String reason) {
    switch (reason) {
      case "unreachable":
        return "never closed: the application dropped the response unread (a connection leak);"
            + " shown until it was last used";
      case "unclosed":
        return "never closed: the response was still open after the page ended (a connection"
            + " leak); shown until it was last used";
      case "exit":
        return "still open when the process exited";
      default:
        return "ended by the agent: " + reason;
    }
  }

  /**
   * Tooltip and details text of a span of a laid-out flow: as {@link #describe(Flow,
   * TimelineModel.SpanRef)}, and for a call that continues in another service's flow, what that
   * flow did (see {@link Callee#describe}).
   */
  public static String describe(TimelineLayout layout, TimelineModel.SpanRef ref) {
    if (layout == null || ref == null) {
      return "";
    }
    String text = describe(layout.flow(), ref);
    Callee callee = ref.isCall() ? layout.callee(ref.callIndex()) : null;
    return callee == null
        ? text
        : text + "\n" + callee.describe() + "\n(double-click or Enter to open it)";
  }

  /** Tooltip and details text of a span. */
  public static String describe(Flow flow, TimelineModel.SpanRef ref) {
    if (flow == null || ref == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    if (ref.isCall()) {
      Call c = flow.calls().get(ref.callIndex());
      sb.append(c.label()).append('\n');
      sb.append(TimeAxis.duration(c.durationNanos()))
          .append(", issued at ")
          .append(TimeAxis.duration(c.startNanos() - flow.startNanos()));
      if (c.status() > 0) {
        sb.append(", status ").append(c.status());
      }
      if (!c.error().isEmpty()) {
        sb.append(", error ").append(c.error());
      }
      if (!c.incomplete().isEmpty()) {
        sb.append('\n').append(incomplete(c.incomplete()));
      }
      for (Phase p : c.phases()) {
        sb.append('\n')
            .append("  ")
            .append(Palette.phaseName(p.kind()))
            .append(": ")
            .append(TimeAxis.duration(p.durationNanos()));
      }
      sb.append("\ncall site: ").append(c.callSite().label());
      sb.append("\nthread: ").append(c.thread().label());
    } else {
      for (Block b : flow.blocks()) {
        if (b.spanId().equals(ref.blockId())) {
          sb.append("Blocked ").append(TimeAxis.duration(b.durationNanos()));
          if (!b.kind().isEmpty()) {
            sb.append(" in ").append(b.kind());
          }
          if (b.isLockWait()) {
            sb.append(" for ").append(b.lockLabel());
          }
          sb.append("\nat ").append(b.site().label());
          sb.append("\nthread: ").append(b.thread().label());
          // A lock wait ends when the holder's call lets the lock go.
          sb.append(b.isLockWait() ? "\nheld by:" : "\nreleased by:");
          for (String id : b.releasedBy()) {
            Call c = flow.call(id);
            sb.append("\n  ").append(c == null ? "call " + id + " (not in the trace)" : c.label());
          }
          break;
        }
      }
    }
    return sb.toString();
  }
}
