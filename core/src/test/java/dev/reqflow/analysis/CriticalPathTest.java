package dev.reqflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.PhaseKind;
import dev.reqflow.flow.Timeline;
import org.junit.jupiter.api.Test;

/** Each case draws a flow and, under it, the expected path: {@code =} running, else the call. */
class CriticalPathTest {

  /** Draws the path on the timeline's grid: '=' running, the releasing call's id when blocked. */
  static String draw(Flow flow, CriticalPath path) {
    StringBuilder sb = new StringBuilder();
    long tick = 10 * Timeline.MS;
    for (Segment s : path.segments()) {
      char ch =
          s.kind() == Kind.RUNNING
              ? '='
              : s.releasedBy() == null ? '?' : s.releasedBy().spanId().charAt(0);
      for (long t = s.startNanos(); t < s.endNanos(); t += tick) {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  @Test
  void eachWaitIsReleasedByTheLastCallItWaitedFor() {
    Flow flow =
        Timeline.parse(
            "render |==AAAAAA==bb==|  A=a+c",
            "a      |  ssss        |",
            "b      |  ssssssss    |",
            "c      |  ssssss      |");

    CriticalPath path = Analysis.criticalPath(flow);

    assertThat(draw(flow, path)).isEqualTo("==cccccc==bb==");
    assertThat(path.blockedNanos()).isEqualTo(80 * Timeline.MS);
    assertThat(Analysis.criticalPath(flow)).isSameAs(path);
  }

  @Test
  void goesDownToThePhasesOfTheReleasingCallWithinTheWait() {
    Flow flow = Timeline.parse("render |=aaaaaa=|", "a      |qqccsss |");

    Segment wait = Analysis.criticalPath(flow).segments().get(1);

    assertThat(wait.releasedBy().spanId()).isEqualTo("a");
    assertThat(wait.phases())
        .extracting(p -> p.kind())
        .containsExactly(PhaseKind.QUEUED, PhaseKind.CONNECT, PhaseKind.SERVER);
    assertThat(wait.phases().get(0).durationNanos()).isEqualTo(10 * Timeline.MS);
  }

  @Test
  void followsTheCallsTheReleaserWasIssuedAfter() {
    Flow flow =
        Timeline.parse(
            "render |=bbbbbbbb=|",
            "a      | ssss     | thread=worker",
            "b      |     ssss | thread=worker callback=a");

    Segment wait = Analysis.criticalPath(flow).segments().get(1);

    assertThat(wait.chain()).extracting(Call::spanId).containsExactly("a", "b");
  }

  @Test
  void overlappingWaitsMergeAndWaitsOnOtherThreadsDoNotCount() {
    Flow flow =
        Timeline.parse(
            "render |=aaaa=====|",
            "render |   bbbb   |",
            "worker |=cccccccc=|",
            "a      | ssss     |",
            "b      |   ssss   |",
            "c      | ssssssss |");

    assertThat(draw(flow, Analysis.criticalPath(flow))).isEqualTo("=bbbbbb===");
  }

  @Test
  void aFlowWithoutWaitsIsOneRunningSegment() {
    Flow flow = Timeline.parse("render |==========|", "a |ssss|");
    Flow noWaits =
        Flow.builder("t", "f")
            .time(flow.startNanos(), flow.endNanos())
            .addCall(flow.calls().get(0))
            .build();

    CriticalPath path = Analysis.criticalPath(noWaits);

    assertThat(path.waitsRecorded()).isFalse();
    assertThat(path.segments()).hasSize(1);
    assertThat(path.blockedNanos()).isZero();
  }
}
