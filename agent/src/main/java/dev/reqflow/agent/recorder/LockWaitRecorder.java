package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.SpanType;
import dev.reqflow.contract.TraceContract.ThreadRole;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits of a flow's threads for locks: acquiring a {@code java.util.concurrent} lock or semaphore
 * that another thread holds (advice on its synchronizer, any thread), a virtual thread blocked
 * entering a monitor (advice on {@code VirtualThread}, JDK 24+, where it unmounts and JDK Flight
 * Recorder reports nothing), and waits that JDK Flight Recorder reported after the fact ({@link
 * LateWait}).
 */
final class LockWaitRecorder {
  /** Classes and methods known to be (or not be) {@code synchronized}, at most this many. */
  private static final int SYNCHRONIZED_CACHE = 1024;

  private final SpanWriter spans;
  private final long thresholdNanos;
  private final Map<String, Boolean> synchronizedMethods =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > SYNCHRONIZED_CACHE;
        }
      };

  LockWaitRecorder(SpanWriter spans, long thresholdNanos) {
    this.spans = spans;
    this.thresholdNanos = thresholdNanos;
  }

  // --- the contended acquisition of a java.util.concurrent synchronizer ---

  long acquireEnter(Object blocker) {
    ThreadState ts = ThreadState.peek();
    // Inside a recorded call the lock is the client's own (its connection pool's): the call
    // already covers that time. Inside a recorded wait, it is that wait's.
    if (ts == null
        || ts.flow == null
        || ts.blockDepth > 0
        || ts.callDepth > 0
        || LockClasses.lockOf(blocker) == null) {
      return 0L;
    }
    ts.blockDepth++;
    long now = spans.nanoTime();
    return now == 0L ? 1L : now;
  }

  void acquireExit(long startNanos, Object blocker) {
    ThreadState ts = ThreadState.current();
    ts.blockDepth = Math.max(0, ts.blockDepth - 1);
    long end = spans.nanoTime();
    if (ts.flow == null || end - startNanos < thresholdNanos) {
      return;
    }
    CodeSite site = CallSites.find();
    if (site == null || !CallSites.takenByApplication()) {
      // A library's own lock (an HTTP client's connection pool, taken on a thread that runs a
      // flow's async call or callback): its time is the call's, not a wait of the application.
      return;
    }
    SpanBuilder b =
        spans
            .span(
                "block " + BlockKind.LOCK_PARK,
                SpanKind.INTERNAL,
                ts.parent,
                startNanos,
                SpanType.BLOCK)
            .setAttribute(Attr.BLOCK_KIND, BlockKind.LOCK_PARK)
            .setAttribute(Attr.LOCK_CLASS, LockClasses.lockOf(blocker))
            .setAttribute(Attr.THREAD_ROLE, ts.role());
    SpanWriter.site(b, site);
    spans.end(b.startSpan(), end);
  }

  // --- a virtual thread blocked on monitor enter (JDK 24+) ---

  /** A virtual thread yielded its carrier; called on the carrier. */
  void virtualThreadYielded(Thread vt) {
    if (vt.getState() != Thread.State.BLOCKED) {
      return;
    }
    ThreadState ts = VirtualThreads.inFlow(vt);
    if (ts != null && ts.flow != null) {
      long now = spans.nanoTime();
      ts.monitorBlockedAt = now == 0L ? 1L : now;
    }
  }

  /**
   * The monitor a virtual thread waited for is its now; called on the JDK's unblocker thread while
   * the virtual thread is still unmounted, so that its stack shows where it waited.
   */
  void virtualThreadUnblocked(Thread vt) {
    ThreadState ts = VirtualThreads.inFlow(vt);
    if (ts == null) {
      return;
    }
    long start = ts.monitorBlockedAt;
    if (start == 0L) {
      return;
    }
    ts.monitorBlockedAt = 0L;
    long end = spans.nanoTime();
    // Inside a recorded call the monitor is the client's own: the call already covers that time.
    if (ts.flow == null || ts.callDepth > 0 || ts.blockDepth > 0 || end - start < thresholdNanos) {
      return;
    }
    StackTraceElement[] stack = vt.getStackTrace();
    List<String> classes = new ArrayList<>(stack.length);
    for (StackTraceElement e : stack) {
      classes.add(e.getClassName());
    }
    int app = CallSites.firstApplicationFrame(classes);
    if (app < 0 || !CallSites.takenByApplication(classes)) {
      // A library's own monitor (see acquireExit).
      return;
    }
    SpanBuilder b =
        spans
            .span(
                "block " + BlockKind.MONITOR_ENTER,
                SpanKind.INTERNAL,
                ts.parent,
                start,
                SpanType.BLOCK,
                vt.getId(),
                vt.getName())
            .setAttribute(Attr.BLOCK_KIND, BlockKind.MONITOR_ENTER)
            .setAttribute(Attr.THREAD_ROLE, ts.role != null ? ts.role : ThreadRole.OTHER);
    String lock = synchronizedMethodClass(stack[0], vt.getContextClassLoader());
    if (lock != null) {
      b.setAttribute(Attr.LOCK_CLASS, lock);
    }
    StackTraceElement f = stack[app];
    SpanWriter.site(
        b, f.getClassName() + "." + f.getMethodName(), f.getFileName(), f.getLineNumber());
    spans.end(b.startSpan(), end);
  }

  /**
   * The class whose monitor a thread blocked at {@code top} waits for, when that frame is a {@code
   * synchronized} method (the lock is then its object, or its class for a static method); null for
   * a {@code synchronized} block, whose object the stack does not tell.
   */
  private String synchronizedMethodClass(StackTraceElement top, ClassLoader loader) {
    String key = top.getClassName() + "#" + top.getMethodName();
    Boolean known;
    synchronized (synchronizedMethods) {
      known = synchronizedMethods.get(key);
    }
    if (known == null) {
      known = allSynchronized(top.getClassName(), top.getMethodName(), loader);
      synchronized (synchronizedMethods) {
        synchronizedMethods.put(key, known);
      }
    }
    return known ? top.getClassName() : null;
  }

  private static boolean allSynchronized(String className, String method, ClassLoader loader) {
    Class<?> c;
    try {
      c = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError | SecurityException e) {
      try {
        c = Class.forName(className, false, ClassLoader.getSystemClassLoader());
      } catch (ClassNotFoundException | LinkageError | SecurityException e2) {
        return false;
      }
    }
    boolean found = false;
    for (Method m : c.getDeclaredMethods()) {
      if (m.getName().equals(method)) {
        if (!Modifier.isSynchronized(m.getModifiers())) {
          return false;
        }
        found = true;
      }
    }
    return found;
  }

  // --- reported after the fact ---

  /** A block span for a wait learnt after the fact, below the flow context it was attributed to. */
  void late(LateWait w) {
    SpanBuilder b =
        spans
            .span(
                "block " + w.kind,
                SpanKind.INTERNAL,
                w.parent,
                w.startNanos,
                SpanType.BLOCK,
                w.threadId,
                w.threadName == null ? "" : w.threadName)
            .setAttribute(Attr.BLOCK_KIND, w.kind)
            .setAttribute(Attr.THREAD_ROLE, w.role == null ? ThreadRole.OTHER : w.role);
    if (w.lockClass != null) {
      b.setAttribute(Attr.LOCK_CLASS, w.lockClass);
    }
    if (w.function != null) {
      SpanWriter.site(b, w.function, w.file, w.line);
    }
    if (w.heldBy != null) {
      b.addLink(w.heldBy, SpanWriter.WAITED_ON);
    }
    spans.end(b.startSpan(), w.endNanos);
  }
}
