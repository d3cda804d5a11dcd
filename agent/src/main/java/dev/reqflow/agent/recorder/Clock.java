package dev.reqflow.agent.recorder;

/** Monotonic time for durations, anchored once to the epoch for export. */
final class Clock {
  private final long anchorEpochNanos;
  private final long anchorNanoTime;

  Clock() {
    long before = System.nanoTime();
    long epochMillis = System.currentTimeMillis();
    java.time.Instant now = java.time.Instant.now();
    long epochNanos =
        Math.abs(now.toEpochMilli() - epochMillis) < 2
            ? now.getEpochSecond() * 1_000_000_000L + now.getNano()
            : epochMillis * 1_000_000L;
    this.anchorNanoTime = (before + System.nanoTime()) / 2;
    this.anchorEpochNanos = epochNanos;
  }

  long nanoTime() {
    return System.nanoTime();
  }

  long toEpochNanos(long nanoTime) {
    return anchorEpochNanos + (nanoTime - anchorNanoTime);
  }
}
