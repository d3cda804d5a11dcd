package dev.reqflow.whatif;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.PhaseKind;
import java.util.List;
import java.util.Set;

/**
 * What {@link Change.RemoveLockWaits} does to the replay's model of each call: how much of its time
 * was a removed wait of its own thread ({@code cut}), and how much earlier it would have been
 * issued ({@code shift}).
 */
final class LockWaitRemoval {
  /** Recorded moments of two sources (JFR, advice) this close are taken as the same moment. */
  private static final long SLACK_NANOS = 2_000_000L;

  private LockWaitRemoval() {}

  /**
   * Fills {@code cut} and {@code shift} (indexed like {@link Flow#calls()}) for the removed waits
   * of threads other than the render thread; the render thread's are the replay's segments.
   */
  static void apply(Flow flow, Set<String> blockIds, long[] cut, long[] shift) {
    List<Call> calls = flow.calls();
    for (Block b : flow.blocks()) {
      if (!blockIds.contains(b.spanId()) || b.thread().sameThread(flow.renderThread())) {
        continue;
      }
      int next = -1;
      boolean inside = false;
      for (int i = 0; i < calls.size(); i++) {
        Call c = calls.get(i);
        if (!c.thread().sameThread(b.thread())) {
          continue;
        }
        long from = c.issueNanos() + c.phaseNanos(PhaseKind.QUEUED);
        long active = activeFrom(c);
        if (c.issueNanos() <= b.startNanos() && b.endNanos() <= active + SLACK_NANOS) {
          // A task's first call starts when the task was submitted, before the thread waited for
          // the lock and then made the call: the wait is part of the call's time.
          cut[i] += Math.max(0, Math.min(b.endNanos(), active) - Math.max(b.startNanos(), from));
          inside = true;
        } else if (c.issueNanos() >= b.endNanos() - SLACK_NANOS
            && (next < 0 || c.issueNanos() < calls.get(next).issueNanos())) {
          next = i;
        }
      }
      if (!inside && next >= 0) {
        shift[next] += b.durationNanos();
      }
    }
  }

  /** When the client began the call's own work: its first phase after the queue, or its end. */
  private static long activeFrom(Call c) {
    for (Phase p : c.phases()) {
      if (p.kind() != PhaseKind.QUEUED) {
        return p.startNanos();
      }
    }
    return c.endNanos();
  }
}
