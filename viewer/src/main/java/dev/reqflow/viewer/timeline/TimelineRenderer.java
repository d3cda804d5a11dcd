package dev.reqflow.viewer.timeline;

import dev.reqflow.analysis.Durations;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.PhaseKind;
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
 * pixel ({@link PixelMerge}) before drawing; labels are placed where they fit, measured with the
 * font's advances ({@link TextWidth}), and cut with an ellipsis when they do not. Under the real
 * lanes, the what-if ({@link WhatIfLayout}) on the same time axis.
 */
public final class TimelineRenderer {
  /** Width of the lane names' column: the plot has the rest. */
  public static final double GUTTER = 150;

  public static final double AXIS_HEIGHT = 26;

  /**
   * A text drawn in a frame: what was shown, the whole text, where, and the right edge of the box
   * it had to fit in. Frames log them so that cut names get a tooltip, and tests check that nothing
   * runs out of its box or is cut without an ellipsis.
   */
  public record DrawnText(
      String shown, String full, double x, double y, double width, double right) {
    public boolean cut() {
      return !shown.equals(full);
    }
  }

  /** Arrows are left out when more calls than this are visible: they would be noise. */
  static final int MAX_ARROWS = 3_000;

  static final Font FONT = Font.font("System", 11);
  static final Font BOLD = Font.font("System", FontWeight.BOLD, 11);

  private TimelineRenderer() {}

  /** Pixel width of the plot for a canvas of that width. */
  public static double plotWidth(double canvasWidth) {
    return Math.max(1, canvasWidth - GUTTER);
  }

  public static void draw(GraphicsContext g, TimelineModel m, Viewport v, double w, double h) {
    draw(g, m, v, w, h, null);
  }

