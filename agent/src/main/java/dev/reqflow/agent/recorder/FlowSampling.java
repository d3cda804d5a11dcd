package dev.reqflow.agent.recorder;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which flows are recorded and exported ({@code sample}, {@code keep.slow}, {@code keep.slower},
 * {@code parent.sampling}). Decided twice: when a flow starts ({@link #atStart}: recorded and kept,
 * recorded until its end decides, or not recorded at all), and, for a flow the start left
 * undecided, when it ends ({@link #keepAtEnd}: slower than its endpoint's running p90, slower than
 * {@code keep.slower}, or failed). Thread-safe.
 */
public final class FlowSampling {
  /** Every flow recorded and exported: the default. */
  public static final FlowSampling ALL = new FlowSampling(1.0, false, 0, false);

  /** The start's decisions. */
  static final int KEEP = 0;

  static final int DECIDE_AT_END = 1;
  static final int SKIP = 2;

  private final double ratio;
  private final boolean keepSlow;
  private final long keepSlowerNanos;
  private final boolean respectParent;
  private final EndpointLatencies latencies = new EndpointLatencies();

  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong droppedAtEnd = new AtomicLong();
  private final AtomicLong keptSlow = new AtomicLong();
  private final AtomicLong keptError = new AtomicLong();

  /**
   * @param ratio share of flows kept when they start, 0 to 1 ({@code sample})
   * @param keepSlow keep every flow slower than its endpoint's running p90, and every failed one
   * @param keepSlowerNanos keep every flow at least this long, and every failed one; 0: off
   * @param respectParent a flow that joins a trace with a sampling decision ({@code traceparent}'s
   *     sampled flag) takes that decision instead of {@code ratio}
   */
  public FlowSampling(double ratio, boolean keepSlow, long keepSlowerNanos, boolean respectParent) {
    this.ratio = ratio;
    this.keepSlow = keepSlow;
    this.keepSlowerNanos = keepSlowerNanos;
    this.respectParent = respectParent;
  }

  /** Whether every flow is kept whatever its end: nothing to hold, nothing to decide. */
  boolean keepsAll() {
    return ratio >= 1.0 && !respectParent;
  }

  /**
   * Whether the sampled flag of the trace a flow joins decides for it ({@code
   * parent.sampling=respect}).
   */
  boolean respectsParent() {
    return respectParent;
  }

  /** Whether a flow's end can keep it ({@code keep.slow} or {@code keep.slower}). */
  boolean decidesAtEnd() {
    return keepSlow || keepSlowerNanos > 0;
  }

  /**
   * The decision as a flow starts: {@link #KEEP}, {@link #DECIDE_AT_END} or {@link #SKIP}.
   *
   * @param parentSampled the inbound trace's sampled flag: 1 sampled, 0 not, -1 no parent
   */
  int atStart(int parentSampled) {
    boolean in;
    if (respectParent && parentSampled >= 0) {
      in = parentSampled == 1;
    } else {
      in = ratio >= 1.0 || (ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio);
    }
    if (in) {
      return KEEP;
    }
    if (decidesAtEnd()) {
      return DECIDE_AT_END;
    }
    skipped.incrementAndGet();
    return SKIP;
  }

  /**
   * A recorded flow of {@code endpoint} ended after {@code durationNanos}: whether a flow the start
   * left undecided ({@code undecided}) is kept. Every recorded flow's duration feeds its endpoint's
   * p90, kept at start or not, so that the p90 is the endpoint's, not the sample's.
   */
  boolean keepAtEnd(String endpoint, long durationNanos, boolean failed, boolean undecided) {
    boolean slow = false;
    if (keepSlow) {
      slow = latencies.slowerThanP90(endpoint, durationNanos);
    }
    if (!undecided) {
      return true;
    }
    if (failed) {
      keptError.incrementAndGet();
      return true;
    }
    if (slow || (keepSlowerNanos > 0 && durationNanos >= keepSlowerNanos)) {
      keptSlow.incrementAndGet();
      return true;
    }
    droppedAtEnd.incrementAndGet();
    return false;
  }

  /** Counts for the exit line. */
  public SamplingTotals totals(long spansHeldDropped) {
    return new SamplingTotals(
        skipped.get() + droppedAtEnd.get(), keptSlow.get(), keptError.get(), spansHeldDropped);
  }

  /** The options as written, for messages: {@code sample=0.1,keep.slow}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("sample=").append(ratio);
    if (keepSlow) {
      b.append(",keep.slow");
    }
    if (keepSlowerNanos > 0) {
      b.append(",keep.slower=").append(keepSlowerNanos / 1_000_000).append("ms");
    }
    if (respectParent) {
      b.append(",parent.sampling=respect");
    }
    return b.toString();
  }
}
