package dev.reqflow.agent.recorder;

import io.opentelemetry.api.trace.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ends of the spans of traces whose sampling is decided when their flows end ({@code
 * keep.slow}, {@code keep.slower}). The flows of one trace in this JVM (a page and the backend it
 * calls in the same process) are decided together, so that a trace is exported whole or not at all.
 * Per trace id, one entry: its running flows, its state and its held spans.
 *
 * <ul>
 *   <li>{@code OPEN}: no flow of it kept yet. A span of it that ends is held, not ended.
 *   <li>{@code KEPT}: a flow of it was sampled in at its start, or one that was not was kept at its
 *       end (slow, failed): its held spans end then, with their own end times; later spans end at
 *       once. Flows that join it record their spans as kept ones.
 *   <li>{@code DROPPED}: the last running flow of an OPEN trace ended, none kept: its held spans
 *       are let go unended, never exported, and so are spans of it that end later (a call that
 *       outlives its flow) for {@link #TOMBSTONE_NANOS}, at most {@link #MAX_TOMBSTONES} traces.
 * </ul>
 *
 * A trace whose entry is done (dropped, or kept with no flow running) and gets a new flow starts
 * afresh. Flows that ended undecided with no reason of their own are counted when their trace is
 * decided: exported with their trace, or not exported ({@link FlowSampling}). Bounded: at most
 * {@link #limit} spans held in all, past which a span is dropped and counted ({@link
 * #droppedFull}); entries live while a flow of them runs, then as tombstones.
 */
final class HeldSpans {
  static final long TOMBSTONE_NANOS = 30_000_000_000L;
  static final int MAX_TOMBSTONES = 4096;

  private static final int OPEN = 0;
  private static final int KEPT = 1;
  private static final int DROPPED = 2;

  /** One trace's entry: its running flows, state and held spans. Guarded by itself. */
  static final class Trace {
    private final String traceId;
    private final List<Span> spans = new ArrayList<>();
    private long[] ends = new long[8];
    private int running = 1;
    private int state;

    /** Flows of it that ended with no reason of their own to be kept, awaiting its decision. */
    private int waiting;

    /** Dropped, or kept with no flow running: a new flow of the trace starts a new entry. */
    private boolean done;

    private long droppedNanos;

    Trace(String traceId, int state) {
      this.traceId = traceId;
      this.state = state;
    }
  }

  private final ConcurrentHashMap<String, Trace> byTrace = new ConcurrentHashMap<>();
  private final ArrayDeque<Trace> tombstones = new ArrayDeque<>();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicLong droppedFull = new AtomicLong();

  /**
   * Spans recorded and never exported because their trace was dropped: held until then, or ended
   * after it (its tombstone). What {@code keep.slow} recorded only to let go, for the exit line.
   */
  private final AtomicLong letGo = new AtomicLong();

  private final int limit;
  private final Clock clock;
  private final FlowSampling counts;

  /** Entries in the map: while 0, the fast path reads this alone. */
  private final AtomicInteger entries = new AtomicInteger();

  HeldSpans(int limit, Clock clock, FlowSampling counts) {
    this.limit = limit;
    this.clock = clock;
    this.counts = counts;
  }

  /**
   * A flow of {@code traceId} starts: sampled in ({@code kept}: the trace is kept, its held spans
   * end with {@code writer}) or undecided (it joins the trace's entry). Returns the entry, for
   * {@link #flowEnded}.
   */
  Trace flowStarted(String traceId, boolean kept, SpanWriter writer) {
    int state = kept ? KEPT : OPEN;
    Trace[] keptNow = new Trace[1];
    Trace t =
        byTrace.compute(
            traceId,
            (k, v) -> {
              if (v == null) {
                entries.incrementAndGet();
                return new Trace(k, state);
              }
              synchronized (v) {
                if (v.done) {
                  return new Trace(k, state);
                }
                v.running++;
                if (kept && v.state == OPEN) {
                  keptNow[0] = v;
                }
              }
              return v;
            });
    if (keptNow[0] != null) {
      keep(keptNow[0], writer);
    }
    return t;
  }

  /**
   * Holds the end of {@code span} at {@code endNanos} if its trace is undecided, or drops it if its
   * trace was dropped; true in both cases (the caller must not end it). False: end it now.
   */
  boolean hold(Span span, long endNanos) {
    if (entries.get() == 0) {
      return false;
    }
    Trace t = byTrace.get(span.getSpanContext().getTraceId());
    if (t == null) {
      return false;
    }
    synchronized (t) {
      if (t.state == KEPT) {
        return false;
      }
      if (t.state == DROPPED) {
        letGo.incrementAndGet();
        return true;
      }
      if (held.incrementAndGet() > limit) {
        held.decrementAndGet();
        droppedFull.incrementAndGet();
        return true;
      }
      int i = t.spans.size();
      if (i == t.ends.length) {
        t.ends = Arrays.copyOf(t.ends, i * 2);
      }
      t.spans.add(span);
      t.ends[i] = endNanos;
      return true;
    }
  }

  /**
   * A flow of {@code t} ended: {@code kept} when sampled in at its start or kept by its own end
   * (the trace is kept); otherwise it waits for its trace, which is dropped if no other flow of it
   * runs.
   */
  void flowEnded(Trace t, boolean kept, SpanWriter writer) {
    boolean keepNow = false;
    boolean dropNow = false;
    boolean remove = false;
    synchronized (t) {
      t.running--;
      if (kept) {
        keepNow = t.state == OPEN;
      } else if (t.state == KEPT) {
        counts.exportedWithTrace(1);
      } else if (t.state == OPEN) {
        t.waiting++;
        dropNow = t.running <= 0;
      } else {
        // Not reached: a trace with a running flow is not dropped. Counted so the sums still hold.
        counts.notExported(1);
      }
      if (t.running <= 0 && t.state == KEPT && !keepNow) {
        t.done = true;
        remove = true;
      }
    }
    if (keepNow) {
      keep(t, writer);
      synchronized (t) {
        if (t.running <= 0 && !t.done) {
          t.done = true;
          remove = true;
        }
      }
    }
    if (remove && byTrace.remove(t.traceId, t)) {
      entries.decrementAndGet();
    }
    if (dropNow) {
      drop(t);
    }
  }

  /** At exit: every trace still open is kept (one with a flow open at exit is one to look at). */
  void keepAll(SpanWriter writer) {
    for (Trace t : new ArrayList<>(byTrace.values())) {
      keep(t, writer);
    }
  }

  /** {@code t} is kept: its held spans end with their own times, its waiting flows are exported. */
  private void keep(Trace t, SpanWriter writer) {
    List<Span> spans;
    long[] ends;
    synchronized (t) {
      if (t.state != OPEN) {
        return;
      }
      t.state = KEPT;
      spans = new ArrayList<>(t.spans);
      ends = t.ends;
      t.spans.clear();
      t.ends = new long[0];
      held.addAndGet(-spans.size());
      counts.exportedWithTrace(t.waiting);
      t.waiting = 0;
    }
    for (int i = 0; i < spans.size(); i++) {
      writer.endNow(spans.get(i), ends[i]);
    }
  }

  private void drop(Trace t) {
    synchronized (t) {
      if (t.state != OPEN || t.running > 0) {
        return;
      }
      t.state = DROPPED;
      t.done = true;
      held.addAndGet(-t.spans.size());
      letGo.addAndGet(t.spans.size());
      t.spans.clear();
      t.ends = new long[0];
      counts.notExported(t.waiting);
      t.waiting = 0;
    }
    long now = clock.nanoTime();
    synchronized (tombstones) {
      t.droppedNanos = now;
      tombstones.addLast(t);
      while (!tombstones.isEmpty()
          && (tombstones.size() > MAX_TOMBSTONES
              || now - tombstones.peekFirst().droppedNanos > TOMBSTONE_NANOS)) {
        Trace old = tombstones.pollFirst();
        if (byTrace.remove(old.traceId, old)) {
          entries.decrementAndGet();
        }
      }
    }
  }

  /** Spans dropped because the hold was full. */
  long droppedFull() {
    return droppedFull.get();
  }

  /** Spans recorded and let go with their dropped trace (held, or ended after it was dropped). */
  long letGo() {
    return letGo.get();
  }
}
