package dev.reqflow.agent.recorder;

import java.util.concurrent.atomic.AtomicLong;

/** Over every flow that ended: how much the agent did not see as calls, for the exit line. */
public final class UnseenTotals {
  private final AtomicLong flows = new AtomicLong();
  private final AtomicLong socketNanos = new AtomicLong();
  private final AtomicLong socketOps = new AtomicLong();
  private final AtomicLong waitNanos = new AtomicLong();
  private final AtomicLong lockWaitFlows = new AtomicLong();

  void add(long socketNanos, long socketOps, long waitNanos) {
    if (socketNanos > 0 || waitNanos > 0) {
      flows.incrementAndGet();
      this.socketNanos.addAndGet(socketNanos);
      this.socketOps.addAndGet(socketOps);
      this.waitNanos.addAndGet(waitNanos);
    }
  }

  void lockWaitsUnseen() {
    lockWaitFlows.incrementAndGet();
  }

  /**
   * Flows that ended marked {@code reqflow.unseen.lock_waits}: they began before JDK Flight
   * Recorder's recording ran, so their waits for monitors were not recorded.
   */
  public long lockWaitFlows() {
    return lockWaitFlows.get();
  }

  /** Flows that blocked in socket I/O outside their calls or waited on futures nothing recorded. */
  public long flows() {
    return flows.get();
  }

  /** Nanoseconds in blocking socket reads and connects outside recorded calls, all flows. */
  public long socketNanos() {
    return socketNanos.get();
  }

  public long socketOps() {
    return socketOps.get();
  }

  /**
   * Nanoseconds waited on futures completed outside every flow with no recorded call, all flows.
   */
  public long waitNanos() {
    return waitNanos.get();
  }
}
