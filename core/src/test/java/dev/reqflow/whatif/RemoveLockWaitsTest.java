package dev.reqflow.whatif;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The replay without a lock: {@code %} marks a thread's wait for it (see {@link Timeline}). */
class RemoveLockWaitsTest {

  private static Set<String> lockWaits(Flow flow) {
    Set<String> ids = new java.util.HashSet<>();
    for (Block b : flow.blocks()) {
      if (b.isLockWait()) {
        ids.add(b.spanId());
      }
    }
    return ids;
  }

  @Test
  void aWaitInsideATasksFirstCallIsCutFromTheCall() {
    Flow flow =
        Timeline.parse(
            "render |aaaabbbb=|",
            "t2     |%%%%     | lock=app.Client",
            "a      |ssss     | thread=t1 mode=sync",
            "b      |----ssss | thread=t2 mode=sync");

    Replay replay =
        WhatIf.of(flow).replay(java.util.List.of(new Change.RemoveLockWaits(lockWaits(flow))));

    assertThat(replay.endNanos(1) - Timeline.T0).isEqualTo(40 * MS);
    assertThat(replay.durationNanos()).isEqualTo(50 * MS);
  }

  @Test
  void aWaitBeforeACallIssuesTheCallThatMuchEarlier() {
    // The thread took the lock, then issued its call: the call's span starts after the wait.
    Flow flow =
        Timeline.parse(
            "render |bbbbbbbb=|",
            "t1     |%%%%     | lock=app.Client",
            "b      |    ssss | thread=t1 mode=sync");

    Prediction p = WhatIf.of(flow).predict(new Change.RemoveLockWaits(lockWaits(flow)));

    assertThat(p.predictedNanos()).isEqualTo(50 * MS);
  }

  @Test
  void aRemovedWaitOfTheRenderThreadTakesNoTime() {
    Flow flow = Timeline.parse("render |==%%%%====|  lock=app.Client");

    Prediction p = WhatIf.of(flow).predict(new Change.RemoveLockWaits(lockWaits(flow)));

    assertThat(p.predictedNanos()).isEqualTo(60 * MS);
  }

  @Test
  void waitsNotRemovedStay() {
    Flow flow =
        Timeline.parse(
            "render |aaaabbbb=|",
            "t2     |%%%%     | lock=app.Client",
            "a      |ssss     | thread=t1 mode=sync",
            "b      |----ssss | thread=t2 mode=sync");

    Prediction p = WhatIf.of(flow).predict(new Change.RemoveLockWaits(Set.of("another")));

    assertThat(p.predictedNanos()).isEqualTo(90 * MS);
  }
}
