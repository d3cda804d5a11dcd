package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lock waits driven through the recorder's hooks as the advice calls them, with the JDK's real
 * blockers (the forked tests drive them through the real {@code LockSupport}); and the hand-off log
 * that JDK Flight Recorder's late waits are placed with.
 */
class LockWaitRecorderTest {
  private final List<SpanData> spans = new CopyOnWriteArrayList<>();
  private SdkTracerProvider provider;
  private Recorder recorder;

  @BeforeEach
  void start() {
    provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(spans)))
            .build();
    recorder =
        new Recorder(
            provider.get("test"), 1_000_000L, true, List.of(), Set.of(), Set.of(), (h, c) -> h);
  }

  @AfterEach
  void stop() {
    WorkLog.activate(null);
    provider.close();
  }

  private static String attr(SpanData s, String key) {
    Object v = s.getAttributes().get(AttributeKey.stringKey(key));
    return v == null ? null : String.valueOf(v);
  }

  private List<SpanData> blocks() {
    List<SpanData> out = new ArrayList<>();
    for (SpanData s : spans) {
      if ("block".equals(attr(s, "reqflow.span.type"))) {
        out.add(s);
      }
    }
    return out;
  }

  /** What a thread parked in {@code acquire} parks on: the JDK's own blocker object. */
  private static Object blockerOf(Runnable acquire) throws InterruptedException {
    Thread t = new Thread(acquire, "parked");
    t.setDaemon(true);
    t.start();
    Object blocker = null;
    for (int i = 0; i < 10_000 && blocker == null; i++) {
      blocker = LockSupport.getBlocker(t);
      if (blocker == null) {
        Thread.sleep(1);
      }
    }
    assertThat(blocker).as("blocker of the parked thread").isNotNull();
    return blocker;
  }

  @Test
  void aContendedSemaphoreInsideAFlowIsAWaitForIt() throws Exception {
    Semaphore none = new Semaphore(0);
    Object blocker = blockerOf(none::acquireUninterruptibly);
    Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);

    long start = recorder.lockAcquireEnter(blocker);
    Thread.sleep(5);
    recorder.lockAcquireExit(start, blocker);
    recorder.flowExit(flow, 200, null);
    none.release();

    List<SpanData> blocks = blocks();
    assertThat(blocks).hasSize(1);
    SpanData b = blocks.get(0);
    assertThat(attr(b, "reqflow.block.kind")).isEqualTo("lock.park");
    assertThat(attr(b, "reqflow.lock.class")).isEqualTo("java.util.concurrent.Semaphore");
    assertThat(attr(b, "reqflow.thread.role")).isEqualTo("render");
    // The waiting line: the first frame outside the JDK and the agent (here, the test runner's).
    assertThat(attr(b, "code.function.name")).isNotNull().doesNotStartWith("java.");
    assertThat(b.getEndEpochNanos() - b.getStartEpochNanos()).isGreaterThanOrEqualTo(5_000_000L);
  }

  @Test
  void latchesAndWaitsOutsideFlowsAreNotLockWaits() throws Exception {
    ReentrantLock lock = new ReentrantLock();
    lock.lock();
    Object lockBlocker = blockerOf(lock::lock);
    CountDownLatch latch = new CountDownLatch(1);
    Object latchBlocker =
        blockerOf(
            () -> {
              try {
                latch.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });

    // Outside any flow: nothing, not even a look at the blocker.
    assertThat(recorder.lockAcquireEnter(lockBlocker)).isZero();
    Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);
    // A latch is a wait for other work, not a lock.
    assertThat(recorder.lockAcquireEnter(latchBlocker)).isZero();
    long start = recorder.lockAcquireEnter(lockBlocker);
    assertThat(start).isNotZero();
    // Shorter than block.threshold: not recorded.
    recorder.lockAcquireExit(start, lockBlocker);
    recorder.flowExit(flow, 200, null);
    lock.unlock();
    latch.countDown();

    assertThat(blocks()).isEmpty();
    assertThat(LockClasses.lockOf(lockBlocker))
        .isEqualTo("java.util.concurrent.locks.ReentrantLock");
  }

  /** The log's records, as a reader gets them. */
  private static final class Records implements WorkLog.Reader {
    final List<String> seen = new ArrayList<>();
    long lost;

    @Override
    public void work(long threadId, long nanoTime, Context parent, String role) {
      seen.add(threadId + (parent == null ? " none" : " " + role));
    }

    @Override
    public void call(long threadId, long nanoTime, SpanContext call) {
      seen.add(threadId + (call == null ? " left call" : " call"));
    }

    @Override
    public void lost(long records) {
      lost += records;
    }
  }

  @Test
  void theLogSaysWhichFlowAThreadWorkedForAndWhen() throws Exception {
    int[] firstFlows = new int[1];
    WorkLog log = new WorkLog(64, () -> firstFlows[0]++);
    WorkLog.activate(log);
    long me = Thread.currentThread().getId();

    Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);
    Object call = recorder.callEnter(null, "okhttp", true, "GET", "http://h/x", "h", 80);
    recorder.callIssued(call, null, null);
    Object[] task = new Object[1];
    Thread worker =
        new Thread(
            () -> {
              Object token = recorder.taskEnter(recorder.capture(null));
              task[0] = Thread.currentThread().getId();
              recorder.taskExit(token);
            });
    Object captured = recorder.capture(null);
    recorder.flowExit(flow, 200, null);
    Thread other =
        new Thread(
            () -> {
              Object token = recorder.taskEnter(captured);
              task[0] = Thread.currentThread().getId();
              recorder.taskExit(token);
            });
    other.start();
    other.join();

    Records r = new Records();
    log.drain(r);
    long t = (Long) task[0];
    assertThat(r.seen)
        .containsExactly(
            me + " render",
            me + " call",
            me + " left call",
            me + " none",
            t + " executor",
            t + " none");
    assertThat(r.lost).isZero();
    assertThat(firstFlows[0]).isEqualTo(1);
    assertThat(worker.isAlive()).isFalse();
  }

  @Test
  void aReaderThatFallsBehindIsToldWhatItLost() {
    WorkLog log = new WorkLog(8, () -> {});
    WorkLog.activate(log);
    for (int i = 0; i < 10; i++) {
      Object flow = recorder.flowEnter("GET /page", "GET", "/page", null);
      recorder.flowExit(flow, 200, null);
    }

    Records r = new Records();
    log.drain(r);

    assertThat(r.lost).isEqualTo(12);
    assertThat(r.seen).hasSize(8);
    assertThat(r.seen.get(7)).endsWith(" none");
    log.drain(r);
    assertThat(r.seen).hasSize(8);
  }
}
