package dev.reqflow.flow;

import dev.reqflow.contract.TraceContract.BlockKind;
import java.util.List;
import java.util.Objects;

/**
 * One wait of a thread: on a future or a synchronous call, or for a monitor, lock or semaphore.
 *
 * @param spanId hex span id of the block span
 * @param kind what the thread waited in ({@code future.get}, {@code okhttp.execute}, {@code
 *     monitor.enter}...), {@code ""} when unknown
 * @param site the application line that waited
 * @param releasedBy span ids of the calls whose completion released the wait (for a lock wait: the
 *     call the lock's holder was making); may name calls that are not in the flow when the trace
 *     lost them, or when the holder worked for another flow
 * @param lock the class of the monitor's object or of the lock ({@code java.util.concurrent
 *     .Semaphore}) for a wait of kind {@code monitor.enter} or {@code lock.park}; {@code ""} for
 *     other waits and when the trace did not say
 */
public record Block(
    String spanId,
    ThreadRef thread,
    String kind,
    long startNanos,
    long endNanos,
    CodeLocation site,
    List<String> releasedBy,
    String lock) {

  public Block {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(lock, "lock");
    releasedBy = List.copyOf(releasedBy);
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("block " + spanId + " ends before it starts");
    }
  }

  /** A wait on a future or a call: no lock. */
  public Block(
      String spanId,
      ThreadRef thread,
      String kind,
      long startNanos,
      long endNanos,
      CodeLocation site,
      List<String> releasedBy) {
    this(spanId, thread, kind, startNanos, endNanos, site, releasedBy, "");
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  /** True for a wait for a monitor ({@code synchronized}) or a lock or semaphore. */
  public boolean isLockWait() {
    return kind.equals(BlockKind.MONITOR_ENTER) || kind.equals(BlockKind.LOCK_PARK);
  }

  /**
   * What a lock wait waited for, for people: {@code the monitor of com.example.Client}, {@code the
   * java.util.concurrent.Semaphore}, {@code a monitor} when the class is not known; {@code ""} for
   * other waits.
   */
  public String lockLabel() {
    if (kind.equals(BlockKind.MONITOR_ENTER)) {
      return lock.isEmpty() ? "a monitor" : "the monitor of " + lock;
    }
    if (kind.equals(BlockKind.LOCK_PARK)) {
      return lock.isEmpty() ? "a lock" : "the " + lock;
    }
    return "";
  }
}
