package dev.reqflow.analysis;

import java.util.List;

/** Reports for each flow (in the order given) and a summary per endpoint (by name). */
public record AnalysisResult(List<FlowReport> flows, List<EndpointSummary> endpoints) {
  public AnalysisResult {
    flows = List.copyOf(flows);
    endpoints = List.copyOf(endpoints);
  }
}
