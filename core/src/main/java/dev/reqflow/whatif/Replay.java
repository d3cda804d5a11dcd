package dev.reqflow.whatif;

/**
 * One replay of a flow: its duration and each call's times, indexed like {@link
 * dev.reqflow.flow.Flow#calls()}, in epoch nanoseconds on the flow's own clock (the replay starts
 * when the flow did). A viewer draws it as an overlay.
 */
public final class Replay {
  private final long startNanos;
  private final long endNanos;
  private final long[] issue;
  private final long[] dispatch;
  private final long[] end;

  Replay(long startNanos, long endNanos, long[] issue, long[] dispatch, long[] end) {
    this.startNanos = startNanos;
    this.endNanos = endNanos;
    this.issue = issue;
    this.dispatch = dispatch;
    this.end = end;
  }

  public long startNanos() {
    return startNanos;
  }

  /** When the render thread finished. */
  public long endNanos() {
    return endNanos;
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  public int callCount() {
    return issue.length;
  }

  public long issueNanos(int call) {
    return issue[call];
  }

  /** When the call left its queue (equal to the issue time when it did not queue). */
  public long dispatchNanos(int call) {
    return dispatch[call];
  }

  /** When the call completed; equal to its issue time for dropped calls. */
  public long endNanos(int call) {
    return end[call];
  }
}
