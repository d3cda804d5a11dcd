package dev.reqflow.viewer.flows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Flow;
import dev.reqflow.viewer.timeline.Flows;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store's index of flows by the span they ran below: a page's callee flows and its caller are
 * lookups, kept right as flows are replaced, re-assembled and cleared, across sources.
 */
class FlowStoreCalleesTest {
  private static FlowReport report(Flow f) {
    return new FlowReport(f, Analysis.criticalPath(f), List.of());
  }

  @Test
  void calleesAreFoundByTheirCallsSpanAcrossSourcesAndForgottenWithThem() {
    FlowStore store = new FlowStore();
    FlowReport page = report(Flows.page());
    FlowReport users = report(Flows.backend());
    store.addAll("shop.pb", List.of(page));
    store.addAll("users.pb", List.of(users));

    assertThat(store.childrenOf("t1", "a")).containsExactly(users);
    assertThat(store.childrenOf("t1", "c")).isEmpty();
    assertThat(store.childrenOf("other-trace", "a")).isEmpty();
    assertThat(store.flowsOfTrace("t1")).containsExactlyInAnyOrder(page, users);

    // re-assembled (a later batch of its trace): the new report replaces the old one
    FlowReport again = report(Flows.backend());
    store.replaceTraces("users.pb", List.of(again));
    assertThat(store.childrenOf("t1", "a")).containsExactly(again);

    store.clear("users.pb");
    assertThat(store.childrenOf("t1", "a")).isEmpty();
    assertThat(store.flowsOfTrace("t1")).containsExactly(page);
  }
}
