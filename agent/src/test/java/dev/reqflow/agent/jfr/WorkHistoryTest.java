package dev.reqflow.agent.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history JDK Flight Recorder's waits are placed with, fed as the work log feeds it. */
class WorkHistoryTest {
  static final long MS = 1_000_000L;

  static SpanContext span(String id) {
    return SpanContext.create(
        "0af7651916cd43dd8448eb211c80319c", id, TraceFlags.getSampled(), TraceState.getDefault());
  }

  static final Context FLOW = Context.root().with(Span.wrap(span("00000000000000f1")));
  static final SpanContext CALL_A = span("000000000000000a");

  @Test
  void aThreadWorksForAFlowBetweenItsHandOffs() {
    WorkHistory h = new WorkHistory(10_000 * MS, 1000);
    h.work(7, 100 * MS, FLOW, "executor");
    h.work(7, 300 * MS, null, null);

    assertThat(h.knows(7)).isTrue();
    assertThat(h.knows(8)).isFalse();
    assertThat(h.at(7, 50 * MS).kind).isEqualTo(WorkHistory.Kind.NONE);
    WorkHistory.State s = h.at(7, 200 * MS);
    assertThat(s.kind).isEqualTo(WorkHistory.Kind.FLOW);
    assertThat(s.parent).isSameAs(FLOW);
    assertThat(s.role).isEqualTo("executor");
    assertThat(s.at).isEqualTo(100 * MS);
    assertThat(h.at(7, 300 * MS).kind).isEqualTo(WorkHistory.Kind.NONE);
  }

  @Test
  void theHoldersCallIsTheOneThatEndedAsTheWaitEnded() {
    WorkHistory h = new WorkHistory(10_000 * MS, 1000);
    h.work(7, 0, FLOW, "executor");
    h.call(7, 1 * MS, CALL_A);
    h.call(7, 101 * MS, null);

    assertThat(h.inCall(7, 50 * MS)).isTrue();
    assertThat(h.inCall(7, 120 * MS)).isFalse();
    // Thread 8 waited from 2 to 102 ms for the monitor thread 7 held around call a.
    assertThat(h.callEndedBetween(7, 2 * MS, 102 * MS, 2 * MS)).isEqualTo(CALL_A);
    // A wait that ended long after: not a's.
    assertThat(h.callEndedBetween(7, 150 * MS, 300 * MS, 2 * MS)).isNull();
  }

  @Test
  void recordsTheLogLostMakeEveryThreadUnknownUntilItRecordsAgain() {
    WorkHistory h = new WorkHistory(10_000 * MS, 1000);
    h.work(7, 100 * MS, FLOW, "executor");
    h.work(8, 110 * MS, FLOW, "render");
    h.lost(5);
    h.work(8, 400 * MS, null, null);

    assertThat(h.lostRecords()).isEqualTo(5);
    assertThat(h.at(7, 105 * MS).kind).isEqualTo(WorkHistory.Kind.FLOW);
    assertThat(h.at(7, 200 * MS).kind).isEqualTo(WorkHistory.Kind.UNKNOWN);
    assertThat(h.at(8, 200 * MS).kind).isEqualTo(WorkHistory.Kind.UNKNOWN);
    assertThat(h.at(8, 500 * MS).kind).isEqualTo(WorkHistory.Kind.NONE);
  }

  @Test
  void theHistoryKeepsItsRetentionAndForgetsIdleThreads() {
    WorkHistory h = new WorkHistory(1_000 * MS, 1000);
    for (int t = 0; t < 100; t++) {
      h.work(t, t * MS, FLOW, "executor");
      h.work(t, t * MS + MS / 2, null, null);
    }
    h.work(1000, 5_000 * MS, FLOW, "render");
    h.prune();

    // Idle since before the retention: forgotten; the thread still in its flow is kept.
    assertThat(h.threads()).isEqualTo(1);
    assertThat(h.at(1000, 5_500 * MS).kind).isEqualTo(WorkHistory.Kind.FLOW);
    // Older than the retention: not known, rather than guessed.
    assertThat(h.at(5, 5 * MS).kind).isEqualTo(WorkHistory.Kind.UNKNOWN);
  }

  @Test
  void atMostMaxMomentsAreKept() {
    WorkHistory h = new WorkHistory(60_000 * MS, 500);
    for (int i = 0; i < 10_000; i++) {
      h.work(i % 50, i * MS, i % 2 == 0 ? FLOW : null, "executor");
    }
    h.prune();

    assertThat(h.moments()).isLessThanOrEqualTo(500);
    assertThat(h.at(3, 9_999 * MS).kind).isNotEqualTo(WorkHistory.Kind.UNKNOWN);
  }

  @Test
  void lateWaitsOfThreadsOutsideFlowsAreDroppedAndTheRestPlaced() {
    WorkHistory h = new WorkHistory(10_000 * MS, 1000);
    h.work(7, 0, FLOW, "executor");
    h.call(7, 1 * MS, CALL_A);
    h.call(7, 101 * MS, null);
    h.work(8, 0, FLOW, "executor");
    LateWaits late = new LateWaits(h);

    assertThat(
            late.place(
                99,
                "other",
                0,
                50 * MS,
                "monitor.enter",
                "x.Y",
                -1,
                List.of(),
                List.of(),
                List.of(),
                true))
        .isNull();
    // Thread 7's own client lock, inside its call: the call's time already.
    assertThat(
            late.place(
                7,
                "t7",
                10 * MS,
                20 * MS,
                "monitor.enter",
                "okhttp3.ConnectionPool",
                -1,
                List.of("okhttp3.internal.X"),
                List.of("get"),
                List.of(3),
                true))
        .isNull();
    var w =
        late.place(
            8,
            "t8",
            2 * MS,
            102 * MS,
            "monitor.enter",
            "com.example.LockedClient",
            7,
            List.of("com.example.LockedClient", "com.example.Page", "java.lang.Thread"),
            List.of("get", "lambda$render$0", "run"),
            List.of(31, 40, 840),
            true);

    assertThat(w).isNotNull();
    assertThat(w.parent).isSameAs(FLOW);
    assertThat(w.function).isEqualTo("com.example.LockedClient.get");
    assertThat(w.file).isEqualTo("LockedClient.java");
    assertThat(w.line).isEqualTo(31);
    assertThat(w.heldBy).isEqualTo(CALL_A);
    assertThat(w.lockClass).isEqualTo("com.example.LockedClient");
    assertThat(late.outsideFlows.get()).isEqualTo(1);
    assertThat(late.notTheApplications.get()).isEqualTo(1);
    assertThat(late.placed.get()).isEqualTo(1);
  }
}
