package dev.reqflow.report;

import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Percentiles;
import dev.reqflow.contract.TraceContract.SampledBecause;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Sampling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a report says when its flows were recorded under the agent's sampling ({@code sample},
 * {@code keep.slow}, {@code keep.slower}): its flows are not the traffic, and flows kept for being
 * slow, failed or the first of their endpoint pull medians and p95s toward the slow pages. Only the
 * flows drawn at random ({@code at_start}) are a fair sample of their endpoint; each endpoint's
 * median and p95 over those are given beside the ones over every flow. Each flow's own critical
 * path and savings are unaffected: they are read from that flow alone.
 */
final class SampledFlows {
  private SampledFlows() {}

  /** The warning, or {@code ""} when no flow was sampled. */
  static String sentence(List<FlowReport> flows) {
    int sampled = 0;
    Set<String> options = new TreeSet<>();
    Map<String, Integer> because = new LinkedHashMap<>();
    for (String b :
        List.of(
            SampledBecause.AT_START,
            SampledBecause.SLOWER_THAN_P90,
            SampledBecause.SLOWER_THAN_OPTION,
            SampledBecause.FAILED,
            SampledBecause.BEFORE_P90,
            SampledBecause.WITH_TRACE)) {
      because.put(b, 0);
    }
    for (FlowReport r : flows) {
      Sampling s = r.flow().sampling();
      if (s.sampled()) {
        sampled++;
        options.add(s.options());
        because.merge(s.keptBecause(), 1, Integer::sum);
      }
    }
    if (sampled == 0) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    because.forEach(
        (reason, n) -> {
          if (n > 0) {
            parts.add(n + " " + words(reason));
          }
        });
    int biased = sampled - because.get(SampledBecause.AT_START);
    return "sampled recording ("
        + String.join("; ", options)
        + "): "
        + (sampled == flows.size()
            ? "these " + Words.plural(sampled, "flow")
            : sampled + " of these " + Words.plural(flows.size(), "flow"))
        + " are a sample, not every request ("
        + String.join(", ", parts)
        + "), so flow counts are not request counts"
        + (biased == 0
            ? "."
            : ", and medians and p95s over all of them lean toward the slow pages: each endpoint"
                + " also gives them over its flows drawn at random.")
        + " Each flow's own waits and savings are read from that flow alone.";
  }

  private static String words(String reason) {
    switch (reason) {
      case SampledBecause.AT_START:
        return "drawn at random";
      case SampledBecause.SLOWER_THAN_P90:
        return "kept for being slower than their endpoint's p90";
      case SampledBecause.SLOWER_THAN_OPTION:
        return "kept for being slower than keep.slower";
      case SampledBecause.FAILED:
        return "kept for failing";
      case SampledBecause.BEFORE_P90:
        return "kept as the first of their endpoint (before it had a p90)";
      case SampledBecause.WITH_TRACE:
        return "kept with another flow of their trace";
      default:
        return "kept (" + reason + ")";
    }
  }

  /**
   * For an endpoint whose flows include some kept for what they were (slow, failed, first): {@code
   * of which 109 drawn at random: median 17 ms, p95 30 ms}, or {@code of which none drawn at
   * random}; {@code ""} when its flows are not sampled or all drawn at random.
   */
  static String endpointNote(List<FlowReport> flows, String service, String name) {
    List<Long> drawn = new ArrayList<>();
    boolean biased = false;
    for (FlowReport r : flows) {
      Flow f = r.flow();
      if (!f.service().equals(service) || !f.name().equals(name) || !f.sampling().sampled()) {
        continue;
      }
      if (f.sampling().keptBecause().equals(SampledBecause.AT_START)) {
        drawn.add(f.durationNanos());
      } else {
        biased = true;
      }
    }
    if (!biased) {
      return "";
    }
    if (drawn.isEmpty()) {
      return "of which none drawn at random";
    }
    long[] d = drawn.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(d);
    return "of which "
        + drawn.size()
        + " drawn at random: median "
        + Durations.format(Percentiles.nearestRank(d, 0.5))
        + ", p95 "
        + Durations.format(Percentiles.nearestRank(d, 0.95));
  }
}
