package dev.reqflow.viewer.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelMergeTest {
  /** 10,000 calls of 1 µs, 10 µs apart, on one thread: 100 ms in all. */
  private static Flow manyTinyCalls() {
    Flow.Builder b =
        Flow.builder("t", "f").name("x").time(0, 100 * Flows.MS).renderThread(Flows.RENDER);
    for (int i = 0; i < 10_000; i++) {
      long start = i * 10_000L;
      b.addCall(
          new Call(
              "c" + i,
              "GET",
              "",
              "h",
              0,
              200,
              "",
              "",
              dev.reqflow.flow.CallMode.SYNC,
              start,
              start + 1_000,
              List.of(),
              dev.reqflow.flow.ConnectionReuse.UNKNOWN,
              dev.reqflow.flow.Pool.NONE,
              dev.reqflow.flow.CodeLocation.UNKNOWN,
              Flows.RENDER,
              List.of()));
    }
    return b.build();
  }

  private static List<double[]> runs(TimelineLayout.Row row, Viewport v) {
    List<double[]> out = new ArrayList<>();
    PixelMerge.merge(
        row, v, 1, (x0, x1, first, last) -> out.add(new double[] {x0, x1, first, last}));
    return out;
  }

  @Test
  void callsSharingPixelsMergeIntoFewRuns() {
    Flow flow = manyTinyCalls();
    TimelineLayout layout = TimelineLayout.of(flow);
    TimelineLayout.Row row = layout.rows().get(1);
    // 100 ms over 500 px: 20 calls per pixel, all touching: one run
    List<double[]> r = runs(row, new Viewport(0, 100 * Flows.MS, 500, 0));
    assertThat(r).hasSize(1);
    assertThat(r.get(0)[2]).isZero();
    assertThat(r.get(0)[3]).isEqualTo(9_999);
  }

  @Test
  void zoomedInCallsStaySeparateAndOnlyVisibleOnesAreVisited() {
    Flow flow = manyTinyCalls();
    TimelineLayout.Row row = TimelineLayout.of(flow).rows().get(1);
    // 100 µs over 1000 px: 10 calls, 100 px apart
    List<double[]> r = runs(row, new Viewport(50_000_000, 50_100_000, 1000, 0));
    assertThat(r).hasSizeBetween(10, 11);
    for (double[] run : r) {
      assertThat(run[2]).isEqualTo(run[3]);
    }
    assertThat(r.get(0)[2]).isGreaterThanOrEqualTo(4_999);
  }

  @Test
  void aWideCallIsNotSwallowedByNarrowNeighbours() {
    Flow flow = Flows.page();
    TimelineLayout.Row row = TimelineLayout.of(flow).rows().get(1);
    List<double[]> r = runs(row, new Viewport(0, 100 * Flows.MS, 1000, 0));
    assertThat(r).hasSize(2);
  }
}
