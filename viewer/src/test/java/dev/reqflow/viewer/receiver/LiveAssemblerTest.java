package dev.reqflow.viewer.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.viewer.bench.SyntheticTraces;
import dev.reqflow.viewer.flows.FlowStore;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    live.add(SyntheticTraces.request("shop", first.subList(0, 1)), "c");
    drained = live.drain();
    assertThat(drained).hasSize(1);
    assertThat(drained.get(0).flow().calls()).hasSize(5);
    assertThat(drained.get(0).flow().renderBlocks()).hasSize(3);
    assertThat(drained.get(0).suggestions()).isNotEmpty();
    store.replaceTraces(drained);
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.endpoints()).containsExactly("GET /home");

    assertThat(live.drain()).isEmpty();
    assertThat(live.spanCount()).isEqualTo(first.size() + second.size());
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
}
