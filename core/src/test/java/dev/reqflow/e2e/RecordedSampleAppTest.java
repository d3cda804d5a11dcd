package dev.reqflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.AnalysisResult;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.analysis.SuggestionKind;
import dev.reqflow.otlp.Flows;
import dev.reqflow.otlp.ReadResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces the reqflow agent recorded from the sample app ({@code hammer --loads 5}, all strategies,
 * three pages each kept), read and analysed as the report does. Expected times are the page times
 * hammer measured in the same run for the strategy that applies the fix. The full end-to-end test
 * (record now, then analyse) belongs to the build that has the agent; this one pins the analysis to
 * real bytes.
 */
class RecordedSampleAppTest {
  private static final String[] STRATEGIES = {
    "serial-new-client",
    "serial-shared-client",
    "pool-2",
    "pool-n",
    "async",
    "async-okhttp",
    "late-issue",
    "dependent",
    "per-host-limit",
    "blocking-callback",
    "slow-outlier"
  };
  private static final long MS = 1_000_000L;

  static AnalysisResult result;
  static List<FlowReport> pages;

  @BeforeAll
  static void read() throws IOException {
    ReadResult read =
        Flows.read(Path.of("src/test/resources/agent/sample-app-strategies.jsonl.gz"));
    assertThat(read.warnings()).isEmpty();
    result = Analysis.analyse(read.flows());
    pages = new ArrayList<>();
    for (FlowReport r : result.flows()) {
      if (r.flow().name().equals("GET /home")) {
        pages.add(r);
      }
    }
    pages.sort(Comparator.comparingLong(r -> r.flow().startNanos()));
    assertThat(pages).hasSize(STRATEGIES.length * 3);
  }

  private static List<FlowReport> of(String strategy) {
    int i = List.of(STRATEGIES).indexOf(strategy);
    return pages.subList(3 * i, 3 * i + 3);
  }

  private static void assertTop(String strategy, SuggestionKind kind, long measuredFixMs) {
    for (FlowReport r : of(strategy)) {
      assertThat(r.flow().waitsRecorded()).isTrue();
      assertThat(r.suggestions()).as(strategy).isNotEmpty();
      Suggestion top = r.suggestions().get(0);
      assertThat(top.kind()).as(strategy).isEqualTo(kind);
      assertThat((double) top.predictedNanos())
          .as(strategy + ": predicted vs measured with the fix")
          .isBetween(0.9 * measuredFixMs * MS, 1.1 * measuredFixMs * MS);
    }
  }

  @Test
  void serialCallsShouldBeIssuedTogetherAsAsyncDoes() {
    assertTop("serial-shared-client", SuggestionKind.PARALLELIZE, 258);
  }

  @Test
  void aNewClientPerCallShouldShareOneAsTheSharedClientDoes() {
    // Not the process's first page: a shared client too opens its first connection there.
    for (FlowReport r : of("serial-new-client").subList(1, 3)) {
      Suggestion reuse =
          r.suggestions().stream()
              .filter(s -> s.kind() == SuggestionKind.REUSE_CONNECTIONS)
              .findFirst()
              .orElseThrow();
      assertThat((double) reuse.predictedNanos()).isBetween(0.9 * 844 * MS, 1.1 * 844 * MS);
    }
  }

  @Test
  void twoWorkersShouldBeAsManyAsCalls() {
    assertTop("pool-2", SuggestionKind.RAISE_POOL_LIMIT, 262);
  }

  @Test
  void lateCallsShouldBeIssuedFirst() {
    assertTop("late-issue", SuggestionKind.ISSUE_EARLIER, 258);
  }

  @Test
  void thePerHostLimitShouldBeRaised() {
    // measured with per-host-limit&perHost=10
    assertTop("per-host-limit", SuggestionKind.RAISE_POOL_LIMIT, 119);
  }

  @Test
  void callbacksShouldNotBlockTheDispatcher() {
    // measured with blocking-callback&combine=true
    assertTop("blocking-callback", SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER, 262);
  }

  @Test
  void goodPagesAndRealDependenciesGetNothing() {
    for (String good : List.of("pool-n", "async", "async-okhttp", "dependent")) {
      for (FlowReport r : of(good)) {
        assertThat(r.suggestions()).as(good).isEmpty();
      }
    }
  }
}
