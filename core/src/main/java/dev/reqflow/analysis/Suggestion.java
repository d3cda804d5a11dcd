package dev.reqflow.analysis;

import dev.reqflow.whatif.Change;
import java.util.List;
import java.util.Objects;

/**
 * One thing to change in the application, with what it would save on this flow.
 *
 * @param title one line, imperative: what to do
 * @param explanation why and how, in the user's words, naming the call sites
 * @param spanIds the evidence: spans (calls, waits) that show the problem
 * @param changes the change the prediction replayed; empty when the saving is an estimate from the
 *     recording rather than a replay
 * @param predictedNanos the flow's duration after the change
 * @param savingNanos recorded duration minus predicted
 */
public record Suggestion(
    SuggestionKind kind,
    String title,
    String explanation,
    List<String> spanIds,
    List<Change> changes,
    long predictedNanos,
    long savingNanos) {
  public Suggestion {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(explanation, "explanation");
    spanIds = List.copyOf(spanIds);
    changes = List.copyOf(changes);
  }
}
