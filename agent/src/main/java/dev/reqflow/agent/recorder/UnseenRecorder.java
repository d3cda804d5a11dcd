package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.SpanType;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.nio.channels.SelectableChannel;

/**
 * What a flow's threads waited on that the agent did not see as calls, so that the analysis never
 * gives an all-clear for a flow it was blind to:
 *
 * <ul>
 *   <li>blocking socket reads and connects on a flow's thread while none of that thread's recorded
 *       calls is open (a JDBC driver, a raw socket, a client the agent does not instrument); each
 *       one at least {@code block.threshold} long is also a block span of kind {@code socket.read}
 *       or {@code socket.connect} without {@code waited-on} links, up to {@link
 *       #SOCKET_SPANS_PER_FLOW} per flow;
 *   <li>waits on futures that no recorded call released and that a thread working for no flow
 *       completed: the I/O thread of a client that does its I/O off the caller's thread (Jetty's
 *       client, AsyncHttpClient). Their block spans name that thread.
 * </ul>
 *
 * Both are summed per flow onto the flow span ({@link FlowRecorder}). Outside every flow, a socket
 * operation costs one thread-local read.
 */
final class UnseenRecorder {
  /** Block spans a flow gets for its socket operations; the totals count them all. */
  static final int SOCKET_SPANS_PER_FLOW = 64;

  /** Value of {@link Followed#awaited} while no thread outside the flows completed the future. */
  static final Object NOT_COMPLETED_OUTSIDE = new Object();

  private final SpanWriter spans;
  private final Followed followed;
  private final long thresholdNanos;

  UnseenRecorder(SpanWriter spans, Followed followed, long thresholdNanos) {
    this.spans = spans;
    this.followed = followed;
    this.thresholdNanos = thresholdNanos;
  }

  // --- socket I/O ---

  long socketEnter(Object channel) {
    ThreadState ts = ThreadState.peek();
    if (ts == null || ts.flow == null || ts.inSocket) {
      return 0L;
    }
    if (channel instanceof SelectableChannel && !((SelectableChannel) channel).isBlocking()) {
      return 0L;
    }
    if (inRecordedCall(ts)) {
      return 0L;
    }
    ts.inSocket = true;
    long now = spans.nanoTime();
    return now == 0L ? 1L : now;
  }

  /**
   * True while the thread works on a call the agent records: issuing it, running the client's own
   * task or callback for it, or reading the response of a call it issued that has not ended.
   */
  static boolean inRecordedCall(ThreadState ts) {
    return workingForCall(ts) || ts.hasOpenCall();
  }

  /**
   * True while the thread does a client's own work for a recorded call: issuing it, running its
   * completion, or a task that such work handed over (see {@link Captured#forCall}).
   */
  static boolean workingForCall(ThreadState ts) {
    return ts.callDepth > 0
        || ts.issuing != null
        || ts.cause != null
        || (ts.scope != null && (ts.scope.captured.issuing != null || ts.scope.captured.forCall));
  }

  void socketExit(long startNanos, String kind) {
    ThreadState ts = ThreadState.current();
    ts.inSocket = false;
    FlowRecord flow = ts.flow;
    if (flow == null) {
      return;
    }
    long end = spans.nanoTime();
    long nanos = Math.max(0L, end - startNanos);
    flow.addUnseenSocket(nanos);
    if (nanos >= thresholdNanos && flow.takeSocketSpan(SOCKET_SPANS_PER_FLOW)) {
      SpanBuilder b =
          spans
              .span("block " + kind, SpanKind.INTERNAL, ts.parent, startNanos, SpanType.BLOCK)
              .setAttribute(Attr.BLOCK_KIND, kind)
              .setAttribute(Attr.THREAD_ROLE, ts.role());
      SpanWriter.site(b);
      spans.end(b.startSpan(), end);
    }
  }

  // --- waits released outside every flow ---

  /** A flow's thread starts waiting on {@code future}. */
  void awaiting(Object future) {
    followed.waitedFutures.put(future, NOT_COMPLETED_OUTSIDE);
  }

  /** {@code future} was completed on this thread: remembered if it works for no flow. */
  void completed(Object future, ThreadState ts) {
    if ((ts == null || ts.flow == null)
        && !followed.waitedFutures.isEmpty()
        && followed.waitedFutures.get(future) != null) {
      followed.waitedFutures.put(future, Thread.currentThread().getName());
    }
  }

  /**
   * The wait on {@code future} ended: the name of the thread outside every flow that completed it,
   * or null.
   */
  String awaited(Object future) {
    Object v = followed.waitedFutures.isEmpty() ? null : followed.waitedFutures.remove(future);
    return v instanceof String ? (String) v : null;
  }
}
