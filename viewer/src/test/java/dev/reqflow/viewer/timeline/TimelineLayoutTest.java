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
  void aWhatIfIsRevealedFromALanesTopNeverWithALaneHalfUnderThePinnedOne() {
    // rows: lane 0 (thread row, a call row), lane 1 (thread row from y1, two call rows)
    double pinned = TimelineLayout.THREAD_ROW_HEIGHT;
    double y1 = layout.rows().get(layout.threadRow(1)).y();
    double lane1 = y1 - pinned - TimelineLayout.LANE_GAP;
    // a scroll of a few pixels stops at lane 1's top, just under the pinned lane, not inside it
    assertThat(TimelineView.revealScroll(layout, 1)).isEqualTo(Math.max(0, lane1));
    assertThat(TimelineView.revealScroll(layout, lane1)).isEqualTo(lane1);
    // more than lane 1 allows: the what-if's own top just under the pinned lane
    assertThat(TimelineView.revealScroll(layout, lane1 + 1)).isEqualTo(layout.height() - pinned);
    assertThat(TimelineView.revealScroll(layout, 10_000)).isEqualTo(layout.height() - pinned);
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

  @Test
  void aCallsCalleeFlowIsARowUnderItsCallDrawnInsideTheCall() {
    Flow backend = Flows.backend();
    TimelineLayout l = TimelineLayout.of(flow, java.util.Map.of("a", backend));
    assertThat(l.rows())
        .extracting(TimelineLayout.Row::kind)
        .containsExactly(
            TimelineLayout.Kind.THREAD,
            TimelineLayout.Kind.CALLS,
            TimelineLayout.Kind.CALLEES,
            TimelineLayout.Kind.THREAD,
            TimelineLayout.Kind.CALLS,
            TimelineLayout.Kind.CALLS);
    TimelineLayout.Row callees = l.rows().get(2);
    int a = flow.callIndex("a");
    assertThat(callees.calls()).containsExactly(a);
    // recorded from -2 to 34 ms (its clock 2 ms behind): moved 2 ms later, inside a (0 to 40)
    Callee c = l.callee(a);
    assertThat(c.shiftNanos()).isEqualTo(2 * Flows.MS);
    assertThat(callees.starts()).containsExactly(0L);
    assertThat(callees.ends()).containsExactly(36 * Flows.MS);
    assertThat(l.callee(flow.callIndex("c"))).isNull();
    assertThat(l.height()).isEqualTo(layout.height() + TimelineLayout.CALLEE_ROW_HEIGHT);
    assertThat(c.describe())
        .startsWith(
            "Continues in users's flow GET /a, 36 ms: blocked 25 ms (69%) waiting on its own"
                + " calls, 11 ms in its own code")
        .contains("Drawn 2.0 ms later than its service recorded it, to fit inside the call");

    // a point on the callee is its call: selecting it selects a, opening it opens the flow
    Viewport v = new Viewport(0, 100 * Flows.MS, 1000, 0);
    assertThat(HitTest.at(l, v, 200, callees.y() + 5)).isEqualTo(TimelineModel.SpanRef.call(a));
    assertThat(HitTest.at(l, v, 380, callees.y() + 5)).isNull(); // after it, still inside a
  }

  @Test
  void aCalleeThatFitsIsNotMovedAndOneLongerThanItsCallStartsWithIt() {
    Flow page = flow;
    dev.reqflow.flow.Call a = page.calls().get(page.callIndex("a"));
    Flow inside =
        Flow.builder("t1", "u2").parentSpanId("a").time(5 * Flows.MS, 30 * Flows.MS).build();
    assertThat(Callee.place(a, inside).shiftNanos()).isZero();
    Flow late =
        Flow.builder("t1", "u3").parentSpanId("a").time(20 * Flows.MS, 45 * Flows.MS).build();
    assertThat(Callee.place(a, late).shiftNanos()).isEqualTo(-5 * Flows.MS);
    Flow longer =
        Flow.builder("t1", "u4").parentSpanId("a").time(-5 * Flows.MS, 50 * Flows.MS).build();
    assertThat(Callee.place(a, longer).startNanos()).isEqualTo(a.startNanos());
    // drawn only as far as its call: the row's spans stay within their calls
    TimelineLayout l = TimelineLayout.of(page, java.util.Map.of("a", longer));
    assertThat(l.rows().get(2).ends()).containsExactly(a.endNanos());
    // waits it did not record are said, not drawn as all working
    assertThat(Callee.place(a, inside).describe()).contains("its waits were not recorded");
  }
}
