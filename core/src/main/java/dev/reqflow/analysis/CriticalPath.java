package dev.reqflow.analysis;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.PhaseList;
import java.util.List;

/**
 * The render thread's time, end to end: running segments, and blocked segments with the call that
 * released each wait (and the calls that one waited for in turn), down to that call's phases.
 *
 * @param waitsRecorded false when the trace has no waits: the path is then one running segment
 */
public record CriticalPath(List<Segment> segments, boolean waitsRecorded) {
  public CriticalPath {
    segments = List.copyOf(segments);
  }

  /** Whether the render thread ran or waited. */
  public enum Kind {
    RUNNING,
    BLOCKED
  }

  /**
   * One stretch of the render thread.
   *
   * @param blocks the waits merged into this blocked segment (empty when running)
   * @param releasedBy the call whose completion ended the wait, or null when the trace does not say
   * @param chain the calls leading to it, each issued when the previous one completed, ending with
   *     {@code releasedBy}; empty when unknown
   * @param phases the phases of {@code releasedBy} within this segment
   */
  public record Segment(
      Kind kind,
      long startNanos,
      long endNanos,
      List<Block> blocks,
      Call releasedBy,
      List<Call> chain,
      List<Phase> phases) {
    public Segment {
      blocks = List.copyOf(blocks);
      chain = List.copyOf(chain);
      phases = PhaseList.copyOf(phases);
    }

    public long durationNanos() {
      return endNanos - startNanos;
    }
  }

  public long blockedNanos() {
    long sum = 0;
    for (Segment s : segments) {
      if (s.kind() == Kind.BLOCKED) {
        sum += s.durationNanos();
      }
    }
    return sum;
  }
}
