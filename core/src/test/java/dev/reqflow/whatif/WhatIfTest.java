package dev.reqflow.whatif;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Flow;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.flow.Timeline;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WhatIfTest {

  private static final String[] SERIAL = {
    "render |==aaaa==bbbb==cccc==|",
    "a      |  ssss              | mode=sync",
    "b      |        ssss        | mode=sync after-wait=a",
    "c      |              ssss  | mode=sync after-wait=b",
  };

  @Test
  void replayWithoutChangesReproducesTheRecording() {
    Flow flow = Timeline.parse(SERIAL);

    Replay replay = WhatIf.of(flow).baseline();

    assertThat(replay.durationNanos()).isEqualTo(200 * MS);
    assertThat(replay.issueNanos(1)).isEqualTo(Timeline.T0 + 80 * MS);
    assertThat(replay.endNanos(2)).isEqualTo(Timeline.T0 + 180 * MS);
  }

  @Test
  void issuingSerialCallsTogetherLeavesOnlyTheLongestWait() {
    Flow flow = Timeline.parse(SERIAL);

    Prediction p = WhatIf.of(flow).predict(new Change.IssueEarly(Set.of("a", "b", "c")));

    // After: ==aaaa======== : each call issued at 20 ms, the later waits find them done.
    assertThat(p.predictedNanos()).isEqualTo(120 * MS);
    assertThat(p.savingNanos()).isEqualTo(80 * MS);
  }

  /**
   * Two calls issued at once and waited for, then three made one after another (the trial's bundle
   * page): issued together where the first of the three was, the first wait stays before them;
   * issued with the page's first call, it does not.
   */
  @Test
  void issuingTogetherKeepsTheWaitsBeforeTheFirstOfThem() {
    Flow flow =
        Timeline.parse(
            "render |=PPPP=xxxxyyyyzzzz=|  P=p+q",
            "p      | sss               | mode=async",
            "q      | ssss              | mode=async",
            "x      |      ssss         | mode=sync after-wait=q",
            "y      |          ssss     | mode=sync after-wait=x",
            "z      |              ssss | mode=sync after-wait=y");
    Set<String> serial = Set.of("x", "y", "z");

    // Together: =PPPP=xxxx= : 10 + 40 + 10, then the three at once for 40, then 10.
    assertThat(WhatIf.of(flow).predict(new Change.IssueEarly(serial, true)).predictedNanos())
        .isEqualTo(110 * MS);
    // With the page's first call: all five from 10 ms, all done at 50; then the page's own 10 + 10.
    assertThat(WhatIf.of(flow).predict(new Change.IssueEarly(serial, false)).predictedNanos())
        .isEqualTo(70 * MS);
  }

  @Test
  void callbackDependenciesStay() {
    Flow flow =
        Timeline.parse(
            "render |==AAAAAAAA==|  A=b",
            "a      |  ssss      |",
            "b      |      ssss  | callback=a");

    Prediction p = WhatIf.of(flow).predict(new Change.IssueEarly(Set.of("b")));

    assertThat(p.savingNanos()).isZero();
  }

  @Test
  void afterWaitOnAnotherThreadIsMovable() {
    Flow flow =
        Timeline.parse(
            "render |==AAAAAAAA==|  A=b",
            "a      |  ssss      | thread=worker",
            "b      |      ssss  | thread=worker after-wait=a");

    assertThat(WhatIf.of(flow).baseline().durationNanos()).isEqualTo(120 * MS);
    assertThat(WhatIf.of(flow).predict(new Change.IssueEarly(Set.of("b"))).predictedNanos())
        .isEqualTo(80 * MS);
  }

  @Test
  void aLargerPoolRunsQueuedCallsAtOnce() {
    String pool = "pool=workers/executor/2";
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAA==|  A=a+b+c+d",
            "a      |ssss      | " + pool,
            "b      |ssss      | " + pool,
            "c      |qqqqssss  | " + pool,
            "d      |qqqqssss  | " + pool);
    WhatIf whatIf = WhatIf.of(flow);

    assertThat(whatIf.baseline().durationNanos()).isEqualTo(100 * MS);
    assertThat(
            whatIf
                .predict(new Change.SetPoolLimit("workers", PoolKind.EXECUTOR, 4))
                .predictedNanos())
        .isEqualTo(60 * MS);
    assertThat(
            whatIf
                .predict(new Change.SetPoolLimit("workers", PoolKind.EXECUTOR, 1))
                .predictedNanos())
        .isEqualTo(180 * MS);
  }

  @Test
  void aPoolThreadWaitingOnItsNextTasksOwnCallFreesThePreviousTasksSlot() {
    // Two workers run three tasks; w-2 runs a, then c. Each task waits on its own synchronous
    // call: c's wait on w-2 belongs to c in progress, not to a still holding its slot.
    String pool = "pool=workers/executor/2";
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAAAA=|  A=a+b+c",
            "w-1    |bbbbbb     | role=executor",
            "w-2    |aaaacccccc | role=executor",
            "a      |ssss       | thread=w-2 " + pool,
            "b      |ssssss     | thread=w-1 " + pool,
            "c      |qqqqssssss | thread=w-2 " + pool);
    WhatIf whatIf = WhatIf.of(flow);

    // After: all three run at once; the page waits for the longest (60 ms) and renders (10 ms).
    assertThat(whatIf.baseline().durationNanos()).isEqualTo(110 * MS);
    assertThat(
            whatIf
                .predict(new Change.SetPoolLimit("workers", PoolKind.EXECUTOR, 3))
                .predictedNanos())
        .isEqualTo(70 * MS);
  }

  @Test
  void aPerHostLimitQueuesOnlyCallsToTheSameHost() {
    String pool = "pool=okhttp/dispatcher/64/1";
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAA==|  A=a+b+c",
            "a      |ssss      | host=h:1 " + pool,
            "b      |qqqqssss  | host=h:1 " + pool,
            "c      |ssss      | host=other:1 " + pool);
    WhatIf whatIf = WhatIf.of(flow);

    assertThat(whatIf.baseline().durationNanos()).isEqualTo(100 * MS);
    assertThat(
            whatIf
                .predict(new Change.SetPoolLimit("okhttp", PoolKind.PER_HOST, 5))
                .predictedNanos())
        .isEqualTo(60 * MS);
  }

  @Test
  void aCallbackThatBlocksTheClientsThreadKeepsItsCallsSlot() {
    // Per-host limit 1: b can run only when a's callback returns, and the callback waits for c.
    String pool = "pool=okhttp/dispatcher/64/1 host=h:1";
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAAA=|  A=b+c",
            "okhttp |   XXX     | role=client-dispatcher X=c",
            "a      | ss        | " + pool,
            "b      | qqqqqsss  | " + pool,
            "c      | sssssss   | host=other:1");
    WhatIf whatIf = WhatIf.of(flow);

    assertThat(whatIf.baseline().durationNanos()).isEqualTo(110 * MS);
    assertThat(whatIf.predict(new Change.FreeThreads(Set.of("block-2"))).predictedNanos())
        .isEqualTo(100 * MS);
  }

  @Test
  void reusedConnectionsSkipConnectAndTls() {
    Flow flow =
        Timeline.parse(
            "render |aaaaaaaabbbbbbbb|",
            "a      |cctssddd        | new",
            "b      |        cctssddd| new after-wait=a");

    assertThat(WhatIf.of(flow).predict(new Change.ReuseConnections()).savingNanos())
        .isEqualTo(60 * MS);
  }

  @Test
  void aTimeoutCapsTheSlowCall() {
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAAAA=|  A=a+b", "a      | ssssssssss |", "b      | sss        |");

    Prediction p = WhatIf.of(flow).predict(new Change.Timeout("a", 50 * MS));

    assertThat(p.predictedNanos()).isEqualTo(70 * MS);
  }

  @Test
  void droppingADuplicateReleasesItsWait() {
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=|",
            "a      | ssss      | mode=sync url=http://u/1",
            "b      |      ssss | mode=sync url=http://u/1 after-wait=a");

    assertThat(WhatIf.of(flow).predict(List.of(new Change.Drop("b"))).predictedNanos())
        .isEqualTo(70 * MS);
  }

  @Test
  void reusingAResultWaitsForTheCallThatGivesIt() {
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAAA=|  A=a+b", "a      | ssssssss  |", "b      |   sssssss |");

    assertThat(WhatIf.of(flow).predict(new Change.ReuseResult("b", "a")).predictedNanos())
        .isEqualTo(100 * MS);
  }

  @Test
  void aFlowWithoutWaitsCannotBeSpedUp() {
    Flow flow = Timeline.parse("render |==========|", "a |ssss|", "b |    ssss| after-wait=a");

    assertThat(WhatIf.of(flow).predict(new Change.IssueEarly(Set.of("b"))).savingNanos()).isZero();
  }
}
