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
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** The report for a terminal. */
final class TextReport {
  private TextReport() {}

  static void write(ReportInput in, PrintWriter out) {
    write(in, out, false);
  }

  /** The report; with {@code summaryOnly}, the header and "What to change first" only. */
  static void write(ReportInput in, PrintWriter out, boolean summaryOnly) {
    List<EndpointSummary> endpoints = in.analysis().endpoints();
    AcrossServices across = null;
    out.println(
        "reqflow report: "
            + Words.plural(in.analysis().flows().size(), "flow")
            + " of "
            + Words.plural(endpoints.size(), "endpoint")
            // No file: flows received over OTLP (the viewer's headless receiver).
            + (in.files() == 0
                ? ", received over OTLP"
                : ", from " + Words.plural(in.files(), "file"))
            + " ("
            + Words.plural((int) in.spans(), "span")
            + ")");
    for (String w : in.warnings()) {
      out.println("warning: " + w);
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
    if (summaryOnly) {
      out.flush();
      return;
    }
    for (EndpointSummary e : endpoints) {
      out.println();
      out.println(
          "== " + e.name() + (e.service().isEmpty() ? "" : " (" + e.service() + ")") + " ==");
      boolean unseen = false;
      for (BlindSpot b : blind.spots()) {
        if (b.service().equals(e.service()) && b.name().equals(e.name())) {
          wrap("NOT SEEN: " + b.sentence() + ".", "", out);
          unseen = b.unseenFlows() > 0;
        }
      }
      boolean noWaits = noWaitsRecorded(in, e);
      String drawn = SampledFlows.endpointNote(in.analysis().flows(), e.service(), e.name());
      String line =
          Words.plural(e.flowCount(), "flow")
              + ": median "
              + Durations.format(e.p50Nanos())
              + ", p95 "
              + Durations.format(e.p95Nanos())
              + ", max "
              + Durations.format(e.maxNanos())
              + (drawn.isEmpty() ? "" : " (" + drawn + ")")
              + (noWaits
                  ? "; no waits recorded (another tool's trace): which calls held the page up is"
                      + " not known"
                  : (unseen || e.topBlockers().isEmpty()
                          ? "; the page waited "
                          : "; the page waited on calls ")
                      + Words.percent(e.blockedShare())
                      + " of the time"
                      + (unseen ? ", on calls and on I/O that reqflow did not see as calls" : ""));
      if (drawn.isEmpty()) {
        out.println(line);
      } else {
        wrap(line, "", out);
      }
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
      if (across == null) {
        across = AcrossServices.of(in.analysis().flows());
      }
      if (detailed.size() < e.flowCount()) {
        out.println(
            "(the "
                + detailed.size()
                + " slowest flows follow, slowest first; --format json lists all "
                + e.flowCount()
                + ")");
      }
      for (FlowReport r : detailed) {
        writeFlow(r, across, out);
      }
    }
    out.flush();
  }

  /** Terminal width the summary keeps to where it can. */
  private static final int WIDTH = 100;

  /**
   * The flows that had not ended, first of all: each with how long it was open, its deadlocks and
   * what to change, what its threads waited on, its calls in progress.
   */
  static void writeStalled(Stalled stalled, PrintWriter out) {
    if (!stalled.any()) {
      return;
    }
    out.println();
    wrap("Stalled flows, first: " + stalled.sentence(), "", out);
    for (StalledFlow s : stalled.shown()) {
      wrap("! " + Stalled.title(s), "  ", out);
      wrap(s.headline() + ".", "    ", out);
      for (Deadlock d : s.deadlocks()) {
        wrap(d.sentence(), "    ", out);
        wrap("Fix: " + d.fix(), "      ", out);
      }
      if (!s.heldByDeadlock().isEmpty()) {
        wrap(s.heldByDeadlock(), "    ", out);
      }
      List<String> threads = s.threadLines();
      if (!threads.isEmpty()) {
        out.println("    Threads then:");
        for (String t : threads) {
          wrap(t, "      ", out);
        }
      }
      List<String> calls = s.callsInProgress();
      if (!calls.isEmpty()) {
        wrap(
            (s.ended() ? "Calls in progress at the snapshot: " : "Calls in progress: ")
                + String.join("; ", calls)
                + ".",
            "    ",
            out);
      }
      if (!s.leftOutSentence().isEmpty()) {
        wrap(s.leftOutSentence(), "    ", out);
      }
    }
    if (stalled.flows().size() > stalled.shown().size()) {
      out.println(
          "  ... and "
              + (stalled.flows().size() - stalled.shown().size())
              + " more flows in progress or stalled; --format json lists all.");
    }
  }

  /** "What reqflow did not see", first: before any suggestion, and before "nothing". */
  static void writeBlind(Blind blind, PrintWriter out) {
    if (!blind.any()) {
      return;
    }
    out.println();
    out.println("What reqflow did not see, first: what follows is about the calls it saw only.");
    if (blind.noFlows()) {
      wrap("! " + Blind.NO_FLOWS, "  ", out);
    }
    for (BlindSpot b : blind.unseen()) {
      wrap("! " + blind.name(b), "  ", out);
      wrap(b.callsSentence() + (b.how().isEmpty() ? "." : ":"), "      ", out);
      if (!b.how().isEmpty()) {
        wrap(b.how() + ".", "      ", out);
      }
    }
    String noCalls = blind.noCallsSentence();
    if (!noCalls.isEmpty()) {
      wrap("! " + noCalls, "  ", out);
    }
    String noWaits = blind.noWaitsSentence();
    if (!noWaits.isEmpty()) {
      wrap("! " + noWaits, "  ", out);
    }
    String lockWaits = blind.lockWaitsSentence();
    if (!lockWaits.isEmpty()) {
      wrap("! " + lockWaits, "  ", out);
    }
    if (!blind.libraries().isEmpty()) {
      wrap("! " + blind.librariesSentence(), "  ", out);
    }
  }

  static void writeSummary(
      Summary summary,
      Map<EndpointSummary, String> throughServices,
      PrintWriter out,
      boolean summaryOnly,
      Blind blind,
      Stalled stalled) {
    out.println();
    if (summary.items().isEmpty()) {
      if (stalled.any()) {
        wrap(
            "What to change first: nothing "
                + stalled.nothingFrom()
                + ". That is no all-clear: "
                + stalled.what()
                + " (above).",
            "",
            out);
      } else if (blind.any()) {
        wrap(
            "What to change first: nothing from the calls reqflow saw. That is no all-clear: see"
                + " what it did not see, above.",
            "",
            out);
      } else {
        out.println("What to change first: nothing; no flow has a suggestion.");
      }
      return;
    }
    out.println("What to change first, most time saved per flow first (median saving x share of");
    out.println(
        "the endpoint's flows it applies to). Times are medians over those flows, for each");
    out.println("change on its own: savings on the same endpoint do not add up.");
    if (summary.items().get(0).kind().isDefect()) {
      out.println(
          "Responses never closed come first whatever they save: a connection leak is a defect.");
    }
    List<Summary.Item> shown = summary.shown();
    int nameWidth = 0;
    int flowsWidth = 0;
    int savingWidth = 0;
    int nowWidth = 0;
    for (Summary.Item i : shown) {
      nameWidth = Math.max(nameWidth, summary.name(i.endpoint()).length());
      flowsWidth = Math.max(flowsWidth, flows(i).length());
      savingWidth = Math.max(savingWidth, Durations.format(i.medianSavingNanos()).length());
      nowWidth = Math.max(nowWidth, Durations.format(i.medianBeforeNanos()).length());
    }
    String number = "%" + String.valueOf(shown.size()).length() + "d. ";
    String indent = " ".repeat(String.format(number, 1).length() + 2);
    int n = 1;
    for (Summary.Item i : shown) {
      String row =
          String.format(
              "  "
                  + number
                  + "%-"
                  + nameWidth
                  + "s  %"
                  + flowsWidth
                  + "s  saves %"
                  + savingWidth
                  + "s: %"
                  + nowWidth
                  + "s -> %s",
              n++,
              summary.name(i.endpoint()),
              flows(i),
              Durations.format(i.medianSavingNanos()),
              Durations.format(i.medianBeforeNanos()),
              Durations.format(i.medianAfterNanos()));
      out.println(row);
      String where = i.where().phrase(i.kind(), i.title());
      if (where.isEmpty() || indent.length() + i.title().length() + 5 + where.length() <= WIDTH) {
        wrap(i.title() + (where.isEmpty() ? "" : ", at " + where), indent, out);
      } else {
        wrap(i.title() + ",", indent, out);
        wrap("at " + where, indent, out);
      }
    }
    if (summary.items().size() > shown.size()) {
      int more = summary.items().size() - shown.size();
      out.println(
          "  ... and "
              + more
              + (more == 1 ? " smaller change" : " smaller changes")
              + (summaryOnly
                  ? "; the full report lists them."
                  : " in the endpoints' sections below."));
    }
    List<String> seen = new java.util.ArrayList<>();
    List<String> notSeen = new java.util.ArrayList<>();
    List<String> hung = new java.util.ArrayList<>();
    List<String> through = new java.util.ArrayList<>();
    for (EndpointSummary e : summary.unchanged()) {
      String via = throughServices.get(e);
      if (via != null) {
        through.add(summary.name(e) + ": " + via);
        continue;
      }
      (stalled.covers(e) ? hung : blind.covers(e) ? notSeen : seen).add(summary.name(e));
    }
    if (!through.isEmpty()) {
      out.println("Faster through a change in a service they call (none in their own code):");
      for (String t : through) {
        wrap("- " + t, "  ", "    ", out);
      }
    }
    if (!seen.isEmpty()) {
      out.println("No change suggested for: " + String.join(", ", seen));
    }
    if (!notSeen.isEmpty()) {
      wrap(
          "Nothing suggested from the calls reqflow saw, which is no all-clear (above), for: "
              + String.join(", ", notSeen),
          "",
          out);
    }
    if (!hung.isEmpty()) {
      wrap(
          "Nothing suggested "
              + stalled.nothingFrom()
              + ", which is no all-clear ("
              + (stalled.ended() == 0 ? "flows that had not ended" : "flows that stalled")
              + ", above), for: "
              + String.join(", ", hung),
          "",
          out);
    }
  }

  /** Prints text indented, broken at spaces to keep within {@link #WIDTH} where it can. */
  static void wrap(String text, String indent, PrintWriter out) {
    wrap(text, indent, indent, out);
  }

  /**
   * Wraps {@code text} at {@link #WIDTH}: its first line after {@code first}, the rest after {@code
   * rest}.
   */
  static void wrap(String text, String first, String rest, PrintWriter out) {
    String indent = first;
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" ")) {
      if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
        out.println(line);
        indent = rest;
        line = new StringBuilder(indent);
      }
      if (line.length() > indent.length()) {
        line.append(' ');
      }
      line.append(word);
    }
    out.println(line);
  }

  /**
   * The suggestions of the services this flow's calls reached, under the call, with their share.
   */
  private static void writeCalleeSuggestions(FlowReport r, AcrossServices across, PrintWriter out) {
    for (CalleeLines.Group g : CalleeLines.of(r, across)) {
      wrap(g.heading() + ":", "   ", out);
      for (String line : g.lines()) {
        wrap("- " + line, "     ", out);
      }
    }
  }

  /** True when no flow of the endpoint had its waits recorded: another tool's trace. */
  static boolean noWaitsRecorded(ReportInput in, EndpointSummary e) {
    boolean any = false;
    for (FlowReport r : in.analysis().flows()) {
      if (r.flow().service().equals(e.service()) && r.flow().name().equals(e.name())) {
        if (r.flow().waitsRecorded()) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  private static String flows(Summary.Item i) {
    return i.flows() + " of " + Words.plural(i.endpoint().flowCount(), "flow");
  }

  private static void writeFlow(FlowReport r, AcrossServices across, PrintWriter out) {
    Flow f = r.flow();
    CriticalPath path = r.criticalPath();
    out.println();
    out.println("-- " + f.name() + " at " + Words.time(f.startNanos()) + ", trace " + f.traceId());
    out.println("   " + Words.flowLine(f, path));
    if (f.inProgress()) {
      wrap(
          "IN PROGRESS: "
              + new StalledFlow(f, List.of()).headline()
              + "; its calls and waits end at the snapshot (see the stalled flows, first).",
          "   ",
          out);
    } else if (f.stalledThenEnded()) {
      wrap(
          "ENDED AFTER IT STALLED: "
              + new StalledFlow(f, List.of()).headline()
              + " (see the stalled flows, first).",
          "   ",
          out);
    }
    String notSeen = Blindness.sentence(f);
    if (!notSeen.isEmpty()) {
      wrap("NOT SEEN: " + notSeen, "   ", out);
    }
    for (String w : f.warnings()) {
      out.println("   note: " + w);
    }
    for (String failed : Words.failedCalls(f)) {
      out.println("   FAILED: " + failed);
    }
    for (String gaveUp : Words.callsRunOn(f)) {
      wrap("GAVE UP ON: " + gaveUp, "   ", out);
    }
    if (!f.waitsRecorded()) {
      writeCalls(f, out);
    } else {
      writeCriticalPath(f, path, across, out);
    }
    writeCalleeSuggestions(r, across, out);
    writeSuggestions(r, notSeen, !CalleeLines.of(r, across).isEmpty(), out);
  }

  /**
   * The calls of a flow from another tool's trace, in the order they were issued: when, how long,
   * what (method and path), where to (host and port), and the status.
   */
  private static void writeCalls(Flow f, PrintWriter out) {
    if (f.calls().isEmpty()) {
      out.println("   No calls in its trace.");
      return;
    }
    out.println(
        "   Calls (another tool's trace: what each took, not which held the page up, nor on what"
            + " thread):");
    for (Call c : f.calls()) {
      out.println(
          String.format(
              "     %9s %9s  %s",
              "+" + Durations.format(c.startNanos() - f.startNanos()),
              Durations.format(c.durationNanos()),
              Words.callLine(c)));
    }
  }

  private static void writeCriticalPath(
      Flow f, CriticalPath path, AcrossServices across, PrintWriter out) {
    out.println("   Critical path (render thread " + f.renderThread().label() + "):");
    for (Segment s : path.segments()) {
      String phases = Words.phases(s);
      out.println(
          String.format(
              "     %9s %9s  %s%s",
              "+" + Durations.format(s.startNanos() - f.startNanos()),
              Durations.format(s.durationNanos()),
              Words.segment(s, f),
              phases.isEmpty() ? "" : ": " + phases));
      String further = across.continuation(f, s);
      if (!further.isEmpty()) {
        wrap("-> " + further, "                           ", out);
      }
    }
  }

  private static void writeSuggestions(
      FlowReport r, String notSeen, boolean calleesHaveSome, PrintWriter out) {
    Flow f = r.flow();
    if (r.suggestions().isEmpty()) {
      if (!notSeen.isEmpty()) {
        out.println("   No suggestions from the calls reqflow saw; it did not see all (above).");
      } else if (calleesHaveSome) {
        // The called services' suggestions are just above: this flow's own code is what is fine.
        wrap(
            "Nothing to change in this flow's own code"
                + (r.whyNone().isEmpty() ? "." : ": " + r.whyNone() + "."),
            "   ",
            out);
      } else {
        out.println("   " + r.noSuggestionsLine());
      }
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
