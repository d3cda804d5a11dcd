package dev.reqflow.agent.export;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the spans sent to one sink: delivered, on their way, or dropped and why. The
 * application's threads touch only {@link #admit()}: one or two atomic increments, no allocation,
 * no lock. The export side moves whole batches under this object's lock, so that a {@link
 * #snapshot()} always adds up.
 */
final class DropCounts {

  /** Why a span did not reach a sink. */
  enum Reason {
    QUEUE_FULL("queue full"),
    EXPORT_FAILED("export failed"),
    TIMED_OUT("timed out"),
    NOT_FLUSHED("not flushed at exit");

    final String label;

    Reason(String label) {
      this.label = label;
    }
  }

  final String sink;
  final String deliveredVerb;
  private final int bound;

  /** Admitted and not yet handed to the exporter: in the batch processor's queue or batch. */
  private final AtomicInteger queued = new AtomicInteger();

  private final AtomicLong queueFull = new AtomicLong();
  private long exporting;
  private long delivered;
  private long failed;
  private long timedOut;
  private long failedExports;
  private volatile boolean timingOut;

  /**
   * @param sink how the exit line names the sink, e.g. {@code file /tmp/x.jsonl}
   * @param deliveredVerb {@code written} or {@code sent}
   * @param bound spans that may wait for this sink at once; one more is dropped
   */
  DropCounts(String sink, String deliveredVerb, int bound) {
    this.sink = sink;
    this.deliveredVerb = deliveredVerb;
    this.bound = bound;
  }

  /** A span for this sink: true if it may queue, false (and counted) if the queue is full. */
  boolean admit() {
    if (queued.incrementAndGet() > bound) {
      queued.decrementAndGet();
      queueFull.incrementAndGet();
      return false;
    }
    return true;
  }

  /** The batch processor took {@code n} admitted spans off its queue and exports them now. */
  synchronized void exporting(int n) {
    queued.addAndGet(-n);
    exporting += n;
  }

  synchronized void delivered(int n) {
    exporting -= n;
    delivered += n;
    timingOut = false;
  }

  synchronized void failed(int n, boolean timeout) {
    exporting -= n;
    if (timeout) {
      timedOut += n;
    } else {
      failed += n;
    }
    failedExports++;
    timingOut = timeout;
  }

  /** Exports that failed so far, whatever the reason. */
  synchronized long failedExports() {
    return failedExports;
  }

  /** The last export to finish timed out: the next one would most likely hang as long. */
  boolean timingOut() {
    return timingOut;
  }

  /**
   * The counts now; what is still queued or exporting is counted as not flushed. Adds up to the
   * spans offered to this sink once no more are (see {@link Accounting#closeAccounts()}).
   */
  synchronized Snapshot snapshot() {
    long[] dropped = new long[Reason.values().length];
    dropped[Reason.QUEUE_FULL.ordinal()] = queueFull.get();
    dropped[Reason.EXPORT_FAILED.ordinal()] = failed;
    dropped[Reason.TIMED_OUT.ordinal()] = timedOut;
    dropped[Reason.NOT_FLUSHED.ordinal()] = queued.get() + exporting;
    return new Snapshot(sink, deliveredVerb, delivered, dropped);
  }

  /** One sink's counts at one moment. */
  static final class Snapshot {
    final String sink;
    final String deliveredVerb;
    final long delivered;
    private final long[] dropped;

    Snapshot(String sink, String deliveredVerb, long delivered, long[] dropped) {
      this.sink = sink;
      this.deliveredVerb = deliveredVerb;
      this.delivered = delivered;
      this.dropped = dropped;
    }

    long dropped(Reason why) {
      return dropped[why.ordinal()];
    }

    long droppedTotal() {
      long sum = 0;
      for (long d : dropped) {
        sum += d;
      }
      return sum;
    }
  }
}
