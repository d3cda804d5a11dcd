package dev.reqflow.viewer.timeline;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.ThreadLane;
import dev.reqflow.whatif.Replay;
import java.util.List;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * Draws a timeline: a function of the model and the viewport, nothing else. Calls are merged per
 * pixel ({@link PixelMerge}) before drawing; labels are placed where they fit, measured by an
 * estimate rather than by laying out text, which would cost more than the drawing.
 */
public final class TimelineRenderer {
  public static final double GUTTER = 180;
  public static final double AXIS_HEIGHT = 26;

  /** Arrows are left out when more calls than this are visible: they would be noise. */
  static final int MAX_ARROWS = 3_000;

  private static final Font FONT = Font.font("System", 11);
  private static final Font BOLD = Font.font("System", FontWeight.BOLD, 11);
  private static final double CHAR_PX = 6.4;

  private TimelineRenderer() {}

  /** Pixel width of the plot for a canvas of that width. */
  public static double plotWidth(double canvasWidth) {
    return Math.max(1, canvasWidth - GUTTER);
  }

  public static void draw(GraphicsContext g, TimelineModel m, Viewport v, double w, double h) {
    Palette p = m.palette();
    // Clearing the whole canvas lets it drop the commands of earlier frames not yet rendered.
    g.clearRect(0, 0, w, h);
    g.save();
    g.setFill(p.background());
    g.fillRect(0, 0, w, h);
    g.setFont(FONT);
    g.setTextBaseline(VPos.CENTER);
    TimelineLayout layout = m.layout();
    if (layout == null) {
      g.setFill(p.mutedText());
      g.setTextAlign(TextAlignment.CENTER);
      g.fillText(
          "Open a trace file (Ctrl+O), drop one here, or send OTLP to the receiver", w / 2, h / 2);
      g.restore();
      return;
    }
    Flow flow = layout.flow();
    drawAxis(g, p, flow, v, w, h);

    g.save();
    g.beginPath();
    g.rect(0, AXIS_HEIGHT, w, h - AXIS_HEIGHT);
    g.clip();
    double top = AXIS_HEIGHT - v.scrollY();
    List<TimelineLayout.Row> rows = layout.rows();
    int first = Math.max(0, layout.rowAt(v.scrollY()));
    int visibleCalls = 0;
    for (int r = first; r < rows.size(); r++) {
      TimelineLayout.Row row = rows.get(r);
      double y = top + row.y();
      if (y > h) {
        break;
      }
      if (y + row.height() < AXIS_HEIGHT) {
        continue;
      }
      if (row.kind() == TimelineLayout.Kind.THREAD) {
        drawThreadRow(g, m, p, flow.lanes().get(row.lane()), row.lane() == 0, v, y, row.height());
      } else {
        visibleCalls += drawCallRow(g, m, p, row, flow.calls(), v, y, row.height());
      }
    }
    if (visibleCalls <= MAX_ARROWS) {
      drawLinks(g, m, p, v, top);
    }
    drawEnds(g, m, p, flow, v, h);
    g.restore();

    drawGutter(g, m, p, v, w, h, top);
    g.restore();
  }

  private static void drawAxis(
      GraphicsContext g, Palette p, Flow flow, Viewport v, double w, double h) {
    g.setFill(p.gutter());
    g.fillRect(0, 0, w, AXIS_HEIGHT);
    g.setStroke(p.grid());
    g.setLineWidth(1);
    g.setTextAlign(TextAlignment.LEFT);
    for (TimeAxis.Tick t : TimeAxis.ticks(v, flow.startNanos(), 90)) {
      double x = Math.floor(GUTTER + v.x(flow.startNanos() + t.nanos())) + 0.5;
      g.setStroke(p.grid());
      g.strokeLine(x, AXIS_HEIGHT, x, h);
      g.setStroke(p.mutedText());
      g.strokeLine(x, AXIS_HEIGHT - 6, x, AXIS_HEIGHT);
      g.setFill(p.text());
      g.fillText(t.label(), x + 3, AXIS_HEIGHT / 2 - 2);
    }
  }

