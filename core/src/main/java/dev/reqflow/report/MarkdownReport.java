package dev.reqflow.report;

import dev.reqflow.analysis.AcrossServices;
import dev.reqflow.analysis.BlindSpot;
import dev.reqflow.analysis.Blindness;
import dev.reqflow.analysis.CriticalPath;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.analysis.Deadlock;
import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.EndpointSummary;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.StalledFlow;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.flow.Flow;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report as Markdown, for pull requests and CI summaries. */
final class MarkdownReport {
  private MarkdownReport() {}

  static void write(ReportInput in, PrintWriter out) {
    write(in, out, false);
  }

  /** The report; with {@code summaryOnly}, the header, "What to change first" and the table. */
  static void write(ReportInput in, PrintWriter out, boolean summaryOnly) {
    AcrossServices across = null;
    out.println("# reqflow report");
    out.println();
    out.println(
        Words.plural(in.analysis().flows().size(), "flow")
            + " of "
            + Words.plural(in.analysis().endpoints().size(), "endpoint")
            + ", from "
            + Words.plural(in.files(), "file")
            + " ("
            + Words.plural(in.spans(), "span")
            + ").");
    if (!in.warnings().isEmpty()) {
      out.println();
      for (String w : in.warnings()) {
        out.println("> warning: " + escape(w));
      }
    }
    Stalled stalled = Stalled.of(in);
    writeStalled(stalled, out);
    Blind blind = Blind.of(in);
    writeBlind(blind, out);
    Summary summary = Summary.of(in.analysis());
    writeSummary(
        summary,
        ThroughServices.of(summary.unchanged(), in.analysis().flows()),
        out,
        summaryOnly,
        blind,
        stalled);
    out.println();
    out.println("## Endpoints");
    out.println();
    out.println("| endpoint | flows | median | p95 | max | waiting on calls |");
    out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (EndpointSummary e : in.analysis().endpoints()) {
      String drawn = SampledFlows.endpointNote(in.analysis().flows(), e.service(), e.name());
      out.println(
          "| "
              + escape(endpoint(e))
              + " | "
              + e.flowCount()
              + " | "
              + Durations.format(e.p50Nanos())
              + " | "
              + Durations.format(e.p95Nanos())
              + (drawn.isEmpty() ? "" : " (" + escape(drawn) + ")")
              + " | "
              + Durations.format(e.maxNanos())
              + " | "
              + Words.percent(e.blockedShare())
              + " |");
    }
    if (summaryOnly) {
      out.flush();
      return;
    }
    for (EndpointSummary e : in.analysis().endpoints()) {
      out.println();
      out.println("## " + escape(endpoint(e)));
      if (!e.topBlockers().isEmpty()) {
        out.println();
        out.println("Calls that held the page up most:");
        out.println();
        for (EndpointSummary.Blocker b : e.topBlockers()) {
          out.println(
              "- "
                  + Durations.format(b.totalBlockedNanos())
                  + " in "
                  + Words.plural(b.flows(), "flow")
                  + ": `"
                  + b.call()
                  + "`");
        }
      }
      if (!e.suggestions().isEmpty()) {
        out.println();
        out.println("| suggestion | flows | median saving |");
        out.println("| --- | ---: | ---: |");
        for (EndpointSummary.SuggestionCount c : e.suggestions()) {
          out.println(
              "| `"
                  + c.kind().id()
                  + "` | "
                  + c.flows()
                  + " of "
                  + e.flowCount()
                  + " | "
                  + Durations.format(c.medianSavingNanos())
                  + " |");
        }
      }
      for (FlowReport r : in.detailed(e.service(), e.name())) {
        if (across == null) {
          across = AcrossServices.of(in.analysis().flows());
        }
        writeFlow(r, across, out);
      }
    }
    out.flush();
  }

  /** The flows that had not ended, first of all. */
  private static void writeStalled(Stalled stalled, PrintWriter out) {
    if (!stalled.any()) {
      return;
    }
    out.println();
    out.println("## Stalled flows");
    out.println();
    out.println(escape(stalled.sentence()));
    for (StalledFlow s : stalled.shown()) {
      out.println();
      out.println("### " + escape(Stalled.title(s)));
      out.println();
      out.println(escape(Words.capitalized(s.headline())) + ".");
      for (Deadlock d : s.deadlocks()) {
        out.println();
        out.println("> **" + escape(d.sentence()) + "**");
        out.println(">");
        out.println("> " + escape(d.fix()));
      }
      if (!s.heldByDeadlock().isEmpty()) {
        out.println();
        out.println(escape(s.heldByDeadlock()));
      }
      List<String> threads = s.threadLines();
      if (!threads.isEmpty()) {
        out.println();
        out.println("Threads then:");
        out.println();
        for (String t : threads) {
          out.println("- " + escape(t));
        }
      }
      List<String> calls = s.callsInProgress();
      if (!calls.isEmpty()) {
        out.println();
        out.println(
            (s.ended() ? "Calls in progress at the snapshot: " : "Calls in progress: ")
                + escape(String.join("; ", calls))
                + ".");
      }
      if (!s.leftOutSentence().isEmpty()) {
        out.println();
        out.println(escape(s.leftOutSentence()));
      }
    }
    if (stalled.flows().size() > stalled.shown().size()) {
      out.println();
      out.println(
          "…and "
              + (stalled.flows().size() - stalled.shown().size())
              + " more flows in progress or stalled; `--format json` lists all.");
    }
  }

