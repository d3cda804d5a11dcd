package dev.reqflow.report;

import dev.reqflow.analysis.AcrossServices;
import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.List;

/**
 * The suggestions of the services a flow's calls reached, as the text and Markdown reports print
 * them under the flow: per call, a heading naming the callee's flow, then one line per suggestion
 * with its saving there and what it would save of this flow.
 */
final class CalleeLines {
  private CalleeLines() {}

  /** A heading and its lines. */
  record Group(String heading, List<String> lines) {}

  static List<Group> of(FlowReport r, AcrossServices across) {
    if (across.isEmpty()) {
      return List.of();
    }
    List<Group> out = new ArrayList<>();
    for (Call c : r.flow().calls()) {
      List<AcrossServices.CalleeSuggestion> theirs = across.suggestions(r, c);
      if (theirs.isEmpty()) {
        continue;
      }
      Flow callee = theirs.get(0).callee().flow();
      String heading =
          "In "
              + AcrossServices.service(callee)
              + "'s "
              + callee.name()
              + " (trace "
              + Words.shortId(callee.traceId())
              + ", span "
              + callee.spanId()
              + "), for the call "
              + c.label();
      List<String> lines = new ArrayList<>();
      for (AcrossServices.CalleeSuggestion cs : theirs) {
        Suggestion s = cs.suggestion();
        lines.add(
            s.title()
                + "  ["
                + s.kind().id()
                + "]: saves "
                + Durations.format(s.savingNanos())
                + " there, "
                + (cs.callerSavingNanos() > 0
                    ? "up to "
                        + Durations.format(cs.callerSavingNanos())
                        + " of this flow's "
                        + Durations.format(r.flow().durationNanos())
                        + " ("
                        + Words.percent(cs.shareOfCaller())
                        + ")"
                    : "none of this flow's time (it did not wait on that call)"));
      }
      out.add(new Group(heading, List.copyOf(lines)));
    }
    return out;
  }
}
