package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.SnapshotReason;
import dev.reqflow.contract.TraceContract.SpanType;
import dev.reqflow.contract.TraceContract.TaskState;
import dev.reqflow.contract.TraceContract.ThreadRole;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes snapshots of flows that have not ended: the flow span and its calls in progress as they
 * are now (under their own span ids, ended at the snapshot), and for each thread of the flow what
 * it waits on now, as spans marked in progress (see {@code TraceContract.Attr.IN_PROGRESS}). The
 * spans the flow ended before were exported as they ended: with them, the snapshot is the flow so
 * far.
 *
 * <p>Bounded: a snapshot holds at most {@link #MAX_SPANS} spans (the calls and waits past it are
 * counted on its flow span and in the exit line); a flow gets a new stalled snapshot only when what
 * it holds changed, and at most at each doubling of its age ({@code stall.after}, twice that, four
 * times...), then one at exit. Runs on the watchdog and the exit hook only, one at a time.
 */
final class Snapshots {
  /** Spans in one snapshot at most, the flow span included. */
  static final int MAX_SPANS = 128;

  private static final AttributeKey<Boolean> IN_PROGRESS =
      AttributeKey.booleanKey(Attr.IN_PROGRESS);
  private static final AttributeKey<Long> SEQ = AttributeKey.longKey(Attr.SNAPSHOT_SEQ);

  private final SpanWriter spans;
  private final Followed followed;
  private final long stallAfterNanos;
  private final Consumer<ReadableSpan> openSpans;

  private final AtomicLong flowsWritten = new AtomicLong();
  private final AtomicLong stalledFlows = new AtomicLong();
  private final AtomicLong leftOut = new AtomicLong();
  private final AtomicLong flowsLeftOut = new AtomicLong();

  /**
   * @param openSpans where the views of spans in progress go: the span processor that counts and
   *     exports ended spans
   */
  Snapshots(
      SpanWriter spans, Followed followed, long stallAfterNanos, Consumer<ReadableSpan> openSpans) {
    this.spans = spans;
    this.followed = followed;
    this.stallAfterNanos = stallAfterNanos;
    this.openSpans = openSpans;
  }

  /**
   * A stalled snapshot of {@code flow} (open for {@code stall.after} at least) if one is due: the
   * first, or a changed one once its age doubled since the last.
   */
  synchronized void stalled(FlowRecord flow, List<ThreadState> threads, long now) {
    long age = now - flow.startNanos;
    if (age < stallAfterNanos || age < flow.nextSnapshotAgeNanos || flow.ended.get()) {
      return;
    }
    flow.nextSnapshotAgeNanos = 2 * age;
    long signature = signature(flow, threads);
    if (flow.snapshots > 0 && signature == flow.lastSnapshotSignature) {
      return;
    }
    if (write(flow, threads, now, SnapshotReason.STALLED)) {
      flow.lastSnapshotSignature = signature;
    }
  }

  /** The snapshot of a flow still open as the process stops, whatever its age. */
  synchronized void atExit(FlowRecord flow, List<ThreadState> threads, long now) {
    if (!flow.ended.get()) {
      write(flow, threads, now, SnapshotReason.EXIT);
    }
  }

  /** A flow open at exit that the exit's limit left without a snapshot. */
  void leftOutAtExit(int flows) {
    flowsLeftOut.addAndGet(flows);
  }

  /** Distinct flows written as snapshots. */
  long flowsWritten() {
    return flowsWritten.get();
  }

  /** Distinct flows written as snapshots that had been open for {@code stall.after}. */
  long stalledFlows() {
    return stalledFlows.get();
  }

  /** Calls and waits in progress left out of snapshots past their size limit. */
  long spansLeftOut() {
    return leftOut.get();
  }

  /** Flows open at exit written as no snapshot, past the exit's limit. */
  long flowsLeftOut() {
    return flowsLeftOut.get();
  }

  /**
   * What a snapshot of the flow would hold, in one number: its calls in progress, and each thread's
   * wait (or state) and its start.
   */
  private static long signature(FlowRecord flow, List<ThreadState> threads) {
    long h = 17;
    for (CallRecord c : flow.openCalls()) {
      h = 31 * h + System.identityHashCode(c);
    }
    for (ThreadState ts : threads) {
      h = 31 * h + ts.thread.getId();
      h = 31 * h + ts.waitingSince();
      h = 31 * h + ts.thread.getState().ordinal();
    }
    return h;
  }