  /** "What reqflow did not see", before "What to change first". */
  private static void writeBlind(Blind blind, PrintWriter out) {
    if (!blind.any()) {
      return;
    }
    out.println();
    out.println("## What reqflow did not see");
    out.println();
    out.println("What follows is about the calls reqflow saw only.");
    out.println();
    if (blind.noFlows()) {
      out.println("- **" + escape(Blind.NO_FLOWS) + "**");
    }
    for (BlindSpot b : blind.unseen()) {
      out.println(
          "- **"
              + escape(blind.name(b))
              + "**: "
              + escape(b.callsSentence())
              + (b.how().isEmpty() ? "." : ": " + escape(b.how()) + "."));
    }
    String noCalls = blind.noCallsSentence();
    if (!noCalls.isEmpty()) {
      out.println("- " + escape(noCalls));
    }
    String noWaits = blind.noWaitsSentence();
    if (!noWaits.isEmpty()) {
      out.println("- " + escape(noWaits));
    }
    String lockWaits = blind.lockWaitsSentence();
    if (!lockWaits.isEmpty()) {
      out.println("- " + escape(lockWaits));
    }
    if (!blind.libraries().isEmpty()) {
      out.println("- " + escape(blind.librariesSentence()));
    }
  }

  private static void writeSummary(
      Summary summary,
      Map<EndpointSummary, String> throughServices,
      PrintWriter out,
      boolean summaryOnly,
      Blind blind,
      Stalled stalled) {
    out.println();
    out.println("## What to change first");
    out.println();
    if (summary.items().isEmpty()) {
      out.println(
          stalled.any()
              ? "Nothing "
                  + stalled.nothingFrom()
                  + ". That is no all-clear: "
                  + stalled.what()
                  + " (*Stalled flows*, above)."
              : blind.any()
                  ? "Nothing from the calls reqflow saw. That is no all-clear: see *What reqflow did"
                      + " not see*, above."
                  : "Nothing: no flow has a suggestion.");
      return;
    }
    out.println(
        "Most time saved per flow first: median saving × share of the endpoint's flows it applies"
            + " to. Times are medians over those flows, for each change on its own: savings on the"
            + " same endpoint do not add up."
            + (summary.items().get(0).kind().isDefect()
                ? " Responses never closed come first whatever they save: a connection leak is a"
                    + " defect."
                : ""));
    out.println();
    out.println("| # | endpoint | change | flows | saves | time now → after | where |");
    out.println("| ---: | --- | --- | ---: | ---: | ---: | --- |");
    int n = 1;
    for (Summary.Item i : summary.shown()) {
      String where = i.where().phrase(i.kind(), i.title(), "`");
      out.println(
          "| "
              + n++
              + " | "
              + escape(summary.name(i.endpoint()))
              + " | "
              + escape(i.title())
              + " | "
              + i.flows()
              + " of "
              + i.endpoint().flowCount()
              + " | "
              + Durations.format(i.medianSavingNanos())
              + " | "
              + Durations.format(i.medianBeforeNanos())
              + " → "
              + Durations.format(i.medianAfterNanos())
              + " | "
              + where
              + " |");
    }
    int more = summary.items().size() - summary.shown().size();
    if (more > 0) {
      out.println();
      out.println(
          "…and "
              + more
              + (more == 1 ? " smaller change" : " smaller changes")
              + (summaryOnly
                  ? "; the full report lists them."
                  : " in the endpoints' sections below."));
    }
    List<String> seen = new ArrayList<>();
    List<String> notSeen = new ArrayList<>();
    List<String> hung = new java.util.ArrayList<>();
    List<String> through = new ArrayList<>();
    for (EndpointSummary e : summary.unchanged()) {
      String via = throughServices.get(e);
      if (via != null) {
        through.add(summary.name(e) + ": " + via);
        continue;
      }
      (stalled.covers(e) ? hung : blind.covers(e) ? notSeen : seen).add(summary.name(e));
    }
    if (!through.isEmpty()) {
      out.println();
      out.println("Faster through a change in a service they call (none in their own code):");
      out.println();
      for (String t : through) {
        out.println("- " + escape(t));
      }
    }
    if (!seen.isEmpty()) {
      out.println();
      out.println("No change suggested for: " + escape(String.join(", ", seen)) + ".");
    }
    if (!notSeen.isEmpty()) {
      out.println();
      out.println(
          "Nothing suggested from the calls reqflow saw, which is no all-clear (above), for: "
              + escape(String.join(", ", notSeen))
              + ".");
    }
    if (!hung.isEmpty()) {
      out.println();
      out.println(
          "Nothing suggested "
              + stalled.nothingFrom()
              + ", which is no all-clear (*Stalled flows*, above), for: "
              + escape(String.join(", ", hung))
              + ".");
    }
  }

