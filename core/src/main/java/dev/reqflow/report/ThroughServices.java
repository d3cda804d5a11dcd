package dev.reqflow.report;

import dev.reqflow.analysis.AcrossServices;
import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.EndpointSummary;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Percentiles;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Endpoints with no suggestion of their own whose flows would still get faster through a change in
 * a service they call (a callee flow's suggestion, {@link AcrossServices}): the summary names that
 * change under the caller instead of "no change suggested", which would read as nothing to gain.
 */
final class ThroughServices {
  private ThroughServices() {}

  /**
   * For each endpoint of {@code unchanged} that gains, one sentence: the callee's endpoint, the
   * change most of its flows would gain from, and the median of what that saves of the caller's
   * flows (bounded by how long they waited on the call), in how many of its flows. Endpoints that
   * gain nothing are absent. Ordered as {@code unchanged}.
   */
  static Map<EndpointSummary, String> of(List<EndpointSummary> unchanged, List<FlowReport> flows) {
    Map<EndpointSummary, String> out = new LinkedHashMap<>();
    if (unchanged.isEmpty()) {
      return out;
    }
    AcrossServices across = AcrossServices.of(flows);
    if (across.isEmpty()) {
      return out;
    }
    for (EndpointSummary e : unchanged) {
      Map<String, List<Long>> savingsByChange = new HashMap<>();
      List<Long> durations = new ArrayList<>();
      for (FlowReport r : flows) {
        Flow f = r.flow();
        if (!f.service().equals(e.service()) || !f.name().equals(e.name())) {
          continue;
        }
        AcrossServices.CalleeSuggestion best = null;
        for (Call c : f.calls()) {
          for (AcrossServices.CalleeSuggestion cs : across.suggestions(r, c)) {
            if (cs.callerSavingNanos() > 0
                && (best == null || cs.callerSavingNanos() > best.callerSavingNanos())) {
              best = cs;
            }
          }
        }
        if (best == null) {
          continue;
        }
        Flow callee = best.callee().flow();
        String change =
            AcrossServices.service(callee)
                + "'s "
                + callee.name()
                + ": "
                + best.suggestion().title()
                + " ["
                + best.suggestion().kind().id()
                + "]";
        savingsByChange
            .computeIfAbsent(change, k -> new ArrayList<>())
            .add(best.callerSavingNanos());
        durations.add(f.durationNanos());
      }
      if (savingsByChange.isEmpty()) {
        continue;
      }
      String top = null;
      for (Map.Entry<String, List<Long>> en : savingsByChange.entrySet()) {
        if (top == null
            || en.getValue().size() > savingsByChange.get(top).size()
            || (en.getValue().size() == savingsByChange.get(top).size()
                && en.getKey().compareTo(top) < 0)) {
          top = en.getKey();
        }
      }
      List<Long> savings = savingsByChange.get(top);
      out.put(
          e,
          "through "
              + top
              + ", up to "
              + Durations.format(median(savings))
              + " of its median "
              + Durations.format(median(durations))
              + " ("
              + savings.size()
              + " of "
              + Words.plural(e.flowCount(), "flow")
              + ")");
    }
    return out;
  }

  private static long median(List<Long> values) {
    return Percentiles.nearestRank(
        values.stream().mapToLong(Long::longValue).sorted().toArray(), 0.5);
  }
}
