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
    // both traces changed: the second page, and a provisional flow of the first page's spans
    List<FlowReport> drained = live.drain();
    assertThat(drained).hasSize(2);
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
}