  private static String endpoint(EndpointSummary e) {
    return e.name() + (e.service().isEmpty() ? "" : " (" + e.service() + ")");
  }

  private static void writeFlow(FlowReport r, AcrossServices across, PrintWriter out) {
    Flow f = r.flow();
    CriticalPath path = r.criticalPath();
    out.println();
    out.println("### " + escape(f.name()) + " at " + Words.time(f.startNanos()));
    out.println();
    out.println("Trace `" + f.traceId() + "`: " + Words.flowLine(f, path) + ".");
    if (f.inProgress()) {
      out.println();
      out.println(
          "> **In progress:** "
              + escape(new StalledFlow(f, List.of()).headline())
              + "; its calls and waits end at the snapshot (see *Stalled flows*, above).");
    } else if (f.stalledThenEnded()) {
      out.println();
      out.println(
          "> **Ended after it stalled:** "
              + escape(new StalledFlow(f, List.of()).headline())
              + " (see *Stalled flows*, above).");
    }
    String notSeen = Blindness.sentence(f);
    if (!notSeen.isEmpty()) {
      out.println();
      out.println("> **Not seen:** " + escape(notSeen));
    }
    for (String w : f.warnings()) {
      out.println();
      out.println("> note: " + escape(w));
    }
    for (String failed : Words.failedCalls(f)) {
      out.println();
      out.println("> **Failed:** " + escape(failed));
    }
    for (String gaveUp : Words.callsRunOn(f)) {
      out.println();
      out.println("> **Gave up on:** " + escape(gaveUp));
    }
    out.println();
    if (!f.waitsRecorded()) {
      // Another tool's trace: its calls, since which of them held the page up is not known.
      if (f.calls().isEmpty()) {
        out.println("No calls in its trace.");
      } else {
        out.println("| at | for | call (another tool's trace: not which held the page up) |");
        out.println("| ---: | ---: | --- |");
        for (dev.reqflow.flow.Call c : f.calls()) {
          out.println(
              "| +"
                  + Durations.format(c.startNanos() - f.startNanos())
                  + " | "
                  + Durations.format(c.durationNanos())
                  + " | "
                  + escape(Words.callLine(c))
                  + " |");
        }
      }
    } else {
      out.println("| at | for | render thread | phases |");
      out.println("| ---: | ---: | --- | --- |");
    }
    for (Segment s : f.waitsRecorded() ? path.segments() : List.<Segment>of()) {
      out.println(
          "| +"
              + Durations.format(s.startNanos() - f.startNanos())
              + " | "
              + Durations.format(s.durationNanos())
              + " | "
              + escape(Words.segment(s, f))
              + " | "
              + Words.phases(s)
              + " |");
    }
    for (Segment s : path.segments()) {
      String further = across.continuation(f, s);
      if (!further.isEmpty()) {
        out.println();
        out.println("> → " + escape(further));
      }
    }
    for (CalleeLines.Group g : CalleeLines.of(r, across)) {
      out.println();
      out.println("**" + escape(g.heading()) + ":**");
      out.println();
      for (String line : g.lines()) {
        out.println("- " + escape(line));
      }
    }
    out.println();
    if (r.suggestions().isEmpty()) {
      out.println(
          !notSeen.isEmpty()
              ? "No suggestions from the calls reqflow saw; it did not see all (above)."
              : r.noSuggestionsLine());
      return;
    }
    int i = 1;
    for (Suggestion s : r.suggestions()) {
      out.println(
          i++
              + ". **"
              + escape(s.title())
              + "** (`"
              + s.kind().id()
              + "`): saves "
              + Durations.format(s.savingNanos())
              + ", "
              + Durations.format(f.durationNanos())
              + " → "
              + Durations.format(s.predictedNanos()));
      out.println();
      for (String line : s.explanation().split("\n")) {
        out.println("   " + escape(line));
      }
      out.println();
    }
  }

  private static String escape(String s) {
    return s.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_");
  }
}
