package dev.reqflow.agent.recorder;

import java.util.Locale;

/**
 * What sampling exported and left out, for the exit line: each flow counted once, when decided, so
 * that {@link #exported} is the sum of its reasons and {@link #ended} = exported + not exported. A
 * flow left out at its start by {@code sample} alone is counted as it starts (nothing of it is
 * recorded); the others as they end, or, with no reason of their own to be kept, when their trace
 * is decided.
 *
 * @param sampledAtStart flows sampled in as they started ({@code sample}, {@code parent.sampling})
 * @param slowerThanP90 flows the start left out, kept as slower than their endpoint's running p90
 * @param beforeP90 flows the start left out, kept because their endpoint had fewer than 20 flows
 *     yet, so no p90 to call them fast by ({@code keep.slow}'s warm-up)
 * @param slowerThanOption flows the start left out, kept as at least {@code keep.slower} long
 * @param failed flows the start left out, kept as failed (an error, or a status of 500 or more)
 * @param withTrace flows with no reason of their own, exported because another flow of their trace
 *     in this JVM was kept
 * @param notExported flows not exported: left out at their start, or dropped with their trace
 * @param spansHeldDropped spans of undecided flows dropped because the hold was full
 * @param spansLetGo spans of undecided flows recorded and let go: their trace was not kept
 * @param keepSlow whether {@code keep.slow} is on (the p90 reasons are named)
 * @param keepSlower whether {@code keep.slower} is on (its reason is named)
 */
public record SamplingTotals(
    long sampledAtStart,
    long slowerThanP90,
    long beforeP90,
    long slowerThanOption,
    long failed,
    long withTrace,
    long notExported,
    long spansHeldDropped,
    long spansLetGo,
    boolean keepSlow,
    boolean keepSlower) {

  /** Flows exported: the sum of the reasons. */
  public long exported() {
    return sampledAtStart + slowerThanP90 + beforeP90 + slowerThanOption + failed + withTrace;
  }

  /** Flows decided: exported or not. */
  public long ended() {
    return exported() + notExported;
  }

  /**
   * What the recording made of the spans it recorded, after {@code reqflow: N spans recorded}: with
   * {@code keep.slow} or {@code keep.slower} every flow is recorded until its end decides, so the
   * spans recorded are more than those exported, and the line says both: {@code (2,345 to export,
   * 11,600 let go with flows not kept, 55 dropped with the hold full)}. Empty otherwise: every span
   * recorded is one to export.
   *
   * @param toExport spans handed to the sinks (the exporters' own drops are theirs to say)
   */
  public String recordedPart(long toExport) {
    if (!keepSlow && !keepSlower) {
      return "";
    }
    StringBuilder b =
        new StringBuilder(" (")
            .append(n(toExport))
            .append(" to export, ")
            .append(n(spansLetGo))
            .append(" let go with flows not kept");
    if (spansHeldDropped > 0) {
      b.append(", ").append(n(spansHeldDropped)).append(" dropped with the hold full");
    }
    return b.append(')').toString();
  }

  /** Spans recorded beyond those handed to export: let go, or dropped from the hold. */
  public long notToExport() {
    return spansLetGo + spansHeldDropped;
  }

  /**
   * {@code ; flows: 200 ended, 44 exported (20 sampled at start, 4 slower than their endpoint's
   * p90, 20 before their endpoint had a p90, 0 failed, 0 with their trace), 156 not exported}, or
   * empty when no flow was sampled.
   */
  public String exitLinePart() {
    if (ended() == 0) {
      return "";
    }
    StringBuilder b =
        new StringBuilder("; flows: ")
            .append(n(ended()))
            .append(" ended, ")
            .append(n(exported()))
            .append(" exported (")
            .append(n(sampledAtStart))
            .append(" sampled at start");
    if (keepSlow) {
      b.append(", ").append(n(slowerThanP90)).append(" slower than their endpoint's p90");
      b.append(", ").append(n(beforeP90)).append(" before their endpoint had a p90");
    }
    if (keepSlower) {
      b.append(", ").append(n(slowerThanOption)).append(" slower than keep.slower");
    }
    if (keepSlow || keepSlower) {
      b.append(", ").append(n(failed)).append(" failed");
      b.append(", ").append(n(withTrace)).append(" with their trace");
    }
    b.append("), ").append(n(notExported)).append(" not exported");
    return b.toString();
  }

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