  private static void drawGutter(
      GraphicsContext g, TimelineModel m, Palette p, Viewport v, double w, double h, double top) {
    TimelineLayout layout = m.layout();
    g.setFill(p.gutter());
    g.fillRect(0, 0, GUTTER, h);
    g.setStroke(p.grid());
    g.strokeLine(GUTTER - 0.5, 0, GUTTER - 0.5, h);
    g.setFill(p.mutedText());
    g.setTextAlign(TextAlignment.LEFT);
    g.fillText("threads", 8, AXIS_HEIGHT / 2 - 2);
    g.save();
    g.beginPath();
    g.rect(0, AXIS_HEIGHT, GUTTER, h - AXIS_HEIGHT);
    g.clip();
    List<ThreadLane> lanes = layout.flow().lanes();
    for (int l = 0; l < lanes.size(); l++) {
      TimelineLayout.Row row = layout.rows().get(layout.threadRow(l));
      double y = top + row.y();
      if (y > h || y + row.height() < AXIS_HEIGHT) {
        continue;
      }
      ThreadLane lane = lanes.get(l);
      int calls = lane.issuedCalls().size();
      String name = lane.thread().label() + (l == 0 && calls == 0 ? " (render)" : "");
      g.setFont(l == 0 ? BOLD : FONT);
      g.setFill(p.text());
      g.fillText(fit(name, GUTTER - 16), 8, y + row.height() / 2);
      if (calls > 0) {
        g.setFont(FONT);
        g.setFill(p.mutedText());
        String role = l == 0 ? "render thread, " : "";
        g.fillText(role + calls + (calls == 1 ? " call" : " calls"), 14, y + row.height() + 9);
      }
    }
    g.restore();
  }

  private static void drawThreadRow(
      GraphicsContext g,
      TimelineModel m,
      Palette p,
      ThreadLane lane,
      boolean render,
      Viewport v,
      double y,
      double rh) {
    Flow flow = m.flow();
    if (render) {
      double x0 = GUTTER + Math.max(-2, v.x(flow.startNanos()));
      double x1 = GUTTER + Math.min(v.widthPx() + 2, v.x(flow.endNanos()));
      if (x1 > x0) {
        g.setFill(p.running());
        g.fillRect(x0, y + rh / 2 - 4, x1 - x0, 8);
      }
    }
    // Waits narrower than a pixel add up per pixel column and are drawn with the share of the
    // column they cover, so that many short waits do not look like one long one.
    double[] coverage = null;
    for (Block b : lane.blocks()) {
      if (!v.overlaps(b.startNanos(), b.endNanos())) {
        continue;
      }
      double rx0 = v.x(b.startNanos());
      double rx1 = v.x(b.endNanos());
      if (rx1 - rx0 < 1) {
        if (coverage == null) {
          coverage = new double[(int) Math.ceil(v.widthPx()) + 1];
        }
        int col = (int) Math.floor(Math.max(0, rx0));
        if (col < coverage.length) {
          coverage[col] += rx1 - rx0;
        }
        continue;
      }
      double bx0 = GUTTER + Math.max(-2, rx0);
      double bx1 = GUTTER + Math.min(v.widthPx() + 2, rx1);
      double bw = Math.max(2, bx1 - bx0);
      drawBlocked(g, p, bx0, y + 3, bw, rh - 6);
      boolean sel = isSelectedBlock(m.selected(), b);
      boolean hov = isSelectedBlock(m.hovered(), b);
      if (bw >= 6 && m.critical().contains(b.spanId())) {
        g.setStroke(p.critical());
        g.setLineWidth(2);
        g.strokeRect(bx0, y + 2, bw, rh - 4);
      }
      if (sel || m.evidence().contains(b.spanId())) {
        g.setStroke(p.selection());
        g.setLineWidth(3);
        g.strokeRect(bx0 - 1, y + 1, bw + 2, rh - 2);
      } else if (hov) {
        g.setStroke(p.text());
        g.setLineWidth(1);
        g.strokeRect(bx0, y + 2, bw, rh - 4);
      }
      String label = bw > 60 ? "blocked " + TimeAxis.duration(b.durationNanos()) : "";
      if (bw > 60 && bw > label.length() * CHAR_PX + 8) {
        g.setFont(BOLD);
        g.setFill(Color.WHITE);
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(label, bx0 + 4, y + rh / 2);
        g.setFont(FONT);
      }
    }
    if (coverage != null) {
      g.setFill(p.blocked());
      for (int col = 0; col < coverage.length; col++) {
        if (coverage[col] > 0) {
          g.setGlobalAlpha(Math.max(0.3, Math.min(1, coverage[col])));
          g.fillRect(GUTTER + col, y + 3, 1, rh - 6);
        }
      }
      g.setGlobalAlpha(1);
    }
  }

