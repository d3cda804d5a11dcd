package dev.reqflow.report;

import dev.reqflow.analysis.AnalysisResult;
import dev.reqflow.analysis.FlowReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the writers print: the analysis, and what was read. */
record ReportInput(AnalysisResult analysis, int files, long spans, List<String> warnings) {
  /** The readers' warnings, and the sampling's when the flows are a sample. */
  ReportInput {
    String sampled = SampledFlows.sentence(analysis.flows());
    if (!sampled.isEmpty()) {
      List<String> all = new ArrayList<>(warnings);
      all.add(sampled);
      warnings = List.copyOf(all);
    }
  }

  /** Flows shown in detail per endpoint in text and Markdown; JSON lists every flow. */
  static final int DETAILED_FLOWS_PER_ENDPOINT = 10;

  /**
   * The flows of an endpoint to show in detail: all in start order, or the slowest, slowest first.
   */
  List<FlowReport> detailed(String service, String name) {
    List<FlowReport> mine = new ArrayList<>();
    for (FlowReport r : analysis.flows()) {
      if (r.flow().service().equals(service) && r.flow().name().equals(name)) {
        mine.add(r);
      }
    }
    if (mine.size() <= DETAILED_FLOWS_PER_ENDPOINT) {
      return mine;
    }
    List<FlowReport> slowest = new ArrayList<>(mine);
    slowest.sort(
        Comparator.comparingLong((FlowReport r) -> r.flow().durationNanos())
            .reversed()
            .thenComparing(r -> r.flow().traceId()));
    return List.copyOf(slowest.subList(0, DETAILED_FLOWS_PER_ENDPOINT));
  }
}
