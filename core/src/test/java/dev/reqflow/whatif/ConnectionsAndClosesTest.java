package dev.reqflow.whatif;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Change.OpenConnections}: calls a lock serialized on one connection need more when they run
 * together; {@link Change.CloseResponses}: closing a response reads the rest of its body.
 */
class ConnectionsAndClosesTest {

  /**
   * Three calls a {@code synchronized} client wrapper ran one at a time, each on a thread of its
   * own, all three reusing the one connection: removing the lock runs them together.
   */
  private static Flow serializedPage() {
    return Timeline.parse(
        "render |AAAAAAAAAAAA=|  A=a+b+c",
        "t2     |%%%%         | lock=app.Client",
        "t3     |%%%%%%%%     | lock=app.Client",
        "a      |ssss         | thread=t1 mode=sync reused host=api:80",
        "b      |----ssss     | thread=t2 mode=sync reused host=api:80",
        "c      |--------ssss | thread=t3 mode=sync reused host=api:80");
  }

  private static Set<String> lockWaits(Flow flow) {
    Set<String> ids = new HashSet<>();
    for (Block b : flow.blocks()) {
      if (b.isLockWait()) {
        ids.add(b.spanId());
      }
    }
    return ids;
  }

  private static long predicted(Flow flow, Change.HostConnections api) {
    return WhatIf.of(flow)
        .predict(
            List.of(
                new Change.RemoveLockWaits(lockWaits(flow)),
                new Change.OpenConnections(Map.of("api:80", api))))
        .predictedNanos();
  }

  @Test
  void withoutTheLockCallsBeyondTheIdleConnectionsOpenOne() {
    Flow flow = serializedPage();
    // Not counted: the three run together on connections they never paid for, 40 + 10 ms.
    assertThat(
            WhatIf.of(flow).predict(new Change.RemoveLockWaits(lockWaits(flow))).predictedNanos())
        .isEqualTo(50 * MS);

    // The client keeps one idle (the one the serial calls shared): two calls open one, 20 ms each,
    // at once.
    assertThat(predicted(flow, new Change.HostConnections(1, 1, 20 * MS))).isEqualTo(70 * MS);
  }

  @Test
  void theSteadyStateKeepsWhatThePageUsedUpToTheClientsIdleLimit() {
    Flow flow = serializedPage();
    // Loaded before without the lock, the page left its three connections idle: none to open.
    assertThat(predicted(flow, new Change.HostConnections(1, 5, 20 * MS))).isEqualTo(50 * MS);
    // OkHttp keeps 2 of the 3: one call opens one on every load.
    assertThat(predicted(flow, new Change.HostConnections(1, 2, 20 * MS))).isEqualTo(70 * MS);
    // An unknown idle limit keeps all of them.
    assertThat(predicted(flow, new Change.HostConnections(1, 0, 20 * MS))).isEqualTo(50 * MS);
  }

  @Test
  void aCallThatOpenedItsConnectionAsRecordedPaysNothingMore() {
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAAAAAAAA=|  A=a+b+c",
            "t2     |%%%%%%         | lock=app.Client",
            "t3     |%%%%%%%%%%     | lock=app.Client",
            "a      |ccssss         | thread=t1 mode=sync new host=api:80",
            "b      |------ssss     | thread=t2 mode=sync reused host=api:80",
            "c      |----------ssss | thread=t3 mode=sync reused host=api:80");

    // a opens its own as it did (20 ms), b and c find the one idle connection only for one of them:
    // the other opens one (20 ms): a ends at 60, b at 40, c at 60; the render at 70.
    assertThat(predicted(flow, new Change.HostConnections(1, 1, 20 * MS))).isEqualTo(70 * MS);
  }

  @Test
  void hostsNotNamedAreNotCounted() {
    Flow flow = serializedPage();
    assertThat(
            WhatIf.of(flow)
                .predict(
                    List.of(
                        new Change.RemoveLockWaits(lockWaits(flow)),
                        new Change.OpenConnections(
                            Map.of("other:80", new Change.HostConnections(0, 1, 20 * MS)))))
                .predictedNanos())
        .isEqualTo(50 * MS);
  }

  @Test
  void closingAResponseReadsTheRestOfItsBodyBeforeTheNextCall() {
    // Two serial calls whose responses were never closed: the page went on at the headers.
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=|",
            "a      | >sss      | mode=sync reused host=api:80 incomplete=unreachable",
            "b      |      >sss | mode=sync reused host=api:80 after-wait=a incomplete=unreachable");

    Prediction p =
        WhatIf.of(flow).predict(new Change.CloseResponses(Map.of("a", 30 * MS, "b", 30 * MS)));

    // Each close waits 30 ms for the rest of its body: b is issued 30 ms later, the page ends
    // 60 ms later.
    assertThat(p.predictedNanos()).isEqualTo(170 * MS);
  }

  @Test
  void aNegativeBodyTimeIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Change.CloseResponses(Map.of("a", -1L)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
