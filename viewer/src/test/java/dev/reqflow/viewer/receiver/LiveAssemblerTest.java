package dev.reqflow.viewer.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.viewer.bench.SyntheticTraces;
import dev.reqflow.viewer.files.FileLoader;
import dev.reqflow.viewer.flows.FlowStore;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveAssemblerTest {
  @Test
  void aFlowSplitOverBatchesIsReassembledAndOnlyChangedTracesComeBack() {
    SyntheticTraces t = new SyntheticTraces(11);
    List<Span> first = t.homePage();
    List<Span> second = t.homePage();
    LiveAssembler live = new LiveAssembler();

    // the calls of the first page arrive before its flow span; the second page in one go
    live.add(SyntheticTraces.request("shop", first.subList(1, first.size())), "a");
    live.add(SyntheticTraces.request("shop", second), "b");
    // only the second page is whole; the first waits for its flow span
    List<FlowReport> drained = live.drain();
    assertThat(drained).hasSize(1);
    assertThat(drained.get(0).flow().warnings()).isEmpty();
    FlowStore store = new FlowStore();
    store.replaceTraces(drained);

    // The first page completes: the service is analysed again, the two flows together; what
    // comes back is the new flow, and the other only if its suggestions changed with the history.
    FlowReport secondBefore = drained.get(0);
    live.add(SyntheticTraces.request("shop", first.subList(0, 1)), "c");
    drained = live.drain();
    String firstTrace = HexFormat.of().formatHex(first.get(0).getTraceId().toByteArray());
    FlowReport whole =
        drained.stream()
            .filter(r -> r.flow().traceId().equals(firstTrace))
            .findFirst()
            .orElseThrow();
    assertThat(whole.flow().calls()).hasSize(5);
    assertThat(whole.flow().renderBlocks()).hasSize(3);
    assertThat(whole.suggestions()).isNotEmpty();
    List<FlowReport> together =
        Analysis.analyse(List.of(whole.flow(), secondBefore.flow())).flows();
    boolean secondChanged = !together.get(1).suggestions().equals(secondBefore.suggestions());
    assertThat(drained).hasSize(secondChanged ? 2 : 1);
    store.replaceTraces(drained);
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.endpointNames()).containsExactly("GET /home");

    assertThat(live.drain()).isEmpty();
    assertThat(live.spanCount()).isEqualTo(first.size() + second.size());
  }

  @Test
  void liveFlowsGetTheSuggestionsOfTheSameFlowsReadFromAFile(@TempDir Path dir) throws Exception {
    SyntheticTraces t = new SyntheticTraces(7);
    List<List<Span>> pages = new ArrayList<>();
    List<Span> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      // The ads call has a heavy tail on every third page: a timeout only its history shows.
      pages.add(t.homePage(i % 3 == 2 ? 2_000 : 150));
      all.addAll(pages.get(i));
    }
    Path file = dir.resolve("pages.pb");
    try (OutputStream out = Files.newOutputStream(file)) {
      SyntheticTraces.request("shop", all).writeTo(out);
    }
    Map<String, List<Suggestion>> fromFile = new HashMap<>();
    for (FlowReport r : FileLoader.loadAnalysed(List.of(file))) {
      fromFile.put(FlowStore.key(r.flow()), r.suggestions());
    }

    // Live: the pages arrive one at a time, out of order, each drained as the receiver would.
    LiveAssembler live = new LiveAssembler();
    FlowStore store = new FlowStore();
    List<List<Span>> arrival = new ArrayList<>(pages);
    Collections.shuffle(arrival, new Random(3));
    for (List<Span> page : arrival) {
      live.add(SyntheticTraces.request("shop", page), "live");
      store.replaceTraces(live.drain());
    }

    assertThat(store.size()).isEqualTo(pages.size());
    int historyDependent = 0;
    for (String key : fromFile.keySet()) {
      FlowReport r = store.get(key);
      assertThat(r.suggestions()).as(key).isEqualTo(fromFile.get(key));
      if (!r.suggestions().equals(Analysis.suggest(r.flow()))) {
        historyDependent++;
      }
    }
    // Not a vacuous check: some flows' suggestions need the other flows (a drain of one page
    // alone, as before, gave them fewer).
    assertThat(historyDependent).isPositive();
  }

  @Test
  void aTraceThatNeverGetsItsFlowSpanIsShownOnceItHasBeenQuiet() {
    long[] now = {0};
    LiveAssembler live = new LiveAssembler(() -> now[0]);
    List<Span> page = new SyntheticTraces(5).homePage();

    live.add(SyntheticTraces.request("shop", page.subList(1, page.size())), "a");
    assertThat(live.drain()).isEmpty();
    now[0] += LiveAssembler.GRACE_NANOS / 2;
    assertThat(live.drain()).isEmpty();

    now[0] += LiveAssembler.GRACE_NANOS;
    List<FlowReport> drained = live.drain();
    assertThat(drained).hasSize(1);
    assertThat(drained.get(0).flow().calls()).hasSize(5);
    assertThat(live.drain()).isEmpty();
  }

  @Test
  void aHugeLiveFlowSaysItsSuggestionsArePendingThenGetsThoseOfTheSameFlowReadFromAFile(
      @TempDir Path dir) throws Exception {
    SyntheticTraces t = new SyntheticTraces(9);
    List<Span> all = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      all.addAll(t.homePage(i == 2 ? 2_000 : 150));
    }
    Path file = dir.resolve("pages.pb");
    try (OutputStream out = Files.newOutputStream(file)) {
      SyntheticTraces.request("shop", all).writeTo(out);
    }
    Map<String, List<Suggestion>> fromFile = new HashMap<>();
    for (FlowReport r : FileLoader.loadAnalysed(List.of(file))) {
      fromFile.put(FlowStore.key(r.flow()), r.suggestions());
    }
    // Pages of 5 calls count as huge here: analysed apart, by the jobs run below.
    List<Runnable> jobs = new ArrayList<>();
    LiveAssembler live = new LiveAssembler(System::nanoTime, 3, jobs::add);

    live.add(SyntheticTraces.request("shop", all), "live");
    List<FlowReport> first = live.drain();
    assertThat(first).hasSize(3);
    for (FlowReport r : first) {
      assertThat(r.suggestions()).isEmpty();
      assertThat(r.noSuggestionsLine())
          .isEqualTo("No suggestions: " + LiveAssembler.pendingReason(r.flow()) + ".")
          .contains("5 calls");
    }
    assertThat(jobs).hasSize(3);
    assertThat(live.drain()).isEmpty();

    jobs.forEach(Runnable::run);
    List<FlowReport> analysed = live.drain();
    assertThat(analysed).hasSize(3);
    for (FlowReport r : analysed) {
      assertThat(r.suggestions()).isEqualTo(fromFile.get(FlowStore.key(r.flow())));
    }
    assertThat(analysed).anySatisfy(r -> assertThat(r.suggestions()).isNotEmpty());

    // Another page of the service: the analysed flows keep their suggestions, the new one waits.
    FlowStore store = new FlowStore();
    store.replaceTraces(first);
    store.replaceTraces(analysed);
    live.add(SyntheticTraces.request("shop", t.homePage()), "live");
    List<FlowReport> later = live.drain();
    assertThat(later).hasSize(1);
    assertThat(later.get(0).whyNone()).isEqualTo(LiveAssembler.pendingReason(later.get(0).flow()));
    assertThat(jobs).hasSize(4);
    store.replaceTraces(later);
    assertThat(store.size()).isEqualTo(4);
    for (FlowReport r : analysed) {
      assertThat(store.get(FlowStore.key(r.flow())).suggestions())
          .isEqualTo(fromFile.get(FlowStore.key(r.flow())));
    }
    live.close();
  }
}
