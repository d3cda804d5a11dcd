package dev.reqflow.analysis;

import static dev.reqflow.analysis.StalledFlowsFixture.POOL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.ExecutorState;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deadlocks named from a snapshot: a pool's threads waiting on work only that pool can do, with
 * every thread it may run busy. A pool with a thread free, work of another executor, a flow that
 * ended: no deadlock.
 */
class DeadlockTest {

  @Test
  void tasksWaitingOnTasksQueuedInTheirOwnFullPool() {
    List<Deadlock> d = Deadlock.of(StalledFlowsFixture.nestedPool("t1"));
    assertThat(d).hasSize(1);
    Deadlock pool = d.get(0);
    assertThat(pool.kind()).isEqualTo(Deadlock.Kind.QUEUED_TASK);
    assertThat(pool.executor().id()).isEqualTo(POOL);
    assertThat(pool.threads()).isEqualTo(2);
    assertThat(pool.threadNames()).isEqualTo("pool-2-thread-*");
    assertThat(pool.sitesLabel()).isEqualTo("Page.section(Page.java:202)");
    assertThat(pool.sentence())
        .isEqualTo(
            "Deadlock: both threads of executor ThreadPoolExecutor@5e9f23b4 (pool-2-thread-*) wait"
                + " on tasks queued behind them in that same executor (2 of 2 busy, 2 tasks"
                + " queued): the tasks cannot start until a thread is free, and none will be.");
    assertThat(pool.fix())
        .startsWith("Run the tasks they wait on in another executor")
        .endsWith("at Page.section(Page.java:202).");
  }

  @Test
  void threadsOfAnHttpClientsExecutorBlockedInItsOwnCalls() {
    List<Deadlock> d = Deadlock.of(StalledFlowsFixture.clientExecutor("t2"));
    assertThat(d).hasSize(1);
    Deadlock client = d.get(0);
    assertThat(client.kind()).isEqualTo(Deadlock.Kind.CLIENT_EXECUTOR);
    assertThat(client.awaited())
        .containsExactly("GET http://127.0.0.1:8081/d0", "GET http://127.0.0.1:8081/d1");
    assertThat(client.sentence())
        .contains("are blocked in calls of an HTTP client that runs its own work on that same")
        .contains("(2 of 2 busy, 4 tasks queued)");
    assertThat(client.fix()).startsWith("Give the HTTP client an executor of its own");
  }

  @Test
  void aPoolWithAThreadFreeIsNoDeadlock() {
    ExecutorState roomy = new ExecutorState(POOL, 4, 2, 2);
    Flow f =
        new StalledFlowsFixture.Builder("t3", "GET /nested", 12_000)
            .renderWaitsOnTask(5)
            .workerWaitsOnQueuedTask(1, 70, POOL, roomy)
            .workerWaitsOnQueuedTask(2, 72, POOL, roomy)
            .build();
    assertThat(Deadlock.of(f)).isEmpty();
  }

  @Test
  void waitingOnAnotherExecutorsTaskOrClientIsNoDeadlock() {
    ExecutorState full = new ExecutorState(POOL, 2, 2, 2);
    Flow tasks =
        new StalledFlowsFixture.Builder("t4", "GET /nested", 12_000)
            .workerWaitsOnQueuedTask(1, 70, "ThreadPoolExecutor@other", full)
            .workerWaitsOnQueuedTask(2, 72, "ThreadPoolExecutor@other", full)
            .build();
    assertThat(Deadlock.of(tasks)).isEmpty();
    Flow client =
        new StalledFlowsFixture.Builder("t5", "GET /client", 12_000)
            .callInProgress("d0", 1, 130, "ThreadPoolExecutor@other")
            .callInProgress("d1", 2, 131, null)
            .workerWaitsOnCall(1, 130, "d0", full)
            .workerWaitsOnCall(2, 131, "d1", full)
            .build();
    assertThat(Deadlock.of(client)).isEmpty();
  }

  @Test
  void aFlowThatEndedHasNone() {
    Flow ended =
        Timeline.parse(
            "render |==aaaa==|", //
            "a      |  ssss  |");
    assertThat(Deadlock.of(ended)).isEmpty();
    assertThat(StalledFlow.of(List.of(ended))).isEmpty();
  }

  @Test
  void stalledFlowsComeDeadlockedFirstWithEachThreadsWait() {
    Flow running = new StalledFlowsFixture.Builder("t6", "GET /slow", 500).workerRunning(1).build();
    Flow nested = StalledFlowsFixture.nestedPool("t7");
    List<StalledFlow> stalled = StalledFlow.of(List.of(running, nested));
    assertThat(stalled).extracting(s -> s.flow().traceId()).containsExactly("t7", "t6");
    StalledFlow first = stalled.get(0);
    assertThat(first.stalled()).isTrue();
    assertThat(first.headline())
        .isEqualTo(
            "open 12.0 s when the process stopped: stalled (still open after stall.after, 1.00 s)");
    assertThat(first.threadLines())
        .containsExactly(
            "page-request-1 (render): waiting 12.0 s at Page.render(Page.java:192) in future.get"
                + " for a task running on pool-2-thread-1",
            "pool-2-thread-1 (executor, a worker of ThreadPoolExecutor@5e9f23b4: 2 of 2 busy, 2"
                + " queued): waiting 11.9 s at Page.section(Page.java:202) in future.get for a task"
                + " queued in ThreadPoolExecutor@5e9f23b4 (its own executor)",
            "pool-2-thread-2 (executor, a worker of ThreadPoolExecutor@5e9f23b4: 2 of 2 busy, 2"
                + " queued): waiting 11.9 s at Page.section(Page.java:202) in future.get for a task"
                + " queued in ThreadPoolExecutor@5e9f23b4 (its own executor)");
    StalledFlow second = stalled.get(1);
    assertThat(second.stalled()).as("open 500 ms, under stall.after").isFalse();
    assertThat(second.headline())
        .isEqualTo(
            "open 500 ms when the process stopped: in progress, not stalled (open less than"
                + " stall.after, 1.00 s)");
    assertThat(second.threadLines())
        .containsExactly(
            "pool-2-thread-1 (executor): RUNNABLE at Dao.find(Dao.java:40), in"
                + " sun.nio.ch.SocketDispatcher.read0");
  }

  @Test
  void aFlowInProgressGetsNoSuggestionAndIsNoHistory() {
    Flow client = StalledFlowsFixture.clientExecutor("t8");
    AnalysisResult r = Analysis.analyse(List.of(client));
    assertThat(r.flows().get(0).suggestions()).isEmpty();
    assertThat(r.flows().get(0).whyNone()).startsWith("it had not ended");
  }
}
