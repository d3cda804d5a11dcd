package dev.reqflow.viewer.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Flow;
import org.junit.jupiter.api.Test;

class TimelineLayoutTest {
  private final Flow flow = Flows.page();
  private final TimelineLayout layout = TimelineLayout.of(flow);

  @Test
  void renderThreadFirstThenItsCallsThenOtherThreads() {
    assertThat(layout.rows())
        .extracting(TimelineLayout.Row::kind, TimelineLayout.Row::lane)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TimelineLayout.Kind.THREAD, 0),
            org.assertj.core.groups.Tuple.tuple(TimelineLayout.Kind.CALLS, 0),
            org.assertj.core.groups.Tuple.tuple(TimelineLayout.Kind.THREAD, 1),
            org.assertj.core.groups.Tuple.tuple(TimelineLayout.Kind.CALLS, 1),
            org.assertj.core.groups.Tuple.tuple(TimelineLayout.Kind.CALLS, 1));
  }

  @Test
  void callsThatDoNotOverlapShareARow() {
    // a (0-40) and c (42-60) on the render thread fit one row; b and d overlap: two rows
    assertThat(layout.rowOfCall(flow.callIndex("a"))).isEqualTo(1);
    assertThat(layout.rowOfCall(flow.callIndex("c"))).isEqualTo(1);
    assertThat(layout.rowOfCall(flow.callIndex("b"))).isEqualTo(3);
    assertThat(layout.rowOfCall(flow.callIndex("d"))).isEqualTo(4);
    assertThat(layout.rowOfBlock("k1")).isZero();
    assertThat(layout.rows().get(1).ends()).isSorted();
  }

  @Test
  void findsRowsByHeight() {
    assertThat(layout.rowAt(0)).isZero();
    assertThat(layout.rowAt(TimelineLayout.THREAD_ROW_HEIGHT + 1)).isEqualTo(1);
    double gap = layout.rows().get(1).bottom() + 1;
    assertThat(layout.rowAt(gap)).isEqualTo(-1);
    assertThat(layout.rowAt(layout.height() + 10)).isEqualTo(-1);
  }

  @Test
  void hitTestFindsCallsAndBlocks() {
    Viewport v = new Viewport(0, 100 * Flows.MS, 1000, 0);
    double callRowY = layout.rows().get(1).y() + 5;
    assertThat(HitTest.at(layout, v, 100, callRowY))
        .isEqualTo(TimelineModel.SpanRef.call(flow.callIndex("a")));
    assertThat(HitTest.at(layout, v, 500, callRowY))
        .isEqualTo(TimelineModel.SpanRef.call(flow.callIndex("c")));
    assertThat(HitTest.at(layout, v, 900, callRowY)).isNull();
    assertThat(HitTest.at(layout, v, 200, 5)).isEqualTo(TimelineModel.SpanRef.block("k1"));
  }
}
