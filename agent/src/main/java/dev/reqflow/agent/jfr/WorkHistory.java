package dev.reqflow.agent.jfr;

import dev.reqflow.agent.recorder.WorkLog;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What each thread worked for, and when, over the last {@link #retentionNanos}: the {@link WorkLog}
 * read into one line of moments per thread, so that a wait reported a second or more after the fact
 * finds the flow its thread worked for at that moment, and the call another thread was in. Times
 * are {@link System#nanoTime} values. Not thread-safe: one reader at a time.
 *
 * <p>Bounded: moments older than the retention are dropped at every {@link #prune} (the last one
 * before it is kept: it says what the thread did then), threads idle since are forgotten, and at
 * most {@link #maxMoments} moments are kept in all (past that, the retention shrinks). A wait from
 * before what was dropped, or around records the log lost, is {@link State#UNKNOWN}.
 */
final class WorkHistory implements WorkLog.Reader {

  /** What a thread did at a moment. */
  enum Kind {
    /** Worked for a flow: {@link State#parent}, {@link State#role}. */
    FLOW,
    /** Worked for no flow. */
    NONE,
    /** Not known: the records of that time were lost, or dropped. */
    UNKNOWN
  }

  /** A thread's state from {@link #at} on. */
  static final class State {
    static final State NONE = new State(Long.MIN_VALUE, Kind.NONE, null, null);

    final long at;
    final Kind kind;
    final Context parent;
    final String role;

    State(long at, Kind kind, Context parent, String role) {
      this.at = at;
      this.kind = kind;
      this.parent = parent;
      this.role = role;
    }
  }

  /** A recorded call a thread was inside, from {@code from} to {@code to} (MAX while inside). */
  private static final class Window {
    final long from;
    long to = Long.MAX_VALUE;
    final SpanContext call;

    Window(long from, SpanContext call) {
      this.from = from;
      this.call = call;
    }
  }

  private static final class Line {
    final List<State> states = new ArrayList<>(4);
    final List<Window> calls = new ArrayList<>(2);
    boolean pruned;

    State last() {
      return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    Window open() {
      Window w = calls.isEmpty() ? null : calls.get(calls.size() - 1);
      return w != null && w.to == Long.MAX_VALUE ? w : null;
    }
  }

  private final long retentionNanos;
  private final int maxMoments;
  private final Map<Long, Line> lines = new HashMap<>();
  private int moments;
  private long latest = Long.MIN_VALUE;
  private long forgottenBefore = Long.MIN_VALUE;
  private long lostRecords;

  WorkHistory(long retentionNanos, int maxMoments) {
    this.retentionNanos = retentionNanos;
    this.maxMoments = maxMoments;
  }

  @Override
  public void work(long threadId, long nanoTime, Context parent, String role) {
    Line line = lines.computeIfAbsent(threadId, k -> new Line());
    line.states.add(
        parent == null
            ? new State(nanoTime, Kind.NONE, null, null)
            : new State(nanoTime, Kind.FLOW, parent, role));
    moments++;
    latest = Math.max(latest, nanoTime);
  }

  @Override
  public void call(long threadId, long nanoTime, SpanContext call) {
    Line line = lines.computeIfAbsent(threadId, k -> new Line());
    Window open = line.open();
    if (open != null) {
      open.to = nanoTime;
    }
    if (call != null) {
      line.calls.add(new Window(nanoTime, call));
      moments++;
    }
    latest = Math.max(latest, nanoTime);
  }

  @Override
  public void lost(long records) {
    lostRecords += records;
    // Any thread may have changed work in the lost records: from the last moment read on, none
    // of them is known until it records again.
    for (Line line : lines.values()) {
      State last = line.last();
      if (last == null || last.kind != Kind.UNKNOWN) {
        line.states.add(new State(latest, Kind.UNKNOWN, null, null));
        moments++;
      }
      Window open = line.open();
      if (open != null) {
        open.to = latest;
      }
    }
  }

  /** Records the log lost before they were read. */
  long lostRecords() {
    return lostRecords;
  }

  /** The latest moment read, or {@link Long#MIN_VALUE} before any. */
  long latest() {
    return latest;
  }

  /** True when the thread worked for a flow in the kept history: else its waits are not ours. */
  boolean knows(long threadId) {
    return lines.containsKey(threadId);
  }

  /** What {@code threadId} did at {@code nanoTime}. */
  State at(long threadId, long nanoTime) {
    if (nanoTime < forgottenBefore) {
      return new State(nanoTime, Kind.UNKNOWN, null, null);
    }
    Line line = lines.get(threadId);
    if (line == null) {
      return State.NONE;
    }
    for (int i = line.states.size() - 1; i >= 0; i--) {
      State s = line.states.get(i);
      if (s.at <= nanoTime) {
        return s;
      }
    }
    return line.pruned ? new State(nanoTime, Kind.UNKNOWN, null, null) : State.NONE;
  }

  /** True when {@code threadId} was inside a recorded call at {@code nanoTime}. */
  boolean inCall(long threadId, long nanoTime) {
    Line line = lines.get(threadId);
    if (line == null) {
      return false;
    }
    for (int i = line.calls.size() - 1; i >= 0; i--) {
      Window w = line.calls.get(i);
      if (w.from <= nanoTime && nanoTime < w.to) {
        return true;
      }
      if (w.to <= nanoTime) {
        return false;
      }
    }
    return false;
  }

  /**
   * The call {@code threadId} was making when it let a lock go at about {@code releasedAt}: its
   * last recorded call that ended between {@code since} and {@code releasedAt} (plus {@code
   * slackNanos}, for the clocks of two sources); null when none did.
   */
  SpanContext callEndedBetween(long threadId, long since, long releasedAt, long slackNanos) {
    Line line = lines.get(threadId);
    if (line == null) {
      return null;
    }
    for (int i = line.calls.size() - 1; i >= 0; i--) {
      Window w = line.calls.get(i);
      if (w.to != Long.MAX_VALUE
          && w.to <= releasedAt + slackNanos
          && w.to >= since - slackNanos
          && w.from < releasedAt) {
        return w.call;
      }
      if (w.to < since - slackNanos) {
        return null;
      }
    }
    return null;
  }

  /**
   * Drops what is older than the retention before the latest moment (keeping each thread's last
   * state before it), forgets threads idle since then, and shrinks the retention while more than
   * {@link #maxMoments} are kept.
   */
  void prune() {
    if (latest == Long.MIN_VALUE) {
      return;
    }
    long keep = retentionNanos;
    prune(latest - keep);
    while (moments > maxMoments && keep > 1_000_000L) {
      keep /= 2;
      prune(latest - keep);
    }
  }

  private void prune(long cutoff) {
    for (Iterator<Line> it = lines.values().iterator(); it.hasNext(); ) {
      Line line = it.next();
      int drop = 0;
      while (drop + 1 < line.states.size() && line.states.get(drop + 1).at <= cutoff) {
        drop++;
      }
      if (drop > 0) {
        line.states.subList(0, drop).clear();
        line.pruned = true;
        moments -= drop;
      }
      int calls = 0;
      while (calls < line.calls.size() && line.calls.get(calls).to <= cutoff) {
        calls++;
      }
      if (calls > 0) {
        line.calls.subList(0, calls).clear();
        moments -= calls;
      }
      State last = line.last();
      if (line.calls.isEmpty()
          && (last == null || last.kind != Kind.FLOW)
          && (last == null || last.at <= cutoff)) {
        moments -= line.states.size();
        it.remove();
      }
    }
    forgottenBefore = Math.max(forgottenBefore, cutoff);
  }

  /** Threads and moments kept, for tests and the benchmark. */
  int threads() {
    return lines.size();
  }

  int moments() {
    return moments;
  }
}
