package dev.reqflow.analysis;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.PhaseKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The waits of a flow's threads for one monitor, lock or semaphore (same class, same waiting line),
 * and the calls they held up: the calls each waiting thread made once it got the lock ({@link
 * #delayed}), and the calls whose end let the lock go to a waiter ({@link #releasers}).
 */
final class LockWaits {
  /** Moments of two sources (JFR, advice) for one moment lie this close. */
  static final long SLACK_NANOS = 2_000_000L;

  /**
   * A call that ended this long before a wait did can have let it in: the holder's call ends, the
   * holder releases the lock, the waiter wakes up and is scheduled (milliseconds on a busy
   * machine).
   */
  static final long HAND_OVER_NANOS = 20_000_000L;

  static final String SEMAPHORE = "java.util.concurrent.Semaphore";

  final String lock;
  final String label;
  final CodeLocation site;
  final List<Block> waits;

  /** For each call a waiting thread made under the lock: how long its thread waited for it. */
  final Map<Call, Long> delayed;

  /** Calls whose end handed the lock (or a permit) to a waiting thread. */
  final Set<Call> releasers;

  private LockWaits(String lock, String label, CodeLocation site, List<Block> waits) {
    this.lock = lock;
    this.label = label;
    this.site = site;
    this.waits = waits;
    this.delayed = new LinkedHashMap<>();
    this.releasers = new LinkedHashSet<>();
  }

  /** The flow's lock waits, one group per lock and waiting line, in order of their first wait. */
  static List<LockWaits> of(Flow flow) {
    Map<String, List<Block>> byLock = new LinkedHashMap<>();
    for (Block b : flow.blocks()) {
      if (b.isLockWait()) {
        byLock
            .computeIfAbsent(
                b.kind() + "\u0000" + b.lock() + "\u0000" + b.site(), k -> new ArrayList<>())
            .add(b);
      }
    }
    List<LockWaits> out = new ArrayList<>();
    for (List<Block> waits : byLock.values()) {
      Block first = waits.get(0);
      LockWaits g = new LockWaits(first.lock(), first.lockLabel(), first.site(), waits);
      List<Block> byEnd = new ArrayList<>(waits);
      byEnd.sort(Comparator.comparingLong(Block::endNanos).thenComparing(Block::spanId));
      for (Block w : byEnd) {
        Call c = madeUnder(flow, w);
        if (c != null) {
          g.delayed.merge(c, w.durationNanos(), Long::sum);
        }
        Call r = releaser(flow, w, g.releasers);
        if (r != null) {
          g.releasers.add(r);
        }
      }
      out.add(g);
    }
    return out;
  }

  boolean isSemaphore() {
    return lock.equals(SEMAPHORE);
  }

  /** The calls behind the lock: those that waited for it and those it was handed over from. */
  List<Call> calls() {
    Set<Call> all = new LinkedHashSet<>(releasers);
    all.addAll(delayed.keySet());
    List<Call> out = new ArrayList<>(all);
    out.sort(Comparator.comparingLong(Call::issueNanos).thenComparing(Call::spanId));
    return out;
  }

  Set<String> blockIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (Block w : waits) {
      ids.add(w.spanId());
    }
    return ids;
  }

  long waitedNanos() {
    long sum = 0;
    for (Block w : waits) {
      sum += w.durationNanos();
    }
    return sum;
  }

  /**
   * The most of {@link #calls} that ran at once, not counting the time each spent queued or waiting
   * for the lock: the limit the lock enforced (1 for a monitor; a semaphore's permits).
   */
  int observedLimit() {
    List<long[]> edges = new ArrayList<>();
    for (Call c : calls()) {
      long from = c.issueNanos() + c.phaseNanos(PhaseKind.QUEUED);
      for (Block w : waits) {
        if (w.thread().sameThread(c.thread()) && w.endNanos() <= c.endNanos()) {
          from = Math.max(from, w.endNanos());
        }
      }
      if (c.endNanos() > from) {
        edges.add(new long[] {from, 1});
        edges.add(new long[] {c.endNanos(), -1});
      }
    }
    // Ends before starts at the same moment: a hand-over is not two at once.
    edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int now = 0;
    int max = 0;
    for (long[] e : edges) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }

  /**
   * The call the waiting thread made once it had the lock: a call of its own whose span holds the
   * wait (a task's first call starts when the task was submitted), else its first call issued after
   * the wait.
   */
  private static Call madeUnder(Flow flow, Block w) {
    Call next = null;
    for (Call c : flow.calls()) {
      if (!c.thread().sameThread(w.thread())) {
        continue;
      }
      if (c.issueNanos() <= w.startNanos() && w.endNanos() <= activeFrom(c) + SLACK_NANOS) {
        return c;
      }
      if (c.issueNanos() >= w.endNanos() - SLACK_NANOS
          && (next == null || c.issueNanos() < next.issueNanos())) {
        next = c;
      }
    }
    return next;
  }

  /**
   * The call whose end let the waiter in: the one the trace names (the holder's call, from the
   * monitor's previous owner), else the call of another thread that ended last before the wait did,
   * within {@link #HAND_OVER_NANOS}, one not handing over to another waiter already if there is one
   * (a semaphore's permits come back from as many calls).
   */
  private static Call releaser(Flow flow, Block w, Set<Call> taken) {
    for (String id : w.releasedBy()) {
      Call c = flow.call(id);
      if (c != null) {
        return c;
      }
    }
    Call best = null;
    for (Call c : flow.calls()) {
      long gap = w.endNanos() - c.endNanos();
      if (c.thread().sameThread(w.thread()) || gap < -SLACK_NANOS / 4 || gap > HAND_OVER_NANOS) {
        continue;
      }
      boolean free = !taken.contains(c);
      boolean bestFree = best != null && !taken.contains(best);
      if (best == null
          || (free && !bestFree)
          || (free == bestFree && c.endNanos() > best.endNanos())) {
        best = c;
      }
    }
    return best;
  }

  /**
   * One line per call: {@code GET ... at Site(File.java:12), 100 ms, waited 80 ms for the lock}.
   */
  static String bullets(LockWaits g, List<Call> calls) {
    StringBuilder sb = new StringBuilder();
    for (Call c : calls) {
      sb.append("\n  - ").append(Explain.call(c));
      Long waited = g.delayed.get(c);
      if (waited != null) {
        sb.append(", waited ").append(Durations.format(waited)).append(" for the lock");
      }
    }
    return sb.toString();
  }

  /**
   * When the client began the call's own work: its first phase after the queue; its end when the
   * client reported no phase (the wait may then lie anywhere in it).
   */
  static long activeFrom(Call c) {
    for (Phase p : c.phases()) {
      if (p.kind() != PhaseKind.QUEUED) {
        return p.startNanos();
      }
    }
    return c.endNanos();
  }
}
