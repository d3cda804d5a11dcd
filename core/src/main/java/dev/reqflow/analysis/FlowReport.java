package dev.reqflow.analysis;

import dev.reqflow.flow.Flow;
import java.util.List;

/** A flow with its critical path and its suggestions, best saving first. */
public record FlowReport(Flow flow, CriticalPath criticalPath, List<Suggestion> suggestions) {
  public FlowReport {
    suggestions = List.copyOf(suggestions);
  }
}
