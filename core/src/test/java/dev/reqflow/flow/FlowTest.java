package dev.reqflow.flow;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlowTest {

  @Test
  void blockedTimeCountsOverlappingWaitsOnce() {
    Flow flow =
        Timeline.parse(
            "render |==aaaa==bbbb==|",
            "worker |  cccccc      |",
            "a      |qsss          |",
            "b      |      ssss    |",
            "c      |  ssss        |");

    assertThat(flow.durationNanos()).isEqualTo(140 * MS);
    assertThat(flow.blockedNanos()).isEqualTo(80 * MS);
    assertThat(flow.renderBlocks()).hasSize(2);
    assertThat(flow.blocks()).hasSize(3);
  }

  @Test
  void lanesStartWithTheRenderThreadThenFirstActivity() {
    Flow flow =
        Timeline.parse(
            "render |==aaaa==|",
            "late   |      bb|",
            "early  | cc     |",
            "a      |ssssss  |",
            "b      |ss      | thread=early",
            "c      |  ss    |");

    assertThat(flow.lanes())
        .extracting(l -> l.thread().name())
        .containsExactly("render", "early", "late");
    assertThat(flow.lanes().get(0).issuedCalls())
        .extracting(Call::spanId)
        .containsExactly("a", "c");
    assertThat(flow.lanes().get(1).issuedCalls()).extracting(Call::spanId).containsExactly("b");
  }

  @Test
  void callsAreSortedByIssueTimeAndFoundById() {
    Flow flow = Timeline.parse("render |==bbaa|", "a |    ss|", "b |ssss  |");

    assertThat(flow.calls()).extracting(Call::spanId).containsExactly("b", "a");
    assertThat(flow.call("a").startNanos()).isEqualTo(Timeline.T0 + 40 * MS);
    assertThat(flow.callIndex("zz")).isEqualTo(-1);
    assertThat(flow.call("zz")).isNull();
  }

  @Test
  void callPhasesAddUp() {
    Flow flow = Timeline.parse("render |aaaaaaaaaa|", "a |qqnct>sssd|");
    Call a = flow.call("a");

    assertThat(a.phaseNanos(PhaseKind.QUEUED)).isEqualTo(20 * MS);
    assertThat(a.connectionSetupNanos()).isEqualTo(30 * MS);
    assertThat(a.phaseNanos(PhaseKind.SERVER)).isEqualTo(30 * MS);
    assertThat(a.hostPort()).isEqualTo("backend-a:8080");
    assertThat(a.label()).isEqualTo("GET http://backend-a:8080/a");
  }

  @Test
  void codeLocationsReadLikeStackFrames() {
    assertThat(new CodeLocation("com.example.web.Page.render", "Page.java", 42).label())
        .isEqualTo("Page.render(Page.java:42)");
    assertThat(CodeLocation.UNKNOWN.label()).isEqualTo("unknown line");
  }

  @Test
  void callsAreFoundBySpanIdInSmallAndLargeFlows() {
    for (int n : new int[] {3, 16, 17, 40}) {
      Flow.Builder b = Flow.builder("t", "f").time(0, 1000);
      for (int i = n - 1; i >= 0; i--) {
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
                CallMode.SYNC,
                i,
                i + 1,
                java.util.List.of(),
                ConnectionReuse.UNKNOWN,
                Pool.NONE,
                CodeLocation.UNKNOWN,
                ThreadRef.UNKNOWN,
                java.util.List.of()));
      }
      Flow flow = b.build();
      for (int i = 0; i < n; i++) {
        assertThat(flow.callIndex("c" + i)).as("c%d of %d", i, n).isEqualTo(i);
        assertThat(flow.call("c" + i).startNanos()).isEqualTo(i);
      }
      assertThat(flow.callIndex("nope")).isEqualTo(-1);
      assertThat(flow.call("nope")).isNull();
    }
  }
}
