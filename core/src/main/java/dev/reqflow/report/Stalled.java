package dev.reqflow.report;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.StalledFlow;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.List;

/**
 * What the report says first of all: the flows that had not ended when the trace was written (a
 * page that hangs, a deadlock), each with what its threads waited on.
 *
 * @param flows the flows in progress, the deadlocked and stalled first (see {@link StalledFlow#of})
 */
record Stalled(List<StalledFlow> flows) {
  /** Flows in progress shown in detail by text and Markdown; JSON lists all. */
  static final int SHOWN = 10;

  static Stalled of(ReportInput in) {
    List<Flow> flows = new ArrayList<>();
    for (FlowReport r : in.analysis().flows()) {
      flows.add(r.flow());
    }
    return new Stalled(StalledFlow.of(flows));
  }

  /** True when some of the endpoint's flows had not ended. */
  boolean covers(dev.reqflow.analysis.EndpointSummary e) {
    for (StalledFlow s : flows) {
      if (s.flow().service().equals(e.service()) && s.flow().name().equals(e.name())) {
        return true;
      }
    }
    return false;
  }

  boolean any() {
    return !flows.isEmpty();
  }

  List<StalledFlow> shown() {
    return flows.subList(0, Math.min(SHOWN, flows.size()));
  }

  /**
   * {@code 2 flows had not ended when the trace was written: 1 deadlocked, 2 stalled.}: the
   * sentence under the section's title.
   */
  String sentence() {
    int stalled = 0;
    int deadlocked = 0;
    for (StalledFlow s : flows) {
      stalled += s.stalled() ? 1 : 0;
      deadlocked += s.deadlocks().isEmpty() ? 0 : 1;
    }
    StringBuilder b =
        new StringBuilder(Words.plural(flows.size(), "flow"))
            .append(" had not ended when the trace was written");
    List<String> parts = new ArrayList<>();
    if (deadlocked > 0) {
      parts.add(deadlocked + " deadlocked");
    }
    if (stalled > 0) {
      parts.add(stalled + " stalled");
    }
    if (stalled < flows.size()) {
      parts.add((flows.size() - stalled) + " merely in progress when the process stopped");
    }
    return b.append(": ").append(String.join(", ", parts)).append('.').toString();
  }

  /** The flow's name, when, and its trace: {@code GET /page at 2026-...Z, trace 1a2b3c4d5e6f}. */
  static String title(StalledFlow s) {
    Flow f = s.flow();
    return f.name()
        + (f.service().isEmpty() ? "" : " (" + f.service() + ")")
        + " at "
        + Words.time(f.startNanos())
        + ", trace "
        + f.traceId();
  }
}