  /** A strong red band with white diagonal hatching: blocked time, visible at any zoom. */
  static void drawBlocked(GraphicsContext g, Palette p, double x, double y, double w, double h) {
    g.setFill(p.blocked());
    g.fillRect(x, y, w, h);
    if (w < 6) {
      return;
    }
    g.save();
    g.beginPath();
    g.rect(x, y, w, h);
    g.clip();
    g.setStroke(p.blockedHatch());
    g.setLineWidth(1.5);
    g.setLineCap(StrokeLineCap.BUTT);
    double start = Math.floor(x / 8) * 8 - h;
    for (double hx = start; hx < x + w; hx += 8) {
      g.strokeLine(hx, y + h, hx + h, y);
    }
    g.restore();
  }

  private static boolean isSelectedBlock(TimelineModel.SpanRef ref, Block b) {
    return ref != null && !ref.isCall() && b.spanId().equals(ref.blockId());
  }

  private static int drawCallRow(
      GraphicsContext g,
      TimelineModel m,
      Palette p,
      TimelineLayout.Row row,
      List<Call> calls,
      Viewport v,
      double y,
      double rh) {
    int[] count = {0};
    double barY = y + 3;
    double barH = m.replay() != null ? rh - 10 : rh - 6;
    TimelineModel.SpanRef sel = m.selected();
    TimelineModel.SpanRef hov = m.hovered();
    PixelMerge.merge(
        row,
        v,
        1,
        (x0, x1, first, last) -> {
          count[0] += last - first + 1;
          double left = GUTTER + Math.max(-2, x0);
          double right = GUTTER + Math.min(v.widthPx() + 2, x1);
          if (first != last || right - left < 3) {
            g.setFill(p.merged());
            g.fillRect(left, barY, Math.max(1, right - left), barH);
            return;
          }
          int idx = row.calls()[first];
          Call c = calls.get(idx);
          drawCall(g, p, c, v, left, right, barY, barH);
          if (m.critical().contains(c.spanId())) {
            g.setStroke(p.critical());
            g.setLineWidth(2);
            g.strokeRect(left, barY, right - left, barH);
          }
          boolean selected = sel != null && sel.callIndex() == idx;
          if (selected || m.evidence().contains(c.spanId())) {
            g.setStroke(p.selection());
            g.setLineWidth(3);
            g.strokeRect(left - 1, barY - 1, right - left + 2, barH + 2);
          } else if (hov != null && hov.callIndex() == idx) {
            g.setStroke(p.text());
            g.setLineWidth(1);
            g.strokeRect(left, barY, right - left, barH);
          }
          String label = callLabel(c);
          double room = right - left - 6;
          if (room > 40) {
            g.setFill(Color.web("#0b1220"));
            g.setTextAlign(TextAlignment.LEFT);
            g.fillText(fit(label, room), left + 4, barY + barH / 2);
          }
        });
    Replay replay = m.replay();
    if (replay != null) {
      drawReplayRow(g, p, row, calls, replay, v, y + rh - 6, 4);
    }
    return count[0];
  }

