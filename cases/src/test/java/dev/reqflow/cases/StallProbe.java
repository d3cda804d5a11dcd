package dev.reqflow.cases;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells when the machine stalled: a thread that sleeps {@link #TICK_MILLIS} at a time and notes by
 * how much the longest sleep overran. A page loaded while the machine stalled (other builds on a
 * shared machine, say) measures the machine, not the pattern; the recording loads it again.
 */
final class StallProbe implements AutoCloseable {
  static final long TICK_MILLIS = 5;

  private final AtomicLong worstNanos = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  StallProbe() {
    thread =
        new Thread(
            () -> {
              while (running) {
                long before = System.nanoTime();
                try {
                  TimeUnit.MILLISECONDS.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
                long over = System.nanoTime() - before - TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
                worstNanos.accumulateAndGet(over, Math::max);
              }
            },
            "stall-probe");
    thread.setDaemon(true);
    thread.start();
  }

  /** The longest overrun since the last call, in milliseconds; starts a new period. */
  long worstMillisAndReset() {
    return TimeUnit.NANOSECONDS.toMillis(worstNanos.getAndSet(0));
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
