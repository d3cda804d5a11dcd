package dev.reqflow.agent.recorder;

import io.opentelemetry.api.trace.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ends of the spans of flows whose sampling is decided when they end ({@code keep.slow}): a
 * span of such a flow that ends is held, not ended, until its flow's decision; then ended with its
 * own end time (kept) or let go unended, never exported (dropped). A span that ends after its flow
 * was dropped is dropped too; after it was kept, it ends at once. Keyed by trace id: the flow's and
 * its children's. Bounded: at most {@link #limit} spans held in all, past which a span is dropped
 * and counted ({@link #droppedFull}); a dropped flow is remembered {@link #TOMBSTONE_NANOS} for its
 * late spans, at most {@link #MAX_TOMBSTONES} of them.
 */
final class HeldSpans {
  static final long TOMBSTONE_NANOS = 30_000_000_000L;
  static final int MAX_TOMBSTONES = 4096;

  private static final int OPEN = 0;
  private static final int KEPT = 1;
  private static final int DROPPED = 2;

  /** The spans of one trace's undecided flows. */
  static final class Pending {
    private final String traceId;
    private final List<Span> spans = new ArrayList<>();
    private long[] ends = new long[8];
    private int flows = 1;
    private int state = OPEN;
    private long droppedNanos;

    Pending(String traceId) {
      this.traceId = traceId;
    }
  }

  private final ConcurrentHashMap<String, Pending> byTrace = new ConcurrentHashMap<>();
  private final ArrayDeque<Pending> tombstones = new ArrayDeque<>();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicLong droppedFull = new AtomicLong();
  private final int limit;
  private final Clock clock;

  /** Traces pending or remembered: while 0, the fast path reads this alone. */
  private final AtomicInteger entries = new AtomicInteger();

  HeldSpans(int limit, Clock clock) {
    this.limit = limit;
    this.clock = clock;
  }

  /** A flow of {@code traceId} starts undecided: its spans' ends are held from now on. */
  Pending open(String traceId) {
    Pending p =
        byTrace.compute(
            traceId,
            (k, v) -> {
              if (v == null) {
                entries.incrementAndGet();
                return new Pending(k);
              }
              if (v.state != OPEN) {
                return new Pending(k);
              }
              synchronized (v) {
                v.flows++;
              }
              return v;
            });
    return p;
  }

  /**
   * Holds the end of {@code span} at {@code endNanos} if its trace is undecided, or drops it if its
   * flow was dropped; true in both cases (the caller must not end it). False: end it now.
   */
  boolean hold(Span span, long endNanos) {
    if (entries.get() == 0) {
      return false;
    }
    Pending p = byTrace.get(span.getSpanContext().getTraceId());
    if (p == null) {
      return false;
    }
    synchronized (p) {
      if (p.state == KEPT) {
        return false;
      }
      if (p.state == DROPPED) {
        return true;
      }
      if (held.incrementAndGet() > limit) {
        held.decrementAndGet();
        droppedFull.incrementAndGet();
        return true;
      }
      int i = p.spans.size();
      if (i == p.ends.length) {
        p.ends = java.util.Arrays.copyOf(p.ends, i * 2);
      }
      p.spans.add(span);
      p.ends[i] = endNanos;
      return true;
    }
  }

  /**
   * One of {@code p}'s flows ended, kept or not: kept, its held spans end now (with their own end
   * times, through {@code writer}); dropped and no other flow of the trace undecided, they are let
   * go.
   */
  void decide(Pending p, boolean keep, SpanWriter writer) {
    List<Span> spans;
    long[] ends;
    synchronized (p) {
      if (p.state != OPEN) {
        return;
      }
      if (!keep && --p.flows > 0) {
        return;
      }
      p.state = keep ? KEPT : DROPPED;
      spans = new ArrayList<>(p.spans);
      ends = p.ends;
      p.spans.clear();
      p.ends = new long[0];
      held.addAndGet(-spans.size());
    }
    if (keep) {
      if (byTrace.remove(p.traceId, p)) {
        entries.decrementAndGet();
      }
      for (int i = 0; i < spans.size(); i++) {
        writer.endNow(spans.get(i), ends[i]);
      }
    } else {
      remember(p);
    }
  }

  /** At exit: every undecided flow is kept (one still open at exit is one to look at). */
  void keepAll(SpanWriter writer) {
    for (Pending p : new ArrayList<>(byTrace.values())) {
      decide(p, true, writer);
    }
  }

  private void remember(Pending p) {
    long now = clock.nanoTime();
    synchronized (tombstones) {
      p.droppedNanos = now;
      tombstones.addLast(p);
      while (!tombstones.isEmpty()
          && (tombstones.size() > MAX_TOMBSTONES
              || now - tombstones.peekFirst().droppedNanos > TOMBSTONE_NANOS)) {
        Pending old = tombstones.pollFirst();
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
}
