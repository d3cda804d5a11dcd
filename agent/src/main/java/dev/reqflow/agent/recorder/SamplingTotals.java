package dev.reqflow.agent.recorder;

import java.util.Locale;

/**
 * What sampling left out, for the exit line.
 *
 * @param flowsSampledOut flows not exported: not recorded at start ({@code sample}), or recorded
 *     and dropped at their end (neither slow nor failed)
 * @param keptSlow flows the start left out that their end kept as slow
 * @param keptFailed flows the start left out that their end kept as failed
 * @param spansHeldDropped spans of undecided flows dropped because the hold was full
 */
public record SamplingTotals(
    long flowsSampledOut, long keptSlow, long keptFailed, long spansHeldDropped) {

  /** {@code ; flows sampled out: 9,000 (kept at their end: 95 slow, 3 failed)}, or empty. */
  public String exitLinePart() {
    if (flowsSampledOut == 0 && keptSlow == 0 && keptFailed == 0 && spansHeldDropped == 0) {
      return "";
    }
    StringBuilder b = new StringBuilder("; flows sampled out: ").append(n(flowsSampledOut));
    if (keptSlow > 0 || keptFailed > 0) {
      b.append(" (kept at their end: ")
          .append(n(keptSlow))
          .append(" slow, ")
          .append(n(keptFailed))
          .append(" failed)");
    }
    if (spansHeldDropped > 0) {
      b.append("; spans of undecided flows dropped (hold full): ").append(n(spansHeldDropped));
    }
    return b.toString();
  }

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