  private static void drawCall(
      GraphicsContext g,
      Palette p,
      Call c,
      Viewport v,
      double left,
      double right,
      double y,
      double h) {
    g.setFill(p.call());
    g.fillRect(left, y, right - left, h);
    for (Phase ph : c.phases()) {
      double px0 = GUTTER + Math.max(-2, v.x(ph.startNanos()));
      double px1 = GUTTER + Math.min(v.widthPx() + 2, v.x(ph.endNanos()));
      if (px1 - px0 >= 0.5) {
        g.setFill(p.phase(ph.kind()));
        g.fillRect(px0, y, px1 - px0, h);
      }
    }
    if (c.failed()) {
      g.setStroke(p.blocked());
      g.setLineWidth(2);
      g.strokeRect(left, y, right - left, h);
    }
  }

  private static void drawReplayRow(
      GraphicsContext g,
      Palette p,
      TimelineLayout.Row row,
      List<Call> calls,
      Replay replay,
      Viewport v,
      double y,
      double h) {
    g.setFill(p.whatIf());
    int[] idx = row.calls();
    if (idx.length > MAX_ARROWS) {
      return;
    }
    for (int i : idx) {
      if (i >= replay.callCount()) {
        continue;
      }
      long s = replay.issueNanos(i);
      long e = replay.endNanos(i);
      if (!v.overlaps(s, e)) {
        continue;
      }
      double x0 = GUTTER + Math.max(-2, v.x(s));
      double x1 = GUTTER + Math.min(v.widthPx() + 2, v.x(e));
      g.fillRect(x0, y, Math.max(1, x1 - x0), h);
    }
  }

  private static void drawLinks(
      GraphicsContext g, TimelineModel m, Palette p, Viewport v, double top) {
    Flow flow = m.flow();
    TimelineLayout layout = m.layout();
    List<TimelineLayout.Row> rows = layout.rows();
    g.setLineWidth(1.2);
    for (Block b : flow.blocks()) {
      int br = layout.rowOfBlock(b.spanId());
      if (br < 0) {
        continue;
      }
      double bx = GUTTER + v.x(b.endNanos());
      double by = top + rows.get(br).y() + rows.get(br).height() - 3;
      for (String id : b.releasedBy()) {
        int ci = flow.callIndex(id);
        int cr = layout.rowOfCall(ci);
        if (cr < 0) {
          continue;
        }
        Call c = flow.calls().get(ci);
        if (!v.overlaps(
            Math.min(c.endNanos(), b.endNanos()), Math.max(c.endNanos(), b.endNanos()))) {
          continue;
        }
        double cx = GUTTER + v.x(c.endNanos());
        double cy = top + rows.get(cr).y() + rows.get(cr).height() / 2;
        g.setStroke(p.link());
        g.setLineDashes();
        g.strokeLine(cx, cy, bx, by);
        arrowHead(g, p.link(), cx, cy, bx, by);
      }
    }
    List<Call> calls = flow.calls();
    for (int i : layout.dependentCalls()) {
      Call c = calls.get(i);
      int cr = layout.rowOfCall(i);
      for (Dependency d : c.dependencies()) {
        int di = flow.callIndex(d.spanId());
        int dr = layout.rowOfCall(di);
        if (cr < 0 || dr < 0) {
          continue;
        }
        Call dep = calls.get(di);
        if (!v.overlaps(
            Math.min(dep.endNanos(), c.startNanos()), Math.max(dep.endNanos(), c.startNanos()))) {
          continue;
        }
        double x0 = GUTTER + v.x(dep.endNanos());
        double y0 = top + rows.get(dr).y() + rows.get(dr).height() / 2;
        double x1 = GUTTER + v.x(c.startNanos());
        double y1 = top + rows.get(cr).y() + rows.get(cr).height() / 2;
        g.setStroke(p.dependency());
        if (d.type() == DependencyType.AFTER_WAIT) {
          g.setLineDashes(5, 4);
        } else {
          g.setLineDashes();
        }
        g.strokeLine(x0, y0, x1, y1);
        g.setLineDashes();
        arrowHead(g, p.dependency(), x0, y0, x1, y1);
      }
    }
  }

