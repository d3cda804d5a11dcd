package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.SpanType;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;

/**
 * A flow's thread reading a call's response body after the client's method returned (OkHttp's
 * {@code ResponseBody}, a JDK client body stream, an {@code HttpURLConnection} stream) waits on the
 * call: its download; so does one closing an OkHttp body before its end, which reads the rest off
 * the connection (a close is one read that ends the body). Each stretch of reads of one body
 * becomes one block span ({@code body.read}, linked {@code waited-on} to the call), not one per
 * {@code read()}: a stretch ends when the call ends (the end of the body, or its close), when the
 * thread reads another body, or pauses between two reads longer than the block threshold (at least
 * 1 ms: the application working on what it read), or does anything else the agent records (a wait,
 * a call, the end of its flow or task). Written when it has spent at least the block threshold
 * inside reads.
 *
 * <p>A read costs two clock reads and no allocation; the stack is walked once per stretch, when it
 * crosses the threshold. Reads inside a recorded wait or a client's method (an interceptor reading
 * the body inside {@code execute}) are the wait's, and not counted again.
 */
final class BodyReads {
  private static final long MIN_PAUSE_NANOS = 1_000_000L;

  private final SpanWriter spans;
  private final Followed followed;
  private final long thresholdNanos;
  private final long pauseNanos;

  BodyReads(SpanWriter spans, Followed followed, long thresholdNanos) {
    this.spans = spans;
    this.followed = followed;
    this.thresholdNanos = thresholdNanos;
    this.pauseNanos = Math.max(thresholdNanos, MIN_PAUSE_NANOS);
  }

  /** The call whose body {@code key} is: a client's call object, or a body object of its own. */
  CallRecord callOf(Object key) {
    CallRecord rec = followed.callsByKey.get(key);
    if (rec == null) {
      UrlConnectionCall u = followed.urlConnections.get(key);
      rec = u == null ? null : u.rec;
    }
    return rec;
  }

  long enter(Object key) {
    ThreadState ts = ThreadState.peek();
    if (ts == null
        || ts.flow == null
        || ts.readDepth > 0
        || ts.blockDepth > 0
        || ts.callDepth > 0) {
      return 0L;
    }
    if (followed.callsInFlight.get() == 0) {
      // No call to read for; the one this thread was reading ended elsewhere.
      if (ts.readCall != null) {
        flush(ts);
      }
      return 0L;
    }
    CallRecord rec = callOf(key);
    if (rec == null || rec.flow != ts.flow) {
      return 0L;
    }
    long now = spans.nanoTime();
    boolean ended = rec.ended.get();
    if (ts.readCall != null && (ts.readCall != rec || ended || now - ts.readLast > pauseNanos)) {
      // Another body, a pause, or the rest of a body whose call ended on another thread (the JDK
      // client's, when the last bytes arrived): what came before is one stretch.
      flush(ts);
    }
    if (ended) {
      return 0L;
    }
    if (ts.readCall == null) {
      ts.readCall = rec;
      ts.readParent = ts.parent;
      ts.readRole = ts.role();
      ts.readCause = ts.cause;
      ts.readStart = now;
      ts.readBlocked = 0;
      ts.readSite = null;
    }
    ts.readDepth = 1;
    return now == 0L ? 1L : now;
  }

  void exit(long startNanos, long read) {
    ThreadState ts = ThreadState.peek();
    if (ts == null) {
      return;
    }
    ts.readDepth = 0;
    CallRecord rec = ts.readCall;
    if (rec == null) {
      return;
    }
    long now = spans.nanoTime();
    ts.readBlocked += now - startNanos;
    ts.readLast = now;
    rec.lastUsedNanos = now;
    if (ts.readSite == null && ts.readBlocked >= thresholdNanos) {
      // Still inside the application's read: the line that reads.
      ts.readSite = CallSites.find();
    }
    if (read < 0 || rec.ended.get()) {
      flush(ts);
    }
  }

  /** Writes the current thread's stretch of reads, if it has one and is not inside a read. */
  void flushCurrent() {
    ThreadState ts = ThreadState.peek();
    if (ts != null && ts.readCall != null && ts.readDepth == 0) {
      flush(ts);
    }
  }

  /** {@code rec} ended: a stretch of reads of its body on this thread ends with it. */
  void callEnded(CallRecord rec) {
    ThreadState ts = ThreadState.peek();
    if (ts != null && ts.readCall == rec && ts.readDepth == 0) {
      flush(ts);
    }
  }

  private void flush(ThreadState ts) {
    CallRecord rec = ts.readCall;
    ts.readCall = null;
    if (ts.readBlocked < thresholdNanos || ts.readLast <= ts.readStart) {
      clear(ts);
      return;
    }
    SpanBuilder b =
        spans
            .span(
                "block " + BlockKind.BODY_READ,
                SpanKind.INTERNAL,
                ts.readParent,
                ts.readStart,
                SpanType.BLOCK)
            .setAttribute(Attr.BLOCK_KIND, BlockKind.BODY_READ)
            .setAttribute(Attr.THREAD_ROLE, ts.readRole);
    SpanWriter.site(b, ts.readSite);
    spans.addLinks(b, new CallRecord[] {rec}, SpanWriter.WAITED_ON);
    if (ts.readCause != null) {
      spans.addLinks(b, ts.readCause, SpanWriter.CALLBACK);
    }
    long end = ts.readLast;
    clear(ts);
    spans.end(b.startSpan(), end);
  }

  private static void clear(ThreadState ts) {
    ts.readParent = null;
    ts.readRole = null;
    ts.readCause = null;
    ts.readSite = null;
  }
}
