package dev.reqflow.analysis;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CallMode;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.ExecutorState;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Pool;
import dev.reqflow.flow.Stall;
import dev.reqflow.flow.ThreadNow;
import dev.reqflow.flow.ThreadRef;
import dev.reqflow.flow.ThreadRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flows in progress as the agent's snapshots make them, built by hand: the two deadlocks the
 * reports name (a pool whose tasks wait on tasks queued behind them; a JDK HttpClient's executor
 * blocked in its own calls), and their near misses.
 *
 * <pre>
 * render  |0 ==wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww| 12 s, the snapshot at exit
 * pool-1  |   ...wait at Page.section(Page.java:202) on a task queued in pool  (or in send(), a call)
 * pool-2  |   ...wait at Page.section(Page.java:202) on a task queued in pool
 * </pre>
 */
public final class StalledFlowsFixture {
  public static final long T0 = 1_700_000_000_000_000_000L;
  public static final long MS = 1_000_000L;
  public static final String POOL = "ThreadPoolExecutor@5e9f23b4";

  private StalledFlowsFixture() {}

  private static final ThreadRef RENDER = new ThreadRef(1, "page-request-1", ThreadRole.RENDER);

  private static ThreadRef worker(int n) {
    return new ThreadRef(10 + n, "pool-2-thread-" + n, ThreadRole.EXECUTOR);
  }

  /** Builds one flow in progress, its threads and calls added in order. */
  public static final class Builder {
    private final Flow.Builder flow;
    private final long endMs;
    private final List<ThreadNow> threads = new ArrayList<>();
    private final Set<String> inProgress = new LinkedHashSet<>();
    private final Map<String, String> executors = new HashMap<>();
    private String reason = Stall.REASON_EXIT;
    private int blocks;

    public Builder(String traceId, String name, long endMs) {
      this.endMs = endMs;
      this.flow =
          Flow.builder(traceId, "f1")
              .name(name)
              .service("shop")
              .time(T0, T0 + endMs * MS)
              .renderThread(RENDER)
              .waitsRecorded(true);
    }

    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    /** A call in progress from {@code fromMs}, on the thread of worker {@code n} (0: render). */
    public Builder callInProgress(String id, int n, long fromMs, String executor) {
      flow.addCall(newCall(id, n == 0 ? RENDER : worker(n), fromMs, endMs));
      inProgress.add(id);
      if (executor != null) {
        executors.put(id, executor);
      }
      return this;
    }

    /** A call that ended. */
    public Builder call(String id, long fromMs, long toMs) {
      flow.addCall(newCall(id, RENDER, fromMs, toMs));
      return this;
    }

    /** The render thread waits from {@code fromMs} on a task running on worker 1. */
    public Builder renderWaitsOnTask(long fromMs) {
      return wait(
          RENDER, "future.get", fromMs, List.of(), "running", "", "pool-2-thread-1", null, 192);
    }

    /** Worker {@code n} waits on a task queued in {@code taskExecutor}. */
    public Builder workerWaitsOnQueuedTask(
        int n, long fromMs, String taskExecutor, ExecutorState executor) {
      return wait(
          worker(n), "future.get", fromMs, List.of(), "queued", taskExecutor, "", executor, 202);
    }

    /** Worker {@code n} waits in {@code send()} on call {@code callId}. */
    public Builder workerWaitsOnCall(int n, long fromMs, String callId, ExecutorState executor) {
      return wait(worker(n), "httpclient.send", fromMs, List.of(callId), "", "", "", executor, 155);
    }

    /** Worker {@code n} runs (no recorded wait). */
    public Builder workerRunning(int n) {
      threads.add(
          new ThreadNow(
              worker(n),
              ThreadNow.THREAD_STATE,
              "RUNNABLE",
              T0 + endMs * MS,
              new CodeLocation("app.Dao.find", "Dao.java", 40),
              "sun.nio.ch.SocketDispatcher.read0",
              List.of(),
              "",
              "",
              "",
              ExecutorState.NONE,
              ""));
      return this;
    }

    private Builder wait(
        ThreadRef t,
        String kind,
        long fromMs,
        List<String> calls,
        String taskState,
        String taskExecutor,
        String taskThread,
        ExecutorState executor,
        int line) {
      String id = "b" + (++blocks);
      CodeLocation site =
          new CodeLocation(t == RENDER ? "app.Page.render" : "app.Page.section", "Page.java", line);
      flow.addBlock(new Block(id, t, kind, T0 + fromMs * MS, T0 + endMs * MS, site, calls));
      threads.add(
          new ThreadNow(
              t,
              kind,
              "",
              T0 + fromMs * MS,
              site,
              "jdk.internal.misc.Unsafe.park",
              calls,
              taskState,
              taskExecutor,
              taskThread,
              executor == null ? ExecutorState.NONE : executor,
              id));
      return this;
    }

    public Flow build() {
      return flow.stall(new Stall(1, reason, 1_000 * MS, 0, threads, inProgress, executors))
          .build();
    }
  }

  private static Call newCall(String id, ThreadRef t, long fromMs, long toMs) {
    return new Call(
        id,
        "GET",
        "http://127.0.0.1:8081/" + id,
        "127.0.0.1",
        8081,
        0,
        "",
        "jdk-httpclient",
        CallMode.SYNC,
        T0 + fromMs * MS,
        T0 + toMs * MS,
        List.of(),
        ConnectionReuse.UNKNOWN,
        Pool.NONE,
        new CodeLocation("app.Page.section", "Page.java", 198),
        t,
        List.of());
  }

  /** A pool of 2 whose both tasks wait on the children they queued in it. */
  public static Flow nestedPool(String traceId) {
    ExecutorState full = new ExecutorState(POOL, 2, 2, 2);
    return new Builder(traceId, "GET /nested", 12_000)
        .call("u1", 10, 60)
        .call("u2", 10, 62)
        .renderWaitsOnTask(5)
        .workerWaitsOnQueuedTask(1, 70, POOL, full)
        .workerWaitsOnQueuedTask(2, 72, POOL, full)
        .build();
  }

  /** A JDK HttpClient on a pool of 2, both threads in send() on its own calls. */
  public static Flow clientExecutor(String traceId) {
    ExecutorState full = new ExecutorState(POOL, 2, 2, 4);
    return new Builder(traceId, "GET /client", 12_000)
        .call("a0", 5, 120)
        .call("a1", 5, 125)
        .callInProgress("d0", 1, 130, POOL)
        .callInProgress("d1", 2, 131, POOL)
        .renderWaitsOnTask(5)
        .workerWaitsOnCall(1, 130, "d0", full)
        .workerWaitsOnCall(2, 131, "d1", full)
        .build();
  }
}
