package dev.reqflow.report;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.StalledFlow;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.List;

/**
 * What the report says first of all: the flows that had not ended when the trace was written (a
 * page that hangs, a deadlock), and those that stalled and ended only later (a page that hung until
 * a timeout), each with what its threads waited on.
 *
 * @param flows the flows in progress or stalled, the deadlocked and stalled first (see {@link
 *     StalledFlow#of})
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

  /** How many of them stalled and ended later. */
  int ended() {
    int n = 0;
    for (StalledFlow s : flows) {
      n += s.ended() ? 1 : 0;
    }
    return n;
  }

  /**
   * What they are, for the line that says there is nothing else to change: {@code 2 flows had not
   * ended}, {@code 1 flow stalled and ended only later}, or {@code 3 flows stalled or had not
   * ended}.
   */
  String what() {
    int ended = ended();
    String n = Words.plural(flows.size(), "flow");
    if (ended == 0) {
      return n + " had not ended";
    }
    return n
        + (ended == flows.size() ? " stalled and ended only later" : " stalled or had not ended");
  }

  /** {@code from the flows that ended}, or {@code beyond the stalled flows} when some ended. */
  String nothingFrom() {
    return ended() == 0 ? "from the flows that ended" : "beyond the stalled flows";
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
    int ended = ended();
    for (StalledFlow s : flows) {
      stalled += s.stalled() ? 1 : 0;
      deadlocked += s.deadlocks().isEmpty() ? 0 : 1;
    }
    if (ended > 0) {
      return endedSentence(stalled, deadlocked, ended);
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

  /**
   * {@code 1 flow stalled and ended only later: 1 deadlocked.}, or with flows that had not ended:
   * {@code 2 flows stalled or had not ended: 1 deadlocked, 1 stalled and ended only later, 1 had
   * not ended when the trace was written (stalled).}
   */
  private String endedSentence(int stalled, int deadlocked, int ended) {
    List<String> parts = new ArrayList<>();
    if (deadlocked > 0) {
      parts.add(deadlocked + " deadlocked");
    }
    int open = flows.size() - ended;
    if (open > 0) {
      parts.add(ended + " stalled and ended only later");
      int openStalled = stalled - ended;
      List<String> how = new ArrayList<>();
      if (openStalled > 0) {
        how.add(openStalled + " stalled");
      }
      if (open > openStalled) {
        how.add((open - openStalled) + " merely in progress when the process stopped");
      }
      parts.add(
          open + " had not ended when the trace was written (" + String.join(", ", how) + ")");
    }
    return what() + (parts.isEmpty() ? "" : ": " + String.join(", ", parts)) + ".";
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