  private boolean write(FlowRecord flow, List<ThreadState> threads, long now, String reason) {
    io.opentelemetry.api.trace.Span flowSpan = flow.span;
    long end = spans.epoch(now);
    int seq = flow.snapshots + 1;
    Attributes mark = Attributes.of(IN_PROGRESS, true, SEQ, (long) seq);
    List<CallRecord> calls = flow.openCalls();
    int budget = MAX_SPANS - 1;
    int left = flow.openCallsNotKept();
    int callsShown = Math.min(calls.size(), budget);
    left += calls.size() - callsShown;
    budget -= callsShown;
    int threadsShown = Math.min(threads.size(), budget);
    left += threads.size() - threadsShown;
    boolean stalled = stallAfterNanos > 0 && now - flow.startNanos >= stallAfterNanos;
    io.opentelemetry.api.common.AttributesBuilder flowMark =
        mark.toBuilder()
            .put(Attr.SNAPSHOT_REASON, reason)
            .put(Attr.STALL_AFTER_NANOS, stallAfterNanos);
    if (left > 0) {
      flowMark.put(Attr.SNAPSHOT_LEFT_OUT, (long) left);
    }
    ReadableSpan view = OpenSpans.view(flowSpan, end, flowMark.build());
    if (view == null || flow.ended.get()) {
      return false;
    }
    flow.snapshots = seq;
    if (seq == 1) {
      flowsWritten.incrementAndGet();
    }
    if (stalled && !flow.countedStalled) {
      flow.countedStalled = true;
      stalledFlows.incrementAndGet();
    }
    leftOut.addAndGet(left);
    openSpans.accept(view);
    for (int i = 0; i < callsShown; i++) {
      ReadableSpan call = OpenSpans.view(calls.get(i).span, end, mark);
      if (call != null) {
        openSpans.accept(call);
      }
    }
    for (int i = 0; i < threadsShown; i++) {
      thread(flow, threads.get(i), now, seq);
    }
    if (flow.detached() && !flow.waitWritten.get() && budget > threadsShown) {
      responseWait(flow, now, seq);
    }
    return true;
  }

  /** What one thread of the flow waits on now, or what it is doing when in no recorded wait. */
  private void thread(FlowRecord flow, ThreadState ts, long now, int seq) {
    Thread t = ts.thread;
    long since = ts.waitingSince();
    Object on = since == 0L ? null : ts.on();
    StackTraceElement[] stack = t.getStackTrace();
    if (stack.length == 0) {
      return; // ended meanwhile
    }
    StackTraceElement line = CallSites.find(stack);
    Thread.State state = t.getState();
    if (on == null
        && line == null
        && (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)) {
      // Idle in a library's own loop (a client's task runner handed the flow's context): no line
      // of the application, nothing the flow waits on.
      return;
    }
    // Below the flow itself: a section the thread is in has not ended, and is not in the snapshot.
    Context parent = flow.context;
    SpanBuilder b;
    if (on != null) {
      String kind = WaitKinds.of(on, stack);
      // A wait begun after the snapshot's time (read before this thread's) starts at it.
      b =
          spans
              .span(
                  "block " + kind,
                  SpanKind.INTERNAL,
                  parent,
                  Math.min(since, now),
                  SpanType.BLOCK,
                  t)
              .setAttribute(Attr.BLOCK_KIND, kind);
      awaited(b, on);
    } else {
      b =
          spans
              .span("thread " + state, SpanKind.INTERNAL, parent, now, SpanType.BLOCK, t)
              .setAttribute(Attr.BLOCK_KIND, BlockKind.THREAD_STATE)
              .setAttribute(Attr.THREAD_STATE, state.name());
    }
    b.setAttribute(Attr.THREAD_ROLE, role(flow, ts))
        .setAttribute(Attr.IN_PROGRESS, true)
        .setAttribute(Attr.SNAPSHOT_SEQ, (long) seq)
        .setAttribute(Attr.THREAD_FRAME, stack[0].getClassName() + "." + stack[0].getMethodName());
    SpanWriter.site(b, line);
    TaskScope scope = ts.scope;
    if (scope != null && scope.captured.executor != null) {
      executor(b, scope.captured.executor);
    }
    spans.end(b.startSpan(), now);
  }

