package dev.reqflow.viewer.flows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.FlowReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The flow list's figures of an endpoint: kept while its flows are unchanged; for a big endpoint
 * (here of 3 flows or more) computed again off the FX thread, the last figures shown meanwhile.
 */
class EndpointStatsCacheTest {
  private static final String HOME = "GET /home";
  private static final String GROUP = FlowStore.group(FlowStore.LIVE, HOME);

  @Test
  void aBigEndpointKeepsItsFiguresWhileTheCurrentOnesAreComputedInTheBackground() {
    List<FlowReport> pages = EndpointStatsTest.homePages(5);
    FlowStore store = new FlowStore();
    store.addAll(pages.subList(0, 4));
    List<Runnable> background = new ArrayList<>();
    List<Runnable> onFx = new ArrayList<>();
    int[] updated = {0};
    EndpointStatsCache cache =
        new EndpointStatsCache(background::add, onFx::add, () -> updated[0]++, 3);

    // Its first figures are computed on the spot, then kept while the flows are unchanged.
    EndpointStats first = cache.get(store, GROUP, HOME);
    assertThat(first.count()).isEqualTo(4);
    assertThat(cache.get(store, GROUP, HOME)).isSameAs(first);
    assertThat(background).isEmpty();

    // A flow more: the figures of a moment ago, while one computation runs in the background.
    store.addAll(pages.subList(4, 5));
    assertThat(cache.get(store, GROUP, HOME)).isSameAs(first);
    assertThat(cache.get(store, GROUP, HOME)).isSameAs(first);
    assertThat(background).hasSize(1);
    background.remove(0).run();
    assertThat(updated[0]).isZero(); // handed over on the FX thread only
    onFx.remove(0).run();
    assertThat(updated[0]).isEqualTo(1);
    EndpointStats now = cache.get(store, GROUP, HOME);
    EndpointStats expected = EndpointStats.of(HOME, store.flowsOf(GROUP));
    assertThat(now.count()).isEqualTo(5);
    assertThat(now.p50Nanos()).isEqualTo(expected.p50Nanos());
    assertThat(now.p95Nanos()).isEqualTo(expected.p95Nanos());
    assertThat(now.histogram()).isEqualTo(expected.histogram());
    assertThat(cache.get(store, GROUP, HOME)).isSameAs(now);
    assertThat(background).isEmpty();
  }

  @Test
  void aSmallEndpointIsAlwaysCurrentAndAClearedOneStartsAfresh() {
    List<FlowReport> pages = EndpointStatsTest.homePages(4);
    FlowStore store = new FlowStore();
    List<Runnable> background = new ArrayList<>();
    EndpointStatsCache cache = new EndpointStatsCache(background::add, Runnable::run, () -> {}, 3);
    store.addAll(pages.subList(0, 1));
    assertThat(cache.get(store, GROUP, HOME).count()).isEqualTo(1);
    store.addAll(pages.subList(1, 2));
    assertThat(cache.get(store, GROUP, HOME).count()).isEqualTo(2);
    store.addAll(pages.subList(2, 4));
    assertThat(cache.get(store, GROUP, HOME).count()).isEqualTo(2); // big now: a moment ago
    store.clear(FlowStore.LIVE);
    store.addAll(pages.subList(0, 1));
    assertThat(cache.get(store, GROUP, HOME).count()).isEqualTo(1);
  }
}