  private static void arrowHead(
      GraphicsContext g, Color c, double x0, double y0, double x1, double y1) {
    double a = Math.atan2(y1 - y0, x1 - x0);
    double s = 6;
    g.setFill(c);
    g.fillPolygon(
        new double[] {x1, x1 - s * Math.cos(a - 0.45), x1 - s * Math.cos(a + 0.45)},
        new double[] {y1, y1 - s * Math.sin(a - 0.45), y1 - s * Math.sin(a + 0.45)},
        3);
  }

  private static void drawEnds(
      GraphicsContext g, TimelineModel m, Palette p, Flow flow, Viewport v, double h) {
    g.setTextAlign(TextAlignment.LEFT);
    g.setFont(BOLD);
    double x = GUTTER + v.x(flow.endNanos());
    g.setStroke(p.text());
    g.setLineWidth(1);
    // A flow that had not ended stops at its snapshot, not at an end: dashed, and said so.
    if (flow.inProgress()) {
      g.setLineDashes(3, 3);
    } else {
      g.setLineDashes();
    }
    g.strokeLine(x, AXIS_HEIGHT, x, h);
    g.setLineDashes();
    String observed =
        (flow.inProgress() ? "snapshot, not ended: " : "end ")
            + TimeAxis.duration(flow.durationNanos());
    g.setFill(p.text());
    endLabel(g, observed, x, v, h - 24);
    Replay replay = m.replay();
    if (replay != null) {
      long end = m.whatIfEndNanos() > 0 ? m.whatIfEndNanos() : replay.endNanos();
      double rx = GUTTER + v.x(end);
      g.setStroke(p.whatIf());
      g.setLineWidth(2);
      g.setLineDashes(6, 4);
      g.strokeLine(rx, AXIS_HEIGHT, rx, h);
      g.setLineDashes();
      g.setFill(p.whatIf());
      String label = "what if: " + TimeAxis.duration(end - flow.startNanos());
      endLabel(g, label, rx, v, h - 10);
    }
    g.setFont(FONT);
  }

  /** A label beside a vertical line: right of it, or left when it would leave the plot. */
  private static void endLabel(GraphicsContext g, String text, double x, Viewport v, double y) {
    double w = text.length() * CHAR_PX + 8;
    if (x + w > GUTTER + v.widthPx()) {
      g.setTextAlign(TextAlignment.RIGHT);
      g.fillText(text, x - 4, y);
      g.setTextAlign(TextAlignment.LEFT);
    } else {
      g.fillText(text, x + 4, y);
    }
  }

  /** Method, host and path of a call, short: {@code GET users:8081/users/42}. */
  public static String callLabel(Call c) {
    String url = c.url();
    String what;
    if (!url.isEmpty()) {
      int scheme = url.indexOf("://");
      what = scheme >= 0 ? url.substring(scheme + 3) : url;
    } else {
      what = c.hostPort();
    }
    if (what.isEmpty()) {
      what = "call";
    }
    return c.method().isEmpty() ? what : c.method() + " " + what;
  }

  /** Cuts {@code s} to about {@code px} pixels, with an ellipsis. */
  static String fit(String s, double px) {
    int max = (int) (px / CHAR_PX);
    if (s.length() <= max) {
      return s;
    }
    if (max <= 1) {
      return "";
    }
    return s.substring(0, max - 1) + "…";
  }
}
