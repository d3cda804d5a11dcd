package dev.reqflow.agent.export;

import dev.reqflow.agent.export.DropCounts.Reason;
import dev.reqflow.agent.recorder.IncompleteCalls;
import dev.reqflow.agent.recorder.Recorder;
import dev.reqflow.agent.recorder.SamplingTotals;
import dev.reqflow.agent.recorder.StallTotals;
import dev.reqflow.agent.recorder.StallWatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The line printed at exit, so that nothing is lost silently: spans recorded, then per sink how
 * many were delivered and how many dropped, by reason, largest first; then what the recorder itself
 * could not record. For example (one line):
 *
 * <pre>
 * reqflow: 12,345 spans recorded; file /x.jsonl: 12,345 written; OTLP http://h:4318/v1/traces:
 *   0 sent, 12,345 dropped (export failed 12,000, queue full 345)
 * </pre>
 *
 * With {@code keep.slow} (or {@code keep.slower}) every flow is recorded until its end decides
 * whether it is kept: the spans recorded are then said apart from those to export, so that the
 * first number reads as what the recording did, not what reached the sinks: {@code reqflow: 13,945
 * spans recorded (2,345 to export, 11,600 let go with flows not kept); ...}, and the sampling's
 * flows close the line ({@link SamplingTotals#exitLinePart}).
 */
final class ExitLine {
  private ExitLine() {}

  /** What the recorder lost before any span reached a sink. */
  static final class RecorderLosses {
    final long agentErrors;
    final long openAtExit;
    final long linksCut;
    final long untracked;
    final long valuesCut;

    /** Of {@link #openAtExit}, the calls: never written; -1 when not told apart from flows. */
    final long callsOpenAtExit;

    /** Calls the agent ended and wrote incomplete, because their client never ended them. */
    final IncompleteCalls incomplete;

    RecorderLosses(
        long agentErrors, long openAtExit, long linksCut, long untracked, long valuesCut) {
      this(
          agentErrors,
          openAtExit,
          linksCut,
          untracked,
          valuesCut,
          -1,
          new IncompleteCalls(0, 0, 0, 0));
    }

    private RecorderLosses(
        long agentErrors,
        long openAtExit,
        long linksCut,
        long untracked,
        long valuesCut,
        long callsOpenAtExit,
        IncompleteCalls incomplete) {
      this.agentErrors = agentErrors;
      this.openAtExit = openAtExit;
      this.linksCut = linksCut;
      this.untracked = untracked;
      this.valuesCut = valuesCut;
      this.callsOpenAtExit = callsOpenAtExit;
      this.incomplete = incomplete;
    }

    /** With the calls of {@code openAtExit} told apart, and the calls ended incomplete. */
    RecorderLosses withCalls(long callsOpenAtExit, IncompleteCalls incomplete) {
      return new RecorderLosses(
          agentErrors,
          openAtExit,
          linksCut,
          untracked,
          valuesCut,
          Math.min(callsOpenAtExit, openAtExit),
          incomplete);
    }
  }

  /** What the flows waited on that the agent did not see as calls, and the libraries why. */
  static final class Unseen {
    static final Unseen NONE = new Unseen(0, 0, 0, List.of());

    final long flows;
    final long socketNanos;
    final long waitNanos;
    final List<String> libraries;

    Unseen(long flows, long socketNanos, long waitNanos, List<String> libraries) {
      this.flows = flows;
      this.socketNanos = socketNanos;
      this.waitNanos = waitNanos;
      this.libraries = List.copyOf(libraries);
    }
  }

  static String format(long recorded, List<DropCounts.Snapshot> sinks, RecorderLosses recorder) {
    return format(recorded, sinks, recorder, Unseen.NONE);
  }

  static String format(
      long recorded, List<DropCounts.Snapshot> sinks, RecorderLosses recorder, Unseen unseen) {
    return format(recorded, sinks, recorder, unseen, StallTotals.NONE);
  }

  static String format(
      long recorded,
      List<DropCounts.Snapshot> sinks,
      RecorderLosses recorder,
      Unseen unseen,
      StallTotals stalls) {
    return format(recorded, sinks, recorder, unseen, stalls, null);
  }

  /**
   * @param toExport spans handed to the sinks
   * @param sampling what sampling exported and let go; null: every flow recorded and exported
   */
  static String format(
      long toExport,
      List<DropCounts.Snapshot> sinks,
      RecorderLosses recorder,
      Unseen unseen,
      StallTotals stalls,
      SamplingTotals sampling) {
    long recorded = toExport + (sampling == null ? 0 : sampling.notToExport());
    StringBuilder b = new StringBuilder("reqflow: ").append(n(recorded)).append(" spans recorded");
    if (sampling != null) {
      b.append(sampling.recordedPart(toExport));
    }
    if (sinks.isEmpty()) {
      b.append("; no sink (no file=, no OTLP or Zipkin export: see the start line)");
    }
    for (DropCounts.Snapshot s : sinks) {
      b.append("; ").append(s.sink).append(": ").append(n(s.delivered)).append(' ');
      b.append(s.deliveredVerb);
      long dropped = s.droppedTotal();
      if (dropped > 0) {
        b.append(", ").append(n(dropped)).append(" dropped (").append(reasons(s)).append(')');
      }
    }
    if (recorder.agentErrors > 0) {
      b.append("; agent errors: ")
          .append(n(recorder.agentErrors))
          .append(" (what they touched was not recorded)");
    }
    IncompleteCalls inc = recorder.incomplete;
    if (inc.total() > 0) {
      b.append("; calls their client never ended, written incomplete: ")
          .append(n(inc.total()))
          .append(" (")
          .append(
              counts(
                  "response dropped unclosed",
                  inc.unreachable(),
                  "still open after their flow",
                  inc.unclosed(),
                  // Not "still open at exit": that is said of what was never written.
                  "ended at exit during their flow",
                  inc.atExit()))
          .append(')');
    }
    if (recorder.callsOpenAtExit < 0) {
      if (recorder.openAtExit > 0) {
        b.append("; flows and calls still open at exit: ").append(n(recorder.openAtExit));
      }
    } else {
      long flows = recorder.openAtExit - recorder.callsOpenAtExit;
      if (flows > 0) {
        b.append("; flows still open at exit: ").append(n(flows));
      }
      if (recorder.callsOpenAtExit > 0) {
        b.append("; calls still open at exit, not written: ")
            .append(n(recorder.callsOpenAtExit))
            .append(
                inc.notWatched() > 0
                    ? " (responses not watched, the table being full: " + n(inc.notWatched()) + ")"
                    : "");
      }
    }
    stalls(stalls, b);
    if (recorder.linksCut > 0) {
      b.append("; spans linked to more calls than the limit of ")
          .append(Recorder.LINK_LIMIT)
          .append(": ")
          .append(n(recorder.linksCut))
          .append(" (the first ")
          .append(Recorder.LINK_LIMIT)
          .append(" kept)");
    }
    if (recorder.untracked > 0) {
      b.append("; futures, tasks or calls not followed (tables full): ")
          .append(n(recorder.untracked));
    }
    if (recorder.valuesCut > 0) {
      b.append("; flows with more request and response values than the agent keeps: ")
          .append(n(recorder.valuesCut))
          .append(" (data dependencies may be missing)");
    }
    if (unseen.flows > 0 && unseen.socketNanos + unseen.waitNanos >= 500_000L) {
      b.append("; not seen as calls: ")
          .append(n(unseen.flows))
          .append(unseen.flows == 1 ? " flow waited " : " flows waited ");
      if (unseen.socketNanos > 0) {
        b.append(millis(unseen.socketNanos)).append(" in socket I/O outside recorded calls");
      }
      if (unseen.waitNanos > 0) {
        b.append(unseen.socketNanos > 0 ? " and " : "")
            .append(millis(unseen.waitNanos))
            .append(" on futures that threads outside every flow completed");
      }
    }
    if (!unseen.libraries.isEmpty()) {
      b.append("; client libraries loaded whose calls are not recorded: ")
          .append(String.join(", ", unseen.libraries));
    }
    if (sampling != null) {
      b.append(sampling.exitLinePart());
    }
    return b.toString();
  }

  /** {@code label count} pairs with a count above 0, joined by commas. */
  private static String counts(Object... labelsAndCounts) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < labelsAndCounts.length; i += 2) {
      long v = (Long) labelsAndCounts[i + 1];
      if (v > 0) {
        b.append(b.length() > 0 ? ", " : "").append(labelsAndCounts[i]).append(' ').append(n(v));
      }
    }
    return b.toString();
  }

  /**
   * {@code flows in progress written as snapshots: 3 (2 stalled; 5 calls and waits left out of
   * them)}, then the flows open at exit that got no snapshot, past the limit.
   */
  private static void stalls(StallTotals s, StringBuilder b) {
    if (s.flows() > 0) {
      b.append("; flows in progress written as snapshots: ").append(n(s.flows()));
      List<String> details = new ArrayList<>();
      if (s.stalled() > 0) {
        details.add(n(s.stalled()) + " stalled");
      }
      if (s.spansLeftOut() > 0) {
        details.add(n(s.spansLeftOut()) + " calls and waits left out of them");
      }
      if (!details.isEmpty()) {
        b.append(" (").append(String.join("; ", details)).append(')');
      }
    }
    if (s.flowsLeftOut() > 0) {
      b.append("; flows open at exit written as no snapshot (limit ")
          .append(n(StallWatch.MAX_FLOWS_AT_EXIT))
          .append("): ")
          .append(n(s.flowsLeftOut()));
    }
  }

  private static String reasons(DropCounts.Snapshot s) {
    List<Reason> nonZero = new ArrayList<>();
    for (Reason r : Reason.values()) {
      if (s.dropped(r) > 0) {
        nonZero.add(r);
      }
    }
    nonZero.sort((x, y) -> Long.compare(s.dropped(y), s.dropped(x)));
    StringBuilder b = new StringBuilder();
    for (Reason r : nonZero) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(r.label).append(' ').append(n(s.dropped(r)));
    }
    return b.toString();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%,d ms", Math.round(nanos / 1e6));
  }

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
