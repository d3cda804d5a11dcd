package dev.reqflow.agent.recorder;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Work of a flow handed from thread to thread: tasks given to executors, dependent actions of
 * futures, completions of futures, clients' callbacks. Each hand-off carries the flow and what the
 * work follows (the calls that released it), so that waits and calls on the other thread land in
 * the right flow with the right links.
 */
final class HandoffRecorder {
  private final SpanWriter spans;
  private final Followed followed;
  private final CallRecorder calls;
  private final UnseenRecorder unseen;

  HandoffRecorder(SpanWriter spans, Followed followed, CallRecorder calls, UnseenRecorder unseen) {
    this.spans = spans;
    this.followed = followed;
    this.calls = calls;
    this.unseen = unseen;
  }

  // --- futures ---

  void futureCompleted(Object future) {
    if (followed.inFlight.get() == 0) {
      return;
    }
    calls.futureCompleted(future);
    ThreadState ts = ThreadState.peek();
    unseen.completed(future, ts);
    if (ts == null) {
      return;
    }
    CallRecord[] cause = ts.cause;
    TaskScope scope = ts.scope;
    boolean fromScope = scope != null && !scope.calls.isEmpty();
    // A thread that waited on a call before completing this future (a callback that blocks)
    // was held up by that call too.
    CallRecord[] waited = ts.flow == null ? null : ts.lastWaited;
    if (cause == null && !fromScope && waited == null) {
      return;
    }
    CallRecord[] tags =
        CallSets.union(CallSets.union(followed.futureCalls.get(future), cause), waited);
    if (fromScope) {
      tags = CallSets.union(tags, scope.calls.toArray(new CallRecord[0]));
    }
    followed.futureCalls.put(future, tags);
  }

  Object completionEnter(Object src, Object snd) {
    if (followed.inFlight.get() == 0 || followed.futureCalls.isEmpty()) {
      return null;
    }
    CallRecord[] a = src == null ? null : followed.futureCalls.get(src);
    CallRecord[] b = snd == null ? null : followed.futureCalls.get(snd);
    if (a == null && b == null) {
      return null;
    }
    CallRecord[] tags = CallSets.union(a, b);
    ThreadState ts = ThreadState.current();
    ThreadState.Saved saved = ts.save();
    ts.cause = tags;
    if (ts.flow == null || ts.flow == tags[0].flow) {
      tags[0].flow.lastCause = tags;
    }
    if (ts.flow == null) {
      ts.flow = tags[0].flow;
      ts.parent = ts.flow.context;
      ts.role = null;
      ts.lastWaited = null;
      ts.callDepth = 0;
      ts.blockDepth = 0;
    }
    ts.workChanged();
    return saved;
  }

  // --- executors ---

  void taskCreated(Object task) {
    ThreadState ts = ThreadState.peek();
    if (ts == null || ts.flow == null) {
      return;
    }
    Captured c = new Captured(ts.flow, ts.parent, spans.nanoTime());
    c.issuing = ts.issuing;
    c.forCall = UnseenRecorder.workingForCall(ts);
    followed.pendingTasks.put(task, c);
  }

  void taskSubmitted(Object task, Object executor) {
    if (followed.pendingTasks.isEmpty()) {
      return;
    }
    Captured c = followed.pendingTasks.get(task);
    if (c != null) {
      c.submitNanos = spans.nanoTime();
      describe(c, executor);
    }
  }

  Object capture(Object executor) {
    ThreadState ts = ThreadState.peek();
    if (ts == null || ts.flow == null) {
      return null;
    }
    Captured c = new Captured(ts.flow, ts.parent, spans.nanoTime());
    c.issuing = ts.issuing;
    c.forCall = UnseenRecorder.workingForCall(ts);
    describe(c, executor);
    return c;
  }

  private static void describe(Captured c, Object executor) {
    if (executor instanceof ThreadPoolExecutor) {
      c.poolLimit = ((ThreadPoolExecutor) executor).getMaximumPoolSize();
    } else if (executor instanceof ForkJoinPool) {
      c.poolLimit = ((ForkJoinPool) executor).getParallelism();
    }
    if (executor != null) {
      c.executorName = executor.getClass().getSimpleName();
      c.executor = executor;
    }
  }

  Object taskEnter(Object task) {
    Captured c;
    if (task instanceof Captured) {
      c = (Captured) task;
    } else {
      c = followed.pendingTasks.isEmpty() ? null : followed.pendingTasks.remove(task);
    }
    if (c == null) {
      return null;
    }
    ThreadState ts = ThreadState.current();
    if (ts.scope != null && ts.flow == c.flow) {
      // A wrapped runnable inside a future task of the same flow: one task, one scope.
      return null;
    }
    ThreadState.Saved saved = ts.save();
    ts.reset(c.flow, c.parent);
    ts.scope = new TaskScope(c, spans.nanoTime(), poolName(c));
    ts.scope.task = task;
    ts.workChanged();
    return saved;
  }

  private static String poolName(Captured c) {
    String name = Thread.currentThread().getName();
    int end = name.length();
    while (end > 0 && (Character.isDigit(name.charAt(end - 1)) || name.charAt(end - 1) == '-')) {
      end--;
    }
    if (end > 0) {
      return name.substring(0, end);
    }
    if (c.executorName != null) {
      return c.executorName;
    }
    return Thread.currentThread().getClass().getName().equals("java.lang.VirtualThread")
        ? "virtual"
        : "executor";
  }

  // --- clients' callbacks ---

  Object callbackEnter(Object call) {
    CallRecord rec = (CallRecord) call;
    ThreadState ts = ThreadState.current();
    ThreadState.Saved saved = ts.save();
    ts.reset(rec.flow, rec.flow.context);
    ts.cause = new CallRecord[] {rec};
    rec.flow.lastCause = ts.cause;
    ts.workChanged();
    return saved;
  }

  /** Ends a hand-off begun by one of the {@code *Enter} methods above. */
  static void exit(Object token) {
    ThreadState.current().restore((ThreadState.Saved) token);
  }
}
