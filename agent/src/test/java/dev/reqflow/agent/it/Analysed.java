package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
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
 * The report's analysis (core's {@link Analysis}, what {@code reqflow report} runs) on the file a
 * forked run recorded, by flow name; the first flow of each name is a warm-up (class loading, JIT,
 * first connections) and is not judged, as in e2e's ground truth.
 */
final class Analysed {
  private final Map<String, List<FlowReport>> byName = new LinkedHashMap<>();

  private Analysed() {}

  static Analysed of(Path file) throws IOException {
    Analysed a = new Analysed();
    for (FlowReport r : Analysis.analyse(Flows.read(file).flows()).flows()) {
      a.byName.computeIfAbsent(r.flow().name(), k -> new ArrayList<>()).add(r);
    }
    for (List<FlowReport> flows : a.byName.values()) {
      flows.sort(Comparator.comparingLong(r -> r.flow().startNanos()));
    }
    return a;
  }

  /** Flows named {@code name}, in start order, without the first. */
  List<FlowReport> judged(String name) {
    List<FlowReport> all = byName.get(name);
    assertThat(all).as("flows named " + name + " in " + byName.keySet()).isNotNull();
    assertThat(all.size()).as("flows named " + name).isGreaterThan(1);
    return all.subList(1, all.size());
  }

  static long medianMs(List<FlowReport> flows, ToLongFunction<FlowReport> nanos) {
    long[] values = flows.stream().mapToLong(nanos).sorted().toArray();
    return values[values.length / 2] / 1_000_000;
  }

  long measuredMs(String name) {
    return medianMs(judged(name), r -> r.flow().durationNanos());
  }

  /**
   * Every judged flow of {@code bad} ranks {@code kind} first, and the median of what it predicts
   * comes within 10% of the median duration of {@code fix}, the same page with that change made.
   * Returns those first suggestions.
   */
  List<Suggestion> topSuggestionPredicts(String bad, SuggestionKind kind, String fix) {
    List<FlowReport> flows = judged(bad);
    List<Suggestion> tops = new ArrayList<>();
    for (FlowReport r : flows) {
      tops.add(r.suggestions().isEmpty() ? null : r.suggestions().get(0));
      assertThat(r.flow().waitsRecorded()).isTrue();
      assertThat(r.suggestions()).as(bad + " suggestions").isNotEmpty();
      assertThat(r.suggestions().get(0).kind())
          .as(bad + " top suggestion: " + r.suggestions().get(0).title())
          .isEqualTo(kind);
    }
    long predicted = medianMs(flows, r -> r.suggestions().get(0).predictedNanos());
    long measured = measuredMs(fix);
    System.out.printf(
        "analysis: %s %d ms, top %s predicts %d ms; %s measured %d ms%n",
        bad, measuredMs(bad), kind.id(), predicted, fix, measured);
    assertThat((double) predicted)
        .as("%s: predicted %d ms vs %s measured %d ms", bad, predicted, fix, measured)
        .isBetween(0.9 * measured, 1.1 * measured);
    return tops;
  }
}
