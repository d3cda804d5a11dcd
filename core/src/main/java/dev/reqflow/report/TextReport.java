package dev.reqflow.report;

import dev.reqflow.analysis.CriticalPath;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.EndpointSummary;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.flow.Flow;
import java.io.PrintWriter;
import java.util.List;

/** The report for a terminal. */
final class TextReport {
  private TextReport() {}

  static void write(ReportInput in, PrintWriter out) {
    List<EndpointSummary> endpoints = in.analysis().endpoints();
    out.println(
        "reqflow report: "
            + Words.plural(in.analysis().flows().size(), "flow")
            + " of "
            + Words.plural(endpoints.size(), "endpoint")
            + ", from "
            + Words.plural(in.files(), "file")
            + " ("
            + Words.plural((int) in.spans(), "span")
            + ")");
    for (String w : in.warnings()) {
      out.println("warning: " + w);
    }
    for (EndpointSummary e : endpoints) {
      out.println();
      out.println(
          "== " + e.name() + (e.service().isEmpty() ? "" : " (" + e.service() + ")") + " ==");
      out.println(
          Words.plural(e.flowCount(), "flow")
              + ": median "
              + Durations.format(e.p50Nanos())
              + ", p95 "
              + Durations.format(e.p95Nanos())
              + ", max "
              + Durations.format(e.maxNanos())
              + "; the page waited on calls "
              + Words.percent(e.blockedShare())
              + " of the time");
      if (!e.topBlockers().isEmpty()) {
        out.println("Calls that held the page up most:");
        for (EndpointSummary.Blocker b : e.topBlockers()) {
          out.println(
              "  "
                  + Durations.format(b.totalBlockedNanos())
                  + " in "
                  + Words.plural(b.flows(), "flow")
                  + ": "
                  + b.call());
        }
      }
      if (!e.suggestions().isEmpty()) {
        out.println("Suggestions:");
        for (EndpointSummary.SuggestionCount c : e.suggestions()) {
          out.println(
              "  "
                  + c.kind().id()
                  + " in "
                  + c.flows()
                  + " of "
                  + e.flowCount()
                  + " flows, median saving "
                  + Durations.format(c.medianSavingNanos()));
        }
      }
      List<FlowReport> detailed = in.detailed(e.service(), e.name());
      if (detailed.size() < e.flowCount()) {
        out.println(
            "(the "
                + detailed.size()
                + " slowest flows follow; --format json lists all "
                + e.flowCount()
                + ")");
      }
      for (FlowReport r : detailed) {
        writeFlow(r, out);
      }
    }
    out.flush();
  }

  private static void writeFlow(FlowReport r, PrintWriter out) {
    Flow f = r.flow();
    CriticalPath path = r.criticalPath();
    out.println();
    out.println("-- " + f.name() + " at " + Words.time(f.startNanos()) + ", trace " + f.traceId());
    out.println("   " + Words.flowLine(f, path));
    for (String w : f.warnings()) {
      out.println("   note: " + w);
    }
    out.println("   Critical path (render thread " + f.renderThread().label() + "):");
    for (Segment s : path.segments()) {
      String phases = Words.phases(s);
      out.println(
          String.format(
              "     %9s %9s  %s%s",
              "+" + Durations.format(s.startNanos() - f.startNanos()),
              Durations.format(s.durationNanos()),
              Words.segment(s),
              phases.isEmpty() ? "" : ": " + phases));
    }
    if (r.suggestions().isEmpty()) {
      out.println("   No suggestions" + (path.waitsRecorded() ? ": nothing worth changing." : "."));
      return;
    }
    out.println("   Suggestions, best first:");
    int i = 1;
    for (Suggestion s : r.suggestions()) {
      out.println("   " + i++ + ". " + s.title() + "  [" + s.kind().id() + "]");
      out.println(
          "      saves "
              + Durations.format(s.savingNanos())
              + ": "
              + Durations.format(f.durationNanos())
              + " -> "
              + Durations.format(s.predictedNanos()));
      for (String line : s.explanation().split("\n")) {
        out.println("      " + line);
      }
    }
  }
}
