package dev.reqflow.agent.jfr;

import dev.reqflow.agent.recorder.CallSites;
import dev.reqflow.agent.recorder.LateWait;
import io.opentelemetry.api.trace.SpanContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Places a wait that JDK Flight Recorder reported after the fact: the flow its thread worked for
 * when the wait ended ({@link WorkHistory}), the waiting line (the first application frame, by the
 * rules of the call sites), and the call the lock's previous owner was making when it let go. Waits
 * of threads that worked for no flow are dropped at the first look-up.
 */
final class LateWaits {
  /** JDK Flight Recorder's clock and ours, aligned, agree within this. */
  static final long SLACK_NANOS = 2_000_000L;

  private final WorkHistory history;
  private final SourceFiles sources = new SourceFiles();

  final AtomicLong placed = new AtomicLong();
  final AtomicLong outsideFlows = new AtomicLong();
  final AtomicLong notTheApplications = new AtomicLong();
  final AtomicLong unknown = new AtomicLong();

  LateWaits(WorkHistory history) {
    this.history = history;
  }

  /**
   * The wait to record, or null when it is not a flow's (counted by reason).
   *
   * @param frames class names of the stack, top first; {@code methods} and {@code lines} alike
   * @param ownerThreadId the monitor's previous owner, or -1
   */
  LateWait place(
      long threadId,
      String threadName,
      long startNanos,
      long endNanos,
      String kind,
      String lockClass,
      long ownerThreadId,
      List<String> frames,
      List<String> methods,
      List<Integer> lines,
      boolean skipInCalls) {
    WorkHistory.State s = flowAt(threadId, startNanos, endNanos, skipInCalls);
    return s == null
        ? null
        : place(
            s,
            threadId,
            threadName,
            startNanos,
            endNanos,
            kind,
            lockClass,
            ownerThreadId,
            frames,
            methods,
            lines);
  }

  /**
   * What {@code threadId} worked for when its wait ended, if a flow and, with {@code skipInCalls},
   * outside a recorded call: the state to {@link #place} the wait with; null when the wait is not a
   * flow's (counted by reason). Asked before the event's stack is read: in a busy service most
   * waits are of threads outside flows, or of flows that sampling left out, and reading a stack
   * from JDK Flight Recorder's event allocates its frames.
   */
  WorkHistory.State flowAt(long threadId, long startNanos, long endNanos, boolean skipInCalls) {
    if (!history.knows(threadId)) {
      outsideFlows.incrementAndGet();
      return null;
    }
    WorkHistory.State s = history.at(threadId, endNanos);
    if (s.kind == WorkHistory.Kind.NONE) {
      outsideFlows.incrementAndGet();
      return null;
    }
    if (s.kind == WorkHistory.Kind.UNKNOWN) {
      unknown.incrementAndGet();
      return null;
    }
    long start = Math.max(startNanos, s.at);
    if (skipInCalls && history.inCall(threadId, start + SLACK_NANOS)) {
      // The client's own lock, inside a recorded call: the call's time already.
      notTheApplications.incrementAndGet();
      return null;
    }
    return s;
  }

  /** The wait of a flow's thread found by {@link #flowAt}, placed at its line; or null. */
  LateWait place(
      WorkHistory.State s,
      long threadId,
      String threadName,
      long startNanos,
      long endNanos,
      String kind,
      String lockClass,
      long ownerThreadId,
      List<String> frames,
      List<String> methods,
      List<Integer> lines) {
    long start = Math.max(startNanos, s.at);
    int app = CallSites.firstApplicationFrame(frames);
    if (app < 0 || !CallSites.takenByApplication(frames)) {
      // A library's own lock (an HTTP client's connection pool, taken on a thread that runs a
      // flow's async call or callback), or the agent's: not a wait of the application's.
      notTheApplications.incrementAndGet();
      return null;
    }
    LateWait w = new LateWait();
    w.parent = s.parent;
    w.role = s.role;
    w.kind = kind;
    w.lockClass = lockClass;
    w.threadId = threadId;
    w.threadName = threadName;
    w.startNanos = start;
    w.endNanos = Math.max(start, endNanos);
    String cls = frames.get(app);
    w.function = cls + "." + methods.get(app);
    w.file = sources.of(cls);
    w.line = lines.get(app);
    if (ownerThreadId >= 0) {
      SpanContext held = history.callEndedBetween(ownerThreadId, startNanos, endNanos, SLACK_NANOS);
      w.heldBy = held;
    }
    placed.incrementAndGet();
    return w;
  }
}
