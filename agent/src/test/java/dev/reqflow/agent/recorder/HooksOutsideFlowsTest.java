package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A thread that never worked for a flow allocates nothing in the hooks, even while flows are in
 * flight elsewhere (so that every hook goes past its first check and looks the thread and its
 * objects up): a short-lived thread's first allocation would take it a buffer of eden it leaves
 * unused ({@link StatefulThreads}).
 */
class HooksOutsideFlowsTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final List<SpanData> spans = new CopyOnWriteArrayList<>();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(new CollectingExporter(spans)))
          .build();

  @Test
  void aFreshThreadOutsideFlowsAllocatesNothingInTheHooksWhileFlowsAreInFlight() throws Exception {
    Recorder r =
        new Recorder(provider.get("test"), 0L, true, List.of(), Set.of(), Set.of(), (h, c) -> h);
    // A flow in flight with an asynchronous call, and a future its callback completed: the tables
    // of followed futures are not empty.
    Object flow = r.flowEnter("GET /busy", "GET", "/busy", null);
    CompletableFuture<String> response = new CompletableFuture<>();
    Object call = r.callEnter(null, "jdk", false, "GET", "http://127.0.0.1:1/x", "127.0.0.1", 1);
    r.callIssued(call, response, null);
    Object callback = r.callbackEnter(call);
    r.futureCompleted(new CompletableFuture<>());
    r.callbackExit(callback);
    try {
      // Once on a thread of its own first: classes initialised, call sites linked.
      assertThat(hooksOnAFreshThread(r)).isGreaterThanOrEqualTo(0);
      assertThat(hooksOnAFreshThread(r)).as("bytes allocated in the hooks").isZero();
    } finally {
      r.callEnd(call, null);
      r.flowExit(flow, 200, null);
    }
    assertThat(ThreadState.current().flow).isNull();
  }

  /** Bytes the hooks allocated on a thread started for them, beyond an empty measurement. */
  private static long hooksOnAFreshThread(Recorder r) throws InterruptedException {
    Object future = new CompletableFuture<>();
    Object task = new Object();
    Object executor = new Object();
    AtomicLong bytes = new AtomicLong(-1);
    AtomicReference<Object> escaped = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              long a = THREADS.getCurrentThreadAllocatedBytes();
              long b = THREADS.getCurrentThreadAllocatedBytes();
              Object token = r.completionEnter(future, null);
              r.futureCompleted(future);
              Object run = r.taskEnter(task);
              r.taskCreated(task);
              r.taskSubmitted(task, executor);
              Object captured = r.capture(executor);
              long block = r.blockEnter(future);
              long socket = r.socketEnter(null);
              long lock = r.lockAcquireEnter(task);
              long read = r.bodyReadEnter(task);
              Object outside = r.callEnter(null, "jdk", true, "GET", "http://h/x", "h", 80);
              long c = THREADS.getCurrentThreadAllocatedBytes();
              escaped.set(
                  new Object[] {token, run, captured, outside, block + socket + lock + read});
              bytes.set((c - b) - (b - a));
            },
            "fresh-outside-flows");
    t.start();
    t.join();
    Object[] results = (Object[]) escaped.get();
    assertThat(results).containsExactly(null, null, null, null, 0L);
    return bytes.get();
  }
}
