package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The stall watchdog's snapshots, driven by hand ({@link StallWatch#look()}, {@link
 * StallWatch#atExit()}) on flows the recorder's hooks build as the advice would: a flow in progress
 * is written as it is now (its span and calls under their own ids, its threads' waits), once while
 * it does not change, again at exit; its real spans come when it ends.
 */
class StallWatchTest {
  private static final AttributeKey<Boolean> IN_PROGRESS =
      AttributeKey.booleanKey("reqflow.in_progress");
  private static final AttributeKey<Long> SEQ = AttributeKey.longKey("reqflow.snapshot.seq");

  private final List<SpanData> spans = new CopyOnWriteArrayList<>();
  private final SpanProcessor processor = SimpleSpanProcessor.create(new CollectingExporter(spans));
  private final Recorder recorder =
      new Recorder(
          SdkTracerProvider.builder().addSpanProcessor(processor).build().get("test"),
          0L,
          true,
          List.of(),
          Set.of(),
          Set.of(),
          (h, c) -> h);

  /** Stalled at once: every look writes what is due. */
  private final StallWatch watch = recorder.stallWatch(1L, processor::onEnd);

  private static String attr(SpanData s, String key) {
    Object v = s.getAttributes().asMap().get(AttributeKey.stringKey(key));
    if (v == null) {
      v = s.getAttributes().asMap().get(AttributeKey.longKey(key));
    }
    return v == null ? null : String.valueOf(v);
  }

  private List<SpanData> snapshot(long seq) {
    return spans.stream()
        .filter(s -> Boolean.TRUE.equals(s.getAttributes().get(IN_PROGRESS)))
        .filter(s -> s.getAttributes().get(SEQ) == seq)
        .collect(Collectors.toList());
  }

  private static void awaitWaiting(Thread t) {
    while (t.getState() != Thread.State.WAITING) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  @Test
  void aFlowInProgressIsWrittenAsItIsNowThenAtExitThenForReal() throws Exception {
    CompletableFuture<String> response = new CompletableFuture<>();
    CountDownLatch waiting = new CountDownLatch(1);
    Object[] call = new Object[1];
    Thread page =
        new Thread(
            () -> {
              Object token = recorder.flowEnter("GET /page", "GET", "/page", null);
              call[0] = recorder.callEnter(null, "okhttp", false, "GET", "http://h/a", "h", 80);
              recorder.callIssued(call[0], null, null);
              long start = recorder.blockEnter(response);
              waiting.countDown();
              response.join();
              recorder.blockExit(start, response, "completable.join");
              recorder.callEnd(call[0], null);
              recorder.flowExit(token, 200, null);
            },
            "page-1");
    page.start();
    waiting.await();
    awaitWaiting(page);

    watch.look();
    List<SpanData> first = snapshot(1);
    assertThat(first)
        .extracting(Requests::of)
        .containsExactlyInAnyOrder("GET /page", "GET /a", "block completable.join");
    SpanData flow = first.stream().filter(s -> s.getName().equals("GET /page")).findFirst().get();
    assertThat(attr(flow, "reqflow.snapshot.reason")).isEqualTo("stalled");
    assertThat(attr(flow, "reqflow.snapshot.left_out")).as("none left out").isNull();
    SpanData wait = first.stream().filter(s -> s.getName().startsWith("block")).findFirst().get();
    assertThat(attr(wait, "thread.name")).isEqualTo("page-1");
    assertThat(attr(wait, "reqflow.thread.role")).isEqualTo("render");
    assertThat(attr(wait, "reqflow.thread.frame")).isEqualTo("jdk.internal.misc.Unsafe.park");
    assertThat(wait.getParentSpanId()).isEqualTo(flow.getSpanId());

    // Nothing changed, and its age has not doubled: no second stalled snapshot.
    watch.look();
    assertThat(snapshot(2)).isEmpty();

    watch.atExit();
    List<SpanData> atExit = snapshot(2);
    assertThat(atExit).hasSize(3);
    SpanData exitFlow =
        atExit.stream().filter(s -> s.getName().equals("GET /page")).findFirst().get();
    assertThat(attr(exitFlow, "reqflow.snapshot.reason")).isEqualTo("exit");
    assertThat(exitFlow.getSpanId()).isEqualTo(flow.getSpanId());

    response.complete("ok");
    page.join();
    List<SpanData> real =
        spans.stream()
            .filter(s -> s.getAttributes().get(IN_PROGRESS) == null)
            .collect(Collectors.toList());
    assertThat(real)
        .extracting(Requests::of)
        .containsExactly("block completable.join", "GET /a", "GET /page");
    // The same span ids as their snapshots: the real spans supersede them.
    assertThat(real.get(2).getSpanId()).isEqualTo(flow.getSpanId());
    assertThat(real.get(1).getSpanId())
        .isEqualTo(
            first.stream()
                .filter(s -> Requests.of(s).equals("GET /a"))
                .findFirst()
                .get()
                .getSpanId());
    assertThat(recorder.stalls()).isEqualTo(new StallTotals(1, 1, 0, 0));
    assertThat(watch.openFlows()).isEmpty();
  }

  @Test
  void aWaitOnATaskQueuedInTheThreadsOwnFullPoolSaysWhereItWaits() throws Exception {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
    CountDownLatch waiting = new CountDownLatch(1);
    Object token = recorder.flowEnter("GET /nested", "GET", "/nested", null);
    try {
      FutureTask<String> parent =
          new FutureTask<>(
              () -> {
                FutureTask<String> child = new FutureTask<>(() -> "child");
                recorder.taskCreated(child);
                recorder.taskSubmitted(child, pool);
                pool.execute(child);
                long start = recorder.blockEnter(child);
                waiting.countDown();
                try {
                  return child.get();
                } finally {
                  recorder.blockExit(start, child, "future.get");
                }
              });
      recorder.taskCreated(parent);
      recorder.taskSubmitted(parent, pool);
      pool.execute(
          () -> {
            Object t = recorder.taskEnter(parent);
            parent.run();
            recorder.taskExit(t);
          });
      waiting.await();
      Thread worker = workerOf(parent);
      awaitWaiting(worker);

      watch.look();
      List<SpanData> snap = snapshot(1);
      SpanData wait =
          snap.stream().filter(s -> s.getName().equals("block future.get")).findFirst().get();
      String id = CallRecorder.poolName(pool);
      assertThat(attr(wait, "reqflow.wait.task.state")).isEqualTo("queued");
      assertThat(attr(wait, "reqflow.wait.task.executor")).isEqualTo(id);
      assertThat(attr(wait, "reqflow.thread.executor")).isEqualTo(id);
      assertThat(attr(wait, "reqflow.thread.executor.limit")).isEqualTo("1");
      assertThat(attr(wait, "reqflow.thread.executor.active")).isEqualTo("1");
      assertThat(attr(wait, "reqflow.thread.executor.queued")).isEqualTo("1");
      assertThat(attr(wait, "reqflow.thread.role")).isEqualTo("executor");
      // This test's own thread started the flow and is running: a thread state, no wait.
      SpanData self =
          snap.stream()
              .filter(s -> "thread.state".equals(attr(s, "reqflow.block.kind")))
              .findFirst()
              .get();
      assertThat(attr(self, "reqflow.thread.state")).isEqualTo("RUNNABLE");
      assertThat(attr(self, "thread.name")).isEqualTo(Thread.currentThread().getName());
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
      recorder.flowExit(token, 200, null);
    }
  }

  @Test
  void aSnapshotKeepsSoManyCallsAndCountsTheRest() {
    Object token = recorder.flowEnter("GET /burst", "GET", "/burst", null);
    List<Object> calls = new ArrayList<>();
    int n = FlowRecord.OPEN_CALLS_KEPT + 8;
    for (int i = 0; i < n; i++) {
      Object c = recorder.callEnter(null, "okhttp", false, "GET", "http://h/" + i, "h", 80);
      recorder.callIssued(c, null, null);
      calls.add(c);
    }
    watch.look();
    List<SpanData> snap = snapshot(1);
    SpanData flow = snap.stream().filter(s -> s.getName().equals("GET /burst")).findFirst().get();
    assertThat(attr(flow, "reqflow.snapshot.left_out")).isEqualTo("8");
    assertThat(snap.stream().filter(s -> Requests.of(s).startsWith("GET /") && s != flow))
        .hasSize(FlowRecord.OPEN_CALLS_KEPT);
    assertThat(recorder.stalls().spansLeftOut()).isEqualTo(8);
    for (Object c : calls) {
      recorder.callEnd(c, null);
    }
    recorder.flowExit(token, 200, null);
    assertThat(recorder.openAtExit()).isZero();
  }

  /** The thread running {@code task} for the flow, from the watchdog's registry. */
  private static Thread workerOf(Object task) {
    Thread[] found = new Thread[1];
    while (found[0] == null) {
      ThreadState.ALL.forEachKey(
          ts -> {
            if (ts.scope != null && ts.scope.task == task) {
              found[0] = ts.thread;
            }
          });
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    return found[0];
  }

  /** Keeps what the SDK ends. */
}
