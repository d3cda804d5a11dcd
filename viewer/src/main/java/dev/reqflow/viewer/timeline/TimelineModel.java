package dev.reqflow.viewer.timeline;

import dev.reqflow.flow.Flow;
import dev.reqflow.whatif.Replay;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the timeline shows besides the viewport: the flow and its layout, the selected and hovered
 * span, the evidence of the selected suggestion, the critical path and the what-if replay. State
 * lives here; the renderer reads it and the view only translates input into changes. Listeners hear
 * about every change, so the view can mark itself dirty. FX thread only.
 */
public final class TimelineModel {
  private Flow flow;
  private TimelineLayout layout;
  private SpanRef selected;
  private SpanRef hovered;
  private Set<String> evidence = Set.of();
  private Set<String> critical = Set.of();
  private WhatIfLayout whatIf;
  private boolean dark;
  private final List<Runnable> listeners = new ArrayList<>();

  /** A span of the flow the user points at: a call (by index) or a block (by span id). */
  public record SpanRef(int callIndex, String blockId) {
    public static SpanRef call(int index) {
      return new SpanRef(index, null);
    }

    public static SpanRef block(String id) {
      return new SpanRef(-1, id);
    }

    public boolean isCall() {
      return callIndex >= 0;
    }
  }

  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  private void changed() {
    for (Runnable r : listeners) {
      r.run();
    }
  }

  /** Shows another flow (or none); clears what belonged to the previous one. */
  public void setFlow(Flow newFlow) {
    setFlow(newFlow, java.util.Map.of());
  }

  /**
   * Shows another flow (or none) with the flows other services ran for its calls, by call span id,
   * drawn inside those calls; clears what belonged to the previous one.
   */
  public void setFlow(Flow newFlow, java.util.Map<String, Flow> callees) {
    flow = newFlow;
    layout = newFlow == null ? null : TimelineLayout.of(newFlow, callees);
    selected = null;
    hovered = null;
    evidence = Set.of();
    critical = Set.of();
    whatIf = null;
    changed();
  }

  public Flow flow() {
    return flow;
  }

  public TimelineLayout layout() {
    return layout;
  }

  public SpanRef selected() {
    return selected;
  }

  public void select(SpanRef ref) {
    selected = ref;
    changed();
  }

  public SpanRef hovered() {
    return hovered;
  }

  public void hover(SpanRef ref) {
    if (ref == null ? hovered != null : !ref.equals(hovered)) {
      hovered = ref;
      changed();
    }
  }

  /** Span ids (calls and blocks) to highlight: the evidence of the selected suggestion. */
  public Set<String> evidence() {
    return evidence;
  }

  public void setEvidence(Set<String> spanIds) {
    evidence = Set.copyOf(spanIds);
    changed();
  }

  /** Span ids on the critical path, drawn emphasised. */
  public Set<String> critical() {
    return critical;
  }

  public void setCritical(Set<String> spanIds) {
    critical = Set.copyOf(spanIds);
    changed();
  }

  /** The simulated flow drawn under the real one, or null. */
  public Replay replay() {
    return whatIf == null ? null : whatIf.replay();
  }

  /** The what-if drawn under the real lanes, or null. */
  public WhatIfLayout whatIf() {
    return whatIf;
  }

  /**
   * When the flow would end with the change: the flow's start plus the predicted duration, which
   * corrects the replay by the model's own error on the recording (see {@code Prediction}); 0 when
   * no what-if is shown.
   */
  public long whatIfEndNanos() {
    return whatIf == null ? 0 : whatIf.endNanos();
  }

  /** Shows a what-if under the real lanes, or none. */
  public void setWhatIf(WhatIfLayout newWhatIf) {
    whatIf = newWhatIf;
    changed();
  }

  /** Height of everything drawn below the axis: the real lanes, then the what-if. */
  public double contentHeight() {
    if (layout == null) {
      return 0;
    }
    return layout.height() + (whatIf == null ? 0 : whatIf.height());
  }

  public boolean dark() {
    return dark;
  }

  public void setDark(boolean isDark) {
    dark = isDark;
    changed();
  }

  public Palette palette() {
    return dark ? Palette.DARK : Palette.LIGHT;
  }
}
