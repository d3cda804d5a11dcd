package dev.reqflow.viewer.flows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.otlp.FlowAssembler;
import dev.reqflow.viewer.bench.SyntheticTraces;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointStatsTest {
  @Test
  void nearestRankPercentiles() {
    long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    assertThat(EndpointStats.percentile(sorted, 0.5)).isEqualTo(50);
    assertThat(EndpointStats.percentile(sorted, 0.95)).isEqualTo(100);
    assertThat(EndpointStats.percentile(new long[0], 0.5)).isZero();
  }

  static List<FlowReport> homePages(int n) {
    SyntheticTraces t = new SyntheticTraces(7);
    FlowAssembler a = new FlowAssembler();
    for (int i = 0; i < n; i++) {
      a.add(SyntheticTraces.request("shop", t.homePage()), "test");
    }
    return Analysis.analyse(a.build().flows()).flows();
  }

  @Test
  void statsOfAnEndpoint() {
    List<FlowReport> reports = homePages(10);
    EndpointStats s = EndpointStats.of("GET /home", reports);
    assertThat(s.count()).isEqualTo(10);
    assertThat(s.p50Nanos()).isPositive().isLessThanOrEqualTo(s.p95Nanos());
    assertThat(s.p95Nanos()).isLessThanOrEqualTo(s.maxNanos());
    assertThat(s.blockedShare()).isBetween(0.5, 1.0);
    assertThat(s.suggestionKinds()).isPositive();
    assertThat(java.util.Arrays.stream(s.histogram()).sum()).isEqualTo(10);
  }

  @Test
  void listGroupsByEndpointAndFilters() {
    FlowStore store = new FlowStore();
    store.addAll(homePages(3));
    assertThat(FlowListModel.groups(store, "")).hasSize(1);
    assertThat(FlowListModel.groups(store, "HOME")).hasSize(1);
    assertThat(FlowListModel.groups(store, "cart")).isEmpty();
    assertThat(FlowListModel.groups(store, "").get(0).flows()).hasSize(3);
  }

  @Test
  void aReassembledFlowReplacesItsEarlierSelf() {
    FlowStore store = new FlowStore();
    List<FlowReport> reports = homePages(2);
    store.addAll(reports);
    long version = store.version();
    store.addAll(List.of(reports.get(0)));
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.version()).isGreaterThan(version);
  }
}
