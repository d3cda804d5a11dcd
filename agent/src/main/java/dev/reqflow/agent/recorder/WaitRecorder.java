package dev.reqflow.agent.recorder;

import java.util.concurrent.Future;

/** Waits of a flow's threads, each a block span linked to the calls that released it. */
final class WaitRecorder {
  private final SpanWriter spans;
  private final Followed followed;
  private final long thresholdNanos;
  private final UnseenRecorder unseen;

  WaitRecorder(SpanWriter spans, Followed followed, long thresholdNanos, UnseenRecorder unseen) {
    this.spans = spans;
    this.followed = followed;
    this.thresholdNanos = thresholdNanos;
    this.unseen = unseen;
  }

  long blockEnter(Object waitedOn) {
    ThreadState ts = ThreadState.peek();
    if (ts == null || ts.flow == null || ts.blockDepth > 0) {
      return 0L;
    }
    if (waitedOn instanceof Future && ((Future<?>) waitedOn).isDone()) {
      return 0L;
    }
    ts.blockDepth++;
    if (!(waitedOn instanceof CallRecord)) {
      unseen.awaiting(waitedOn);
    }
    long now = spans.nanoTime();
    long start = now == 0L ? 1L : now;
    // For the stall watchdog: what this thread of the flow waits on now.
    ts.waiting(waitedOn, start);
    return start;
  }

  void blockExit(long startNanos, Object waitedOn, String kind) {
    ThreadState ts = ThreadState.current();
    ts.waited();
    ts.blockDepth = Math.max(0, ts.blockDepth - 1);
    long end = spans.nanoTime();
    String completedOutside = waitedOn instanceof CallRecord ? null : unseen.awaited(waitedOn);
    if (ts.flow == null || end - startNanos < thresholdNanos) {
      return;
    }
    CallRecord[] links =
        waitedOn instanceof CallRecord
            ? new CallRecord[] {(CallRecord) waitedOn}
            : followed.futureCalls.get(waitedOn);
    CodeSite site;
    if (waitedOn instanceof CallRecord
        && ts.issuing == waitedOn
        && ((CallRecord) waitedOn).siteWalked) {
      // The thread waits on the call it is issuing, still inside the client's method (the send
      // advice reports the wait before the call is issued): the frames below are the call's, so
      // is the site. A walk less per recorded synchronous call.
      site = ((CallRecord) waitedOn).walkedSite;
    } else {
      // Walked from here, not through CallSites.find: one frame fewer to fill (CallSites.WALKER).
      site = CallSites.WALKER.walk(CallSites.FIND);
    }
    String completedBy = null;
    if ((links == null || links.length == 0) && completedOutside != null) {
      // Nothing recorded released it: a thread working for no flow did, most likely the I/O
      // thread of a client the agent does not record.
      completedBy = completedOutside;
      ts.flow.addUnseenWait(end - startNanos);
    }
    if (links != null && links.length > 0) {
      ts.lastWaited = links;
    }
    Thread t = Thread.currentThread();
    // A callback that blocks (ts.cause): the call it runs for keeps its client's slot meanwhile.
    BlockSpan.Wait w =
        new BlockSpan.Wait(
            kind, ts.role(), t.getId(), t.getName(), site, completedBy, links, ts.cause);
    spans.end(spans.startBlock(ts.parent, startNanos, w), end);
  }
}
