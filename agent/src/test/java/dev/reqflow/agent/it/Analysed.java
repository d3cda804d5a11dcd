package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.AnalysisResult;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.analysis.SuggestionKind;
import dev.reqflow.otlp.Flows;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A recorded file as {@code ./reqflow report} sees it: core's reader and analysis, flows grouped by
 * name, the first flow of each name left out (a warm-up: class loading, JIT, first connections).
 */
final class Analysed {
  final AnalysisResult result;
  private final Map<String, List<FlowReport>> byName = new LinkedHashMap<>();

  Analysed(Path file) throws IOException {
    result = Analysis.analyse(Flows.read(file).flows());
    for (FlowReport r : result.flows()) {
      byName.computeIfAbsent(r.flow().name(), k -> new ArrayList<>()).add(r);
    }
    for (List<FlowReport> flows : byName.values()) {
      flows.sort(Comparator.comparingLong(r -> r.flow().startNanos()));
      flows.remove(0);
    }
  }

  /** The judged flows of that name, in start order. */
  List<FlowReport> flows(String name) {
    assertThat(byName).as("flows by name").containsKey(name);
    return byName.get(name);
  }

  static long medianMs(List<FlowReport> flows, ToLongFunction<FlowReport> nanos) {
    long[] values = flows.stream().mapToLong(nanos).sorted().toArray();
    return values[values.length / 2] / 1_000_000;
  }

  long measuredMs(String name) {
    return medianMs(flows(name), r -> r.flow().durationNanos());
  }

  /**
   * Every judged flow of {@code bad} ranks {@code kind} first, and the median of what it predicts
   * comes within 10% of the median measured on {@code fixed}, the same page with the change made.
   * Returns the top suggestions.
   */
  List<Suggestion> topPredictsTheFix(String bad, SuggestionKind kind, String fixed) {
    List<FlowReport> flows = flows(bad);
    List<Suggestion> tops = new ArrayList<>();
    for (FlowReport r : flows) {
      assertThat(r.flow().waitsRecorded()).isTrue();
      assertThat(r.suggestions()).as(bad + " suggestions").isNotEmpty();
      assertThat(r.suggestions().get(0).kind())
          .as(bad + " top suggestion: " + r.suggestions())
          .isEqualTo(kind);
      tops.add(r.suggestions().get(0));
    }
    long predicted = medianMs(flows, r -> r.suggestions().get(0).predictedNanos());
    long measured = measuredMs(fixed);
    System.out.printf(
        "ground truth: %s %d ms, top %s predicts %d ms; %s measured %d ms%n",
        bad, measuredMs(bad), kind.id(), predicted, fixed, measured);
    assertThat((double) predicted)
        .as(bad + ": predicted %d ms vs %s measured %d ms", predicted, fixed, measured)
        .isBetween(0.9 * measured, 1.1 * measured);
    return tops;
  }
}
