package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/** Computes critical paths: a pure function of the flow, memoised per flow instance. */
final class CriticalPaths {
  /** A call that ended this close before a wait ended is taken to have released it. */
  private static final long RELEASE_SLACK_NANOS = 1_000_000L;

  private static final Map<Flow, CriticalPath> CACHE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private CriticalPaths() {}

  static CriticalPath of(Flow flow) {
    CriticalPath cached = CACHE.get(flow);
    if (cached == null) {
      cached = compute(flow);
      CACHE.put(flow, cached);
    }
    return cached;
  }

  static CriticalPath compute(Flow flow) {
    List<Segment> out = new ArrayList<>();
    long cursor = flow.startNanos();
    List<Block> group = new ArrayList<>();
    long groupStart = 0;
    long groupEnd = 0;
    for (Block b : flow.renderBlocks()) {
      long s = Math.max(b.startNanos(), flow.startNanos());
      long e = Math.min(b.endNanos(), flow.endNanos());
      if (e <= s) {
        continue;
      }
      if (!group.isEmpty() && s < groupEnd) {
        group.add(b);
        groupEnd = Math.max(groupEnd, e);
        continue;
      }
      if (!group.isEmpty()) {
        cursor = emit(flow, out, cursor, group, groupStart, groupEnd);
      }
      group = new ArrayList<>();
      group.add(b);
      groupStart = s;
      groupEnd = e;
    }
    if (!group.isEmpty()) {
      cursor = emit(flow, out, cursor, group, groupStart, groupEnd);
    }
    if (flow.endNanos() > cursor || out.isEmpty()) {
      out.add(running(cursor, flow.endNanos()));
    }
    return new CriticalPath(out, flow.waitsRecorded());
  }

  private static Segment running(long from, long to) {
    return new Segment(Kind.RUNNING, from, to, List.of(), null, List.of(), List.of());
  }

  private static long emit(
      Flow flow, List<Segment> out, long cursor, List<Block> blocks, long start, long end) {
    if (start > cursor) {
      out.add(running(cursor, start));
    }
    Call releaser = releaser(flow, blocks, end);
    List<Call> chain = releaser == null ? List.of() : chain(flow, releaser, start);
    List<Phase> phases = new ArrayList<>();
    if (releaser != null) {
      for (Phase p : releaser.phases()) {
        long s = Math.max(p.startNanos(), start);
        long e = Math.min(p.endNanos(), end);
        if (e > s) {
          phases.add(new Phase(p.kind(), s, e));
        }
      }
    }
    out.add(new Segment(Kind.BLOCKED, start, end, blocks, releaser, chain, phases));
    return end;
  }

  /**
   * The call whose completion ended the wait: of the calls the waits name, the last to end by the
   * wait's end; when none ended by then, the last to end.
   */
  static Call releaser(Flow flow, List<Block> blocks, long end) {
    Call best = null;
    Call latest = null;
    for (Block b : blocks) {
      for (String id : b.releasedBy()) {
        Call c = flow.call(id);
        if (c == null) {
          continue;
        }
        if (latest == null || c.endNanos() > latest.endNanos()) {
          latest = c;
        }
        if (c.endNanos() <= end + RELEASE_SLACK_NANOS
            && (best == null || c.endNanos() > best.endNanos())) {
          best = c;
        }
      }
    }
    return best != null ? best : latest;
  }

  private static boolean containsSame(List<Call> calls, Call c) {
    for (Call x : calls) {
      if (x == c) {
        return true;
      }
    }
    return false;
  }

  /** The releasing call and, before it, the dependencies it was issued after, within the wait. */
  private static List<Call> chain(Flow flow, Call last, long since) {
    List<Call> chain = new ArrayList<>();
    chain.add(last);
    Call cur = last;
    for (int guard = 0; guard < 64; guard++) {
      Call prev = null;
      for (Dependency d : cur.dependencies()) {
        Call c = flow.call(d.spanId());
        if (c != null
            && c != cur
            && c.endNanos() <= cur.issueNanos() + RELEASE_SLACK_NANOS
            && c.endNanos() > since
            && (prev == null || c.endNanos() > prev.endNanos())) {
          prev = c;
        }
      }
      if (prev == null || containsSame(chain, prev)) {
        break;
      }
      chain.add(0, prev);
      cur = prev;
    }
    return chain;
  }
}
