package dev.reqflow.analysis;

import dev.reqflow.flow.Flow;
import java.util.List;
import java.util.Objects;

/**
 * A flow with its critical path and its suggestions, best saving first.
 *
 * @param whyNone when there is no suggestion, why, in a few words ({@code "the waits are one
 *     dependent chain: ..."}); {@code ""} when there are suggestions, or the flow was not analysed
 *     for them
 */
public record FlowReport(
    Flow flow, CriticalPath criticalPath, List<Suggestion> suggestions, String whyNone) {
  public FlowReport {
    suggestions = List.copyOf(suggestions);
    Objects.requireNonNull(whyNone, "whyNone");
  }

  /**
   * The sentence every output shows when the flow has no suggestion: {@code "No suggestions: " +
   * whyNone + "."}, or {@code "No suggestions."} without a reason; {@code ""} when it has some.
   */
  public String noSuggestionsLine() {
    if (!suggestions.isEmpty()) {
      return "";
    }
    return whyNone.isEmpty() ? "No suggestions." : "No suggestions: " + whyNone + ".";
  }

  /** A report without a reason for an empty list (not analysed for suggestions). */
  public FlowReport(Flow flow, CriticalPath criticalPath, List<Suggestion> suggestions) {
    this(flow, criticalPath, suggestions, "");
  }
}