  /** Draws, and adds every text drawn to {@code log} when it is not null. */
  public static void draw(
      GraphicsContext g, TimelineModel m, Viewport v, double w, double h, List<DrawnText> log) {
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
    List<Flag> flags = flags(m, flow, v);
    drawAxis(g, p, flow, v, w, h, flags, log);

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
        drawThreadRow(
            g, m, p, flow.lanes().get(row.lane()), row.lane() == 0, v, y, row.height(), log);
      } else if (row.kind() == TimelineLayout.Kind.CALLEES) {
        drawCalleeRow(g, m, p, row, v, y, row.height(), log);
      } else {
        visibleCalls += drawCallRow(g, m, p, row, flow.calls(), v, y, row.height(), log);
      }
    }
    if (visibleCalls <= MAX_ARROWS) {
      drawLinks(g, m, p, v, top);
    }
    // The end lines first: the what-if's end times are written over them, not crossed by them.
    drawEndLines(g, m, p, flow, v);
    WhatIfLayout whatIf = m.whatIf();
    if (whatIf != null) {
      drawWhatIf(g, m, p, whatIf, v, w, h, top + layout.height(), log);
    }
    if (pinned(v)) {
      // Scrolled down (to the what-if, or other lanes): the page's own lane stays in view on top.
      double y = AXIS_HEIGHT;
      double rh = TimelineLayout.THREAD_ROW_HEIGHT;
      g.setFill(p.background());
      g.fillRect(0, y, w, rh);
      drawThreadRow(g, m, p, flow.lanes().get(0), true, v, y, rh, log);
      g.setStroke(p.grid());
      g.setLineWidth(1);
      g.strokeLine(0, y + rh + 0.5, w, y + rh + 0.5);
    }
    g.restore();

    drawEndFlags(g, p, flags, log);
    drawGutter(g, m, p, v, w, h, top, log);
    g.restore();
  }

  /** True when the rows are scrolled: the render thread's lane is then pinned under the axis. */
  public static boolean pinned(Viewport v) {
    return v.scrollY() > 0;
  }

  /**
   * Draws {@code text} left-aligned at {@code x}, cut with an ellipsis to end before {@code right};
   * nothing when not even a character fits. Logs it.
   */
  private static void text(
      GraphicsContext g,
      List<DrawnText> log,
      String text,
      Font font,
      double x,
      double y,
      double right) {
    String shown = TextWidth.fit(text, font, right - x);
    if (shown.isEmpty()) {
      return;
    }
    g.setFont(font);
    g.setTextAlign(TextAlignment.LEFT);
    g.fillText(shown, x, y);
    if (log != null) {
      log.add(new DrawnText(shown, text, x, y, TextWidth.of(shown, font), right));
    }
  }

  private static void drawAxis(
      GraphicsContext g,
      Palette p,
      Flow flow,
      Viewport v,
      double w,
      double h,
      List<Flag> flags,
      List<DrawnText> log) {
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
      // The last tick's label goes left of its line when it would run off the plot.
      double lw = TextWidth.of(t.label(), FONT);
      double lx = x + 3 + lw <= w ? x + 3 : x - 3 - lw;
      if (lx >= GUTTER && !underFlag(flags, lx, lx + lw)) {
        text(g, log, t.label(), FONT, lx, AXIS_HEIGHT / 2 - 2, lx + lw + 1);
      }
    }
  }

  private static void drawGutter(
      GraphicsContext g,
      TimelineModel m,
      Palette p,
      Viewport v,
      double w,
      double h,
      double top,
      List<DrawnText> log) {
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
    // under the pinned render lane when the rows are scrolled
    double clipTop = AXIS_HEIGHT + (pinned(v) ? TimelineLayout.THREAD_ROW_HEIGHT : 0);
    g.rect(0, clipTop, GUTTER, h - clipTop);
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
      String name = layout.laneName(l);
      g.setFill(p.text());
      int subject = name.indexOf(Names.SUBJECT_SEPARATOR);
      if (l > 0
          && calls == 0
          && subject > 0
          && TextWidth.of(name, FONT) > GUTTER - 6 - 8
          && row.height() >= TimelineLayout.THREAD_ROW_HEIGHT) {
        // Threads alike but for what they did (OkHttp's dispatcher threads: "OkHttp #183 · waits
        // /recommendations"): the thread on one line, what it did under it, where a lane that
        // issued no call has no caption, rather than both cut to "OkHttp #183 · waits /r...".
        text(g, log, name.substring(0, subject), FONT, 8, y + 6, GUTTER - 6);
        g.setFill(p.mutedText());
        text(
            g,
            log,
            name.substring(subject + Names.SUBJECT_SEPARATOR.length()),
            FONT,
            8,
            y + 19,
            GUTTER - 3);
        continue;
      }
      text(g, log, name, l == 0 ? BOLD : FONT, 8, y + row.height() / 2, GUTTER - 6);
      if (l == 0 && calls == 0) {
        g.setFill(p.mutedText());
        text(g, log, "render thread", FONT, 14, y + row.height() + 6, GUTTER - 6);
      }
      if (calls > 0) {
        g.setFill(p.mutedText());
        String role = l == 0 ? "render thread, " : "";
        text(
            g,
            log,
            role + calls + (calls == 1 ? " call" : " calls"),
            FONT,
            14,
            y + row.height() + 9,
            GUTTER - 6);
      }
    }
    for (TimelineLayout.Row row : layout.rows()) {
      double y = top + row.y();
      if (row.kind() != TimelineLayout.Kind.CALLEES || y > h || y + row.height() < AXIS_HEIGHT) {
        continue;
      }
      g.setFill(p.mutedText());
      text(g, log, calleeRowName(layout, row), FONT, 14, y + row.height() / 2, GUTTER - 6);
    }
    WhatIfLayout whatIf = m.whatIf();
    if (whatIf != null) {
      double wy = top + layout.height();
      g.setFill(p.whatIf());
      text(
          g,
          log,
          "what if",
          BOLD,
          8,
          wy + WhatIfLayout.GAP + WhatIfLayout.TITLE_HEIGHT / 2,
          GUTTER - 6);
      g.setFill(p.text());
      text(
          g,
          log,
          "page (replayed)",
          BOLD,
          8,
          wy + whatIf.pageY() + TimelineLayout.THREAD_ROW_HEIGHT / 2,
          GUTTER - 6);
      g.setFill(p.mutedText());
      for (int r = 0; r < whatIf.callRows().size(); r++) {
        double ry = wy + whatIf.callRowY(r);
        if (ry > h || ry + TimelineLayout.CALL_ROW_HEIGHT < AXIS_HEIGHT) {
          continue;
        }
        int[] callsOnRow = whatIf.callRows().get(r);
        String name = whatIf.ownLanes() ? layout.callLabel(callsOnRow[0]) : "replayed calls";
        text(g, log, name, FONT, 14, ry + TimelineLayout.CALL_ROW_HEIGHT / 2, GUTTER - 6);
      }
    }
    g.restore();
    if (pinned(v)) {
      g.setFill(p.gutter());
      g.fillRect(0, AXIS_HEIGHT, GUTTER, TimelineLayout.THREAD_ROW_HEIGHT);
      g.setFill(p.text());
      text(
          g,
          log,
          layout.laneName(0),
          BOLD,
          8,
          AXIS_HEIGHT + TimelineLayout.THREAD_ROW_HEIGHT / 2,
          GUTTER - 6);
    }
  }

  private static void drawThreadRow(
      GraphicsContext g,
      TimelineModel m,
      Palette p,
      ThreadLane lane,
      boolean render,
      Viewport v,
      double y,
      double rh,
      List<DrawnText> log) {
    Flow flow = m.flow();
    if (render) {
      double x0 = GUTTER + Math.max(-2, v.x(flow.startNanos()));
      double x1 = GUTTER + Math.min(v.widthPx() + 2, v.x(flow.endNanos()));
      if (x1 > x0) {
        g.setFill(p.running());
        g.fillRect(x0, y + rh / 2 - 4, x1 - x0, 8);
      }
    }
    // Waits narrower than a few pixels add up per pixel column and are drawn with the share of the
    // column they cover (see BlockedCoverage), so that many short waits do not look like one long
    // one.
    double[] coverage = null;
    for (Block b : lane.blocks()) {
      if (!v.overlaps(b.startNanos(), b.endNanos())) {
        continue;
      }
      double rx0 = v.x(b.startNanos());
      double rx1 = v.x(b.endNanos());
      if (rx1 - rx0 < BlockedCoverage.NARROW_PX) {
        if (coverage == null) {
          coverage = new double[(int) Math.ceil(v.widthPx()) + 1];
        }
        BlockedCoverage.add(coverage, rx0, rx1);
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
      String label = "blocked " + dev.reqflow.analysis.Durations.format(b.durationNanos());
      if (bw > TextWidth.of(label, BOLD) + 8) {
        g.setFill(Color.WHITE);
        text(g, log, label, BOLD, bx0 + 4, y + rh / 2, bx0 + bw - 2);
        g.setFont(FONT);
      }
    }
    if (coverage != null) {
      // Each column's blocked share is the band's height there: exact at every zoom.
      g.setFill(p.blocked());
      double band = rh - 6;
      for (int col = 0; col < coverage.length; col++) {
        if (coverage[col] > 0) {
          double h = Math.max(1, Math.min(1, coverage[col]) * band);
          g.fillRect(GUTTER + col, y + 3 + band - h, 1, h);
        }
      }
    }
  }

  /** The gutter's name of a row of callee flows: the service they ran in. */
  static String calleeRowName(TimelineLayout layout, TimelineLayout.Row row) {
    String service = null;
    for (int c : row.calls()) {
      String s = layout.callee(c).service();
      if (service != null && !service.equals(s)) {
        return "↳ in called services";
      }
      service = s;
    }
    return "↳ in " + service;
  }

  /**
   * The flows other services ran for the calls of the row above, each inside its call: its own code
   * as the render thread's running bar, its render thread's waits on its own calls as blocked time
   * (hatched red, as the page's), so that what of the page's wait was the called service waiting
   * reads at a glance. A flow whose waits were not recorded is drawn as running with a dashed
   * outline and says so where it has room.
   */
  private static void drawCalleeRow(
      GraphicsContext g,
      TimelineModel m,
      Palette p,
      TimelineLayout.Row row,
      Viewport v,
      double y,
      double rh,
      List<DrawnText> log) {
    TimelineLayout layout = m.layout();
    TimelineModel.SpanRef sel = m.selected();
    double lastRight = Double.NEGATIVE_INFINITY;
    for (int i = TimelineLayout.firstEndingAtOrAfter(row, v.startNanos());
        i < row.calls().length;
        i++) {
      long s = row.starts()[i];
      long e = row.ends()[i];
      if (s > v.endNanos()) {
        break;
      }
      double x0 = GUTTER + Math.max(-2, v.x(s));
      double x1 = GUTTER + Math.min(v.widthPx() + 2, v.x(e));
      if (x1 - x0 < 3) {
        // Too narrow to show what it did: one mark per pixel, as merged calls are.
        if (x0 >= lastRight) {
          g.setFill(p.merged());
          g.fillRect(x0, y + 3, Math.max(1, x1 - x0), rh - 6);
          lastRight = x0 + 1;
        }
        continue;
      }
      lastRight = x1;
      int callIndex = row.calls()[i];
      Callee callee = layout.callee(callIndex);
      g.setFill(p.running());
      g.fillRect(x0, y + rh / 2 - 4, x1 - x0, 8);
      g.fillRect(x0, y + 3, 2, rh - 6);
      g.fillRect(x1 - 2, y + 3, 2, rh - 6);
      Flow f = callee.flow();
      if (!f.waitsRecorded()) {
        g.setStroke(p.mutedText());
        g.setLineWidth(1);
        g.setLineDashes(3, 3);
        g.strokeRect(x0, y + 2, x1 - x0, rh - 4);
        g.setLineDashes();
        String note = "waits not recorded";
        if (x1 - x0 > TextWidth.of(note, FONT) + 8) {
          g.setFill(p.text());
          text(g, log, note, FONT, x0 + 4, y + rh / 2, x1 - 2);
        }
      } else {
        drawCalleeBlocks(g, p, callee, s, e, v, y, rh, log);
      }
      if (sel != null && sel.callIndex() == callIndex) {
        g.setStroke(p.selection());
        g.setLineWidth(3);
        g.strokeRect(x0 - 1, y + 2, x1 - x0 + 2, rh - 4);
      }
    }
  }

  /** A callee's render-thread waits, moved by its shift and cut to where it is drawn. */
  private static void drawCalleeBlocks(
      GraphicsContext g,
      Palette p,
      Callee callee,
      long from,
      long to,
      Viewport v,
      double y,
      double rh,
      List<DrawnText> log) {
    double[] coverage = null;
    for (Block b : callee.flow().renderBlocks()) {
      long bs = Math.max(from, b.startNanos() + callee.shiftNanos());
      long be = Math.min(to, b.endNanos() + callee.shiftNanos());
      if (be <= bs || !v.overlaps(bs, be)) {
        continue;
      }
      double rx0 = v.x(bs);
      double rx1 = v.x(be);
      if (rx1 - rx0 < BlockedCoverage.NARROW_PX) {
        if (coverage == null) {
          coverage = new double[(int) Math.ceil(v.widthPx()) + 1];
        }
        BlockedCoverage.add(coverage, rx0, rx1);
        continue;
      }
      double bx0 = GUTTER + Math.max(-2, rx0);
      double bx1 = GUTTER + Math.min(v.widthPx() + 2, rx1);
      drawBlocked(g, p, bx0, y + 3, Math.max(2, bx1 - bx0), rh - 6);
      String label = "blocked " + dev.reqflow.analysis.Durations.format(be - bs);
      if (bx1 - bx0 > TextWidth.of(label, BOLD) + 8) {
        g.setFill(Color.WHITE);
        text(g, log, label, BOLD, bx0 + 4, y + rh / 2, bx1 - 2);
        g.setFont(FONT);
      }
    }
    if (coverage != null) {
      g.setFill(p.blocked());
      double band = rh - 6;
      for (int col = 0; col < coverage.length; col++) {
        if (coverage[col] > 0) {
          double bh = Math.max(1, Math.min(1, coverage[col]) * band);
          g.fillRect(GUTTER + col, y + 3 + band - bh, 1, bh);
        }
      }
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
      double rh,
      List<DrawnText> log) {
    int[] count = {0};
    double barY = y + 3;
    double barH = rh - 6;
    TimelineLayout layout = m.layout();
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
          if (right - left > 40) {
            g.setFill(LABEL_ON_BAR);
            text(g, log, layout.callLabel(idx), FONT, left + 4, barY + barH / 2, right - 2);
          }
        });
    // The selected call stands out even where its neighbours merge into one run: drawn again on
    // top, at least 3 px wide, outlined.
    if (sel != null
        && sel.isCall()
        && sel.callIndex() < calls.size()
        && layout.rows().get(layout.rowOfCall(sel.callIndex())) == row) {
      Call c = calls.get(sel.callIndex());
      if (v.overlaps(c.startNanos(), c.endNanos())) {
        double left = GUTTER + Math.max(-2, v.x(c.startNanos()));
        double right = Math.max(left + 3, GUTTER + Math.min(v.widthPx() + 2, v.x(c.endNanos())));
        drawCall(g, p, c, v, left, right, barY, barH);
        g.setStroke(p.selection());
        g.setLineWidth(3);
        g.strokeRect(left - 1, barY - 1, right - left + 2, barH + 2);
      }
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

  /** Dark text on the light phase colours of bars, in both themes. */
  private static final Color LABEL_ON_BAR = Color.web("#0b1220");

  /**
   * The what-if under the real lanes, from content height {@code y0}: its title with the end and
   * the saving, the replayed page lane, each replayed call (queued part, then in flight) with its
   * end time.
   */
  private static void drawWhatIf(
      GraphicsContext g,
      TimelineModel m,
      Palette p,
      WhatIfLayout wi,
      Viewport v,
      double w,
      double h,
      double y0,
      List<DrawnText> log) {
    Flow flow = m.flow();
    TimelineLayout layout = m.layout();
    Replay replay = wi.replay();
    double titleY = y0 + WhatIfLayout.GAP;
    if (titleY + WhatIfLayout.TITLE_HEIGHT >= AXIS_HEIGHT && titleY <= h) {
      g.setFill(p.whatIf().deriveColor(0, 1, 1, 0.14));
      g.fillRect(0, titleY, w, WhatIfLayout.TITLE_HEIGHT);
      g.setStroke(p.whatIf());
      g.setLineWidth(1);
      g.strokeLine(0, titleY + 0.5, w, titleY + 0.5);
      // The report's words and units, as in the suggestions pane.
      String end = Durations.format(wi.endNanos() - flow.startNanos());
      String saving =
          wi.savingNanos() > 0
              ? "saves " + Durations.format(wi.savingNanos())
              : wi.savingNanos() < 0 ? "costs " + Durations.format(-wi.savingNanos()) : "no saving";
      String line =
          saving
              + ": "
              + Durations.format(flow.durationNanos())
              + " → "
              + end
              + (wi.title().isEmpty() ? "" : " · " + wi.title());
      g.setFill(p.text());
      // Wrapped, not cut: at 1024 px a long change ("Raise the per-host limit of dispatcher ...")
      // and its saving are wider than the plot.
      List<String> lines = TextWidth.wrap(line, BOLD, w - 4 - (GUTTER + 6), 2);
      double y =
          titleY + WhatIfLayout.TITLE_HEIGHT / 2 - (lines.size() - 1) * WhatIfLayout.TITLE_LINE / 2;
      for (String l : lines) {
        text(g, log, l, BOLD, GUTTER + 6, y, w - 4);
        y += WhatIfLayout.TITLE_LINE;
      }
    }
    double pageY = y0 + wi.pageY();
    double rh = TimelineLayout.THREAD_ROW_HEIGHT;
    if (pageY + rh >= AXIS_HEIGHT && pageY <= h) {
      double x0 = GUTTER + Math.max(-2, v.x(flow.startNanos()));
      double x1 = GUTTER + Math.min(v.widthPx() + 2, v.x(wi.endNanos()));
      if (x1 > x0) {
        g.setFill(p.running());
        g.fillRect(x0, pageY + rh / 2 - 4, x1 - x0, 8);
        g.setFill(p.whatIf());
        g.fillRect(x1 - 2, pageY + 3, 3, rh - 6);
      }
      g.setFill(p.text());
      endText(
          g,
          p,
          log,
          "page ends at " + Durations.format(wi.endNanos() - flow.startNanos()),
          x1,
          pageY + rh / 2,
          v);
    }
    double ch = TimelineLayout.CALL_ROW_HEIGHT;
    Color queued = p.phase(PhaseKind.QUEUED);
    for (int r = 0; r < wi.callRows().size(); r++) {
      double y = y0 + wi.callRowY(r);
      if (y > h) {
        break;
      }
      if (y + ch < AXIS_HEIGHT) {
        continue;
      }
      int[] row = wi.callRows().get(r);
      if (row.length > MAX_ARROWS) {
        continue;
      }
      for (int i : row) {
        if (i >= replay.callCount()) {
          continue;
        }
        long s = replay.issueNanos(i);
        long d = replay.dispatchNanos(i);
        long e = replay.endNanos(i);
        double bx0 = GUTTER + Math.max(-2, v.x(s));
        double bx1 = GUTTER + Math.min(v.widthPx() + 2, v.x(e));
        if (e <= s) {
          g.setFill(p.mutedText());
          text(g, log, "dropped", FONT, bx0 + 2, y + ch / 2, w - 4);
          continue;
        }
        if (!v.overlaps(s, e)) {
          continue;
        }
        double dx = GUTTER + Math.min(v.widthPx() + 2, Math.max(-2, v.x(d)));
        if (dx > bx0) {
          g.setFill(queued);
          g.fillRect(bx0, y + 3, dx - bx0, ch - 6);
        }
        g.setFill(p.whatIf());
        g.fillRect(Math.max(bx0, dx), y + 3, Math.max(1, bx1 - Math.max(bx0, dx)), ch - 6);
        if (bx1 - bx0 > 40 && !wi.ownLanes()) {
          g.setFill(Color.WHITE);
          text(g, log, layout.callLabel(i), FONT, bx0 + 4, y + ch / 2, bx1 - 2);
        }
        if (wi.ownLanes()) {
          g.setFill(p.text());
          endText(g, p, log, Durations.format(e - flow.startNanos()), bx1, y + ch / 2, v);
        }
      }
    }
  }

  /** A time right of a bar's end, or left of it when the plot ends first. */
  private static void endText(
      GraphicsContext g, Palette p, List<DrawnText> log, String s, double x, double y, Viewport v) {
    double tw = TextWidth.of(s, FONT);
    double plotRight = GUTTER + v.widthPx();
    boolean right = x + 4 + tw <= plotRight;
    double tx = right ? x + 4 : Math.max(GUTTER + 2, x - 4 - tw);
    // on the plot's background, so that an end line under it does not cross the digits
    g.setFill(p.background());
    g.fillRect(tx - 1, y - 7, Math.min(tw, (right ? plotRight : x - 2) - tx) + 2, 14);
    g.setFill(p.text());
    text(g, log, s, FONT, tx, y, right ? plotRight : x - 2);
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

  /** The flow's end, and the what-if's end when shown, as vertical lines over the lanes. */
  private static void drawEndLines(
      GraphicsContext g, TimelineModel m, Palette p, Flow flow, Viewport v) {
    double h = g.getCanvas().getHeight();
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
    // A flow that stalled and ended later: when the agent's snapshot found it stalled.
    if (flow.stalledThenEnded()) {
      double sx = GUTTER + v.x(flow.stall().atNanos());
      g.setStroke(p.blocked());
      g.setLineWidth(1.5);
      g.setLineDashes(2, 3);
      g.strokeLine(sx, AXIS_HEIGHT, sx, h);
      g.setLineDashes();
    }
    WhatIfLayout wi = m.whatIf();
    if (wi != null) {
      double rx = GUTTER + v.x(wi.endNanos());
      g.setStroke(p.whatIf());
      g.setLineWidth(2);
      g.setLineDashes(6, 4);
      g.strokeLine(rx, AXIS_HEIGHT, rx, h);
      g.setLineDashes();
    }
  }

  /** A time written in the axis band above its line: the flow's end, the what-if's end. */
  record Flag(String text, double x, double width, boolean whatIf) {}

  /**
   * Where the end flags go, over the tick labels so that they read over no bar: right of their
   * line, or left when the plot ends first; the what-if's on the other side of the real end's,
   * which it is always before or after. Ends off the plot get none.
   */
  static List<Flag> flags(TimelineModel m, Flow flow, Viewport v) {
    List<Flag> out = new java.util.ArrayList<>(2);
    WhatIfLayout wi = m.whatIf();
    boolean whatIfEarlier = wi != null && wi.endNanos() < flow.endNanos();
    // A flow that had not ended stops at its snapshot: its "end" says so.
    String end =
        (flow.inProgress() ? "snapshot, not ended: " : "end ")
            + Durations.format(flow.durationNanos());
    flag(out, end, flow.endNanos(), v, !whatIfEarlier, false);
    if (flow.stalledThenEnded()) {
      long at = flow.stall().atNanos();
      flag(out, "stalled at " + Durations.format(at - flow.startNanos()), at, v, true, false);
    }
    if (wi != null) {
      String label = "what if " + Durations.format(wi.endNanos() - flow.startNanos());
      flag(out, label, wi.endNanos(), v, whatIfEarlier, true);
    }
    return out;
  }

  private static void flag(
      List<Flag> out, String text, long nanos, Viewport v, boolean left, boolean whatIf) {
    double x = GUTTER + v.x(nanos);
    double plotRight = GUTTER + v.widthPx();
    if (x < GUTTER || x > plotRight) {
      return;
    }
    double w = TextWidth.of(text, BOLD);
    boolean fitsRight = x + 4 + w <= plotRight;
    boolean fitsLeft = x - 4 - w >= GUTTER;
    double tx = (left && fitsLeft) || !fitsRight ? Math.max(GUTTER + 2, x - 4 - w) : x + 4;
    out.add(new Flag(text, tx, w, whatIf));
  }

  private static boolean underFlag(List<Flag> flags, double x0, double x1) {
    for (Flag f : flags) {
      if (x1 >= f.x() - 6 && x0 <= f.x() + f.width() + 6) {
        return true;
      }
    }
    return false;
  }

  /** The flags, on the axis band's colour. */
  private static void drawEndFlags(
      GraphicsContext g, Palette p, List<Flag> flags, List<DrawnText> log) {
    for (Flag f : flags) {
      g.setFill(p.gutter());
      g.fillRect(f.x() - 3, 1, f.width() + 6, AXIS_HEIGHT - 8);
      g.setFill(f.whatIf() ? p.whatIf() : p.text());
      text(g, log, f.text(), BOLD, f.x(), AXIS_HEIGHT / 2 - 2, f.x() + f.width() + 1);
    }
    g.setFont(FONT);
  }
}
