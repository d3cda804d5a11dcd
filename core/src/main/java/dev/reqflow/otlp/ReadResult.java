package dev.reqflow.otlp;

import dev.reqflow.flow.Flow;
import java.util.List;

/**
 * Flows assembled from OTLP input, by start time, and what the reader had to repair or leave out
 * across them (each flow also carries its own {@link Flow#warnings()}).
 */
public record ReadResult(List<Flow> flows, List<String> warnings, long spanCount) {
  public ReadResult {
    flows = List.copyOf(flows);
    warnings = List.copyOf(warnings);
  }
}
