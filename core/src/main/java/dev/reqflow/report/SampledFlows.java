package dev.reqflow.report;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Sampling;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The warning a report gives when its flows were recorded under the agent's sampling ({@code
 * sample}, {@code keep.slow}, {@code keep.slower}): its flows are not the traffic, and flows kept
 * for being slow or failed pull medians and p95s toward the slow pages. Each flow's own critical
 * path and savings are unaffected: they are read from that flow alone.
 */
final class SampledFlows {
  private SampledFlows() {}

  /** The warning, or {@code ""} when no flow was sampled. */
  static String sentence(List<FlowReport> flows) {
    int sampled = 0;
    int slowOrFailed = 0;
    Set<String> options = new TreeSet<>();
    for (FlowReport r : flows) {
      Sampling s = r.flow().sampling();
      if (s.sampled()) {
        sampled++;
        options.add(s.options());
        if (s.keptForBeingSlowOrFailed()) {
          slowOrFailed++;
        }
      }
    }
    if (sampled == 0) {
      return "";
    }
    String which =
        sampled == flows.size()
            ? "these " + Words.plural(sampled, "flow")
            : sampled + " of these " + Words.plural(flows.size(), "flow");
    String lean =
        slowOrFailed == 0
            ? ""
            : "; "
                + slowOrFailed
                + " of them were kept for being slow or failed, not drawn at random, so medians"
                + " and p95s lean toward the slow pages";
    return "sampled recording ("
        + String.join("; ", options)
        + "): "
        + which
        + " are a sample, not every request, so flow counts are not request counts"
        + lean
        + ". Each flow's own waits and savings are read from that flow alone.";
  }
}
