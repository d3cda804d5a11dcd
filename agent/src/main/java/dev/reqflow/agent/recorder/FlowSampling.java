package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.SampledBecause;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which flows are recorded and exported ({@code sample}, {@code keep.slow}, {@code keep.slower},
 * {@code parent.sampling}). Decided twice: when a flow starts ({@link #atStart}: recorded and kept,
 * recorded until its end decides, or not recorded at all), and, for a flow the start left
 * undecided, when it ends ({@link #keepAtEnd}: slower than its endpoint's running p90, slower than
 * {@code keep.slower}, or failed; else with its trace, {@link HeldSpans}). Counts each flow once,
 * as exported (by reason) or not, for the exit line. Thread-safe.
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
  private final String options;
  private final EndpointLatencies latencies = new EndpointLatencies();

  // Each flow is counted once, when it is decided: exported for one reason, or not exported.
  private final AtomicLong sampledAtStart = new AtomicLong();
  private final AtomicLong keptSlowerThanP90 = new AtomicLong();
  private final AtomicLong keptBeforeP90 = new AtomicLong();
  private final AtomicLong keptSlowerThanOption = new AtomicLong();
  private final AtomicLong keptFailed = new AtomicLong();
  private final AtomicLong withTrace = new AtomicLong();
  private final AtomicLong notExported = new AtomicLong();

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
    this.options = options(ratio, keepSlow, keepSlowerNanos, respectParent);
  }

  /** Whether every flow is kept whatever its end: nothing to hold, nothing to decide. */
  boolean keepsAll() {
    return ratio >= 1.0 && !respectParent;
  }

  /** Whether these are the default options (every flow recorded and exported). */
  public boolean isDefault() {
    return ratio >= 1.0 && !keepSlow && keepSlowerNanos == 0 && !respectParent;
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
   * The decision as a flow starts: {@link #KEEP}, {@link #DECIDE_AT_END} or {@link #SKIP} (counted
   * as not exported now: nothing of it is recorded, its end included).
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
    notExported.incrementAndGet();
    return SKIP;
  }

  /**
   * A recorded flow of {@code endpoint} ended after {@code durationNanos}: why it is kept on its
   * own account, counted by that reason (one of {@link SampledBecause}): sampled at its start
   * ({@code undecided} false), failed, slower than {@code keep.slower}, slower than its endpoint's
   * p90, or kept because its endpoint has no p90 yet. Null: a flow the start left undecided with no
   * reason of its own, not counted here: its trace decides ({@link HeldSpans}), then {@link
   * #exportedWithTrace} or {@link #notExported} counts it. Every recorded flow's duration feeds its
   * endpoint's p90, kept at start or not, so that the p90 is the endpoint's, not the sample's.
   */
  String keepAtEnd(String endpoint, long durationNanos, boolean failed, boolean undecided) {
    int slow = EndpointLatencies.NOT_SLOWER;
    if (keepSlow) {
      slow = latencies.slowerThanP90(endpoint, durationNanos);
    }
    if (!undecided) {
      sampledAtStart.incrementAndGet();
      return SampledBecause.AT_START;
    } else if (failed) {
      keptFailed.incrementAndGet();
      return SampledBecause.FAILED;
    } else if (keepSlowerNanos > 0 && durationNanos >= keepSlowerNanos) {
      keptSlowerThanOption.incrementAndGet();
      return SampledBecause.SLOWER_THAN_OPTION;
    } else if (slow == EndpointLatencies.SLOWER) {
      keptSlowerThanP90.incrementAndGet();
      return SampledBecause.SLOWER_THAN_P90;
    } else if (slow == EndpointLatencies.NO_P90) {
      keptBeforeP90.incrementAndGet();
      return SampledBecause.BEFORE_P90;
    }
    return null;
  }

  /**
   * A recorded flow sampled in at its start ended ({@code sample} alone: nothing else to decide).
   */
  String sampledAtStartEnded() {
    sampledAtStart.incrementAndGet();
    return SampledBecause.AT_START;
  }

  /** {@code n} flows with no reason of their own to be kept were exported with their trace. */
  void exportedWithTrace(int n) {
    if (n > 0) {
      withTrace.addAndGet(n);
    }
  }

  /** {@code n} flows were not exported. */
  void notExported(int n) {
    if (n > 0) {
      notExported.addAndGet(n);
    }
  }

  /** Counts for the exit line. */
  public SamplingTotals totals(long spansHeldDropped, long spansLetGo) {
    return new SamplingTotals(
        sampledAtStart.get(),
        keptSlowerThanP90.get(),
        keptBeforeP90.get(),
        keptSlowerThanOption.get(),
        keptFailed.get(),
        withTrace.get(),
        notExported.get(),
        spansHeldDropped,
        spansLetGo,
        keepSlow,
        keepSlowerNanos > 0);
  }

  /** The options as written, for messages and flows: {@code sample=0.1,keep.slow}. */
  @Override
  public String toString() {
    return options;
  }

  private static String options(
      double ratio, boolean keepSlow, long keepSlowerNanos, boolean respectParent) {
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