  /** What a wait is on: the calls that will release it, the task it waits for. */
  private void awaited(SpanBuilder b, Object on) {
    CallRecord[] calls =
        on instanceof CallRecord
            ? new CallRecord[] {(CallRecord) on}
            : followed.futureCalls.get(on);
    if (calls != null) {
      spans.addLinks(b, calls, SpanWriter.WAITED_ON);
    }
    if (on instanceof CallRecord) {
      return;
    }
    Captured queued = followed.pendingTasks.get(on);
    if (queued != null && queued.executor != null) {
      b.setAttribute(Attr.WAIT_TASK_STATE, TaskState.QUEUED)
          .setAttribute(Attr.WAIT_TASK_EXECUTOR, CallRecorder.poolName(queued.executor));
      return;
    }
    Thread running = runningTask(on);
    if (running != null) {
      b.setAttribute(Attr.WAIT_TASK_STATE, TaskState.RUNNING)
          .setAttribute(Attr.WAIT_TASK_THREAD, running.getName());
    }
  }

  /** The thread running {@code task} now, or null. */
  private static Thread runningTask(Object task) {
    Thread[] found = new Thread[1];
    ThreadState.ALL.forEachKey(
        ts -> {
          TaskScope s = ts.scope;
          if (found[0] == null && s != null && s.task == task) {
            found[0] = ts.thread;
          }
        });
    return found[0];
  }

  /** The executor whose worker the waiting thread is, with how busy it is now. */
  private static void executor(SpanBuilder b, Object executor) {
    b.setAttribute(Attr.THREAD_EXECUTOR, CallRecorder.poolName(executor));
    if (executor instanceof ThreadPoolExecutor) {
      ThreadPoolExecutor p = (ThreadPoolExecutor) executor;
      b.setAttribute(Attr.THREAD_EXECUTOR_LIMIT, (long) p.getMaximumPoolSize())
          .setAttribute(Attr.THREAD_EXECUTOR_ACTIVE, (long) p.getActiveCount())
          .setAttribute(Attr.THREAD_EXECUTOR_QUEUED, (long) p.getQueue().size());
    } else if (executor instanceof ForkJoinPool) {
      ForkJoinPool p = (ForkJoinPool) executor;
      b.setAttribute(Attr.THREAD_EXECUTOR_LIMIT, (long) p.getParallelism())
          .setAttribute(Attr.THREAD_EXECUTOR_ACTIVE, (long) p.getActiveThreadCount())
          .setAttribute(
              Attr.THREAD_EXECUTOR_QUEUED, p.getQueuedSubmissionCount() + p.getQueuedTaskCount());
    }
  }

  /** A thread's role, from outside it: as it computed it, else from what it carries. */
  private static String role(FlowRecord flow, ThreadState ts) {
    String r = ts.role;
    if (r != null) {
      return r;
    }
    if (ts.thread == flow.renderThread && ts.scope == null && ts.cause == null) {
      return ThreadRole.RENDER;
    }
    if (ts.cause != null) {
      return ThreadRole.CLIENT_DISPATCHER;
    }
    return ts.scope != null ? ThreadRole.EXECUTOR : ThreadRole.OTHER;
  }

  /** The response of a flow whose render thread returned waits for its asynchronous result. */
  private void responseWait(FlowRecord flow, long now, int seq) {
    long start = flow.detachedNanos;
    if (start == 0L || start > now) {
      return;
    }
    SpanBuilder b =
        spans
            .span(
                "block " + BlockKind.ASYNC_RESPONSE,
                SpanKind.INTERNAL,
                flow.context,
                start,
                SpanType.BLOCK,
                flow.renderThread)
            .setAttribute(Attr.BLOCK_KIND, BlockKind.ASYNC_RESPONSE)
            .setAttribute(Attr.THREAD_ROLE, ThreadRole.RENDER)
            .setAttribute(Attr.IN_PROGRESS, true)
            .setAttribute(Attr.SNAPSHOT_SEQ, (long) seq);
    spans.end(b.startSpan(), now);
  }
}
