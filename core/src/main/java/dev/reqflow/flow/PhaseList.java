package dev.reqflow.flow;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of phases held as one array of times and the kinds packed in a long, instead of
 * a list of {@link Phase} objects: a million-span file has about four phases per call, and one
 * object per phase was a fifth of the objects its flows are made of (each one more for the
 * collector to trace). {@link #get} makes the {@link Phase} it returns; lists equal as lists of
 * phases are equal, whatever their class.
 */
public final class PhaseList extends AbstractList<Phase> implements RandomAccess {
  private static final PhaseKind[] KINDS = PhaseKind.values();
  private static final int BITS = 4;

  /** More phases than this (never seen: a call has at most one of each kind) are not packed. */
  private static final int MAX_PACKED = Long.SIZE / BITS;

  static {
    if (KINDS.length > 1 << BITS) {
      throw new AssertionError("phase kinds no longer fit in " + BITS + " bits");
    }
  }

  /** Start and end of each phase, epoch nanoseconds: {@code [s0, e0, s1, e1, ...]}. */
  private final long[] times;

  /** The ordinal of phase {@code i}'s kind in bits {@code [4i, 4i + 4)}. */
  private final long kinds;

  private PhaseList(long[] times, long kinds) {
    this.times = times;
    this.kinds = kinds;
  }

  /**
   * The phases, immutable and compact: the list itself when it is a {@code PhaseList}, {@code
   * List.of()} when empty.
   *
   * @throws NullPointerException when the list or a phase in it is null
   */
  public static List<Phase> copyOf(List<Phase> phases) {
    if (phases instanceof PhaseList) {
      return phases;
    }
    int n = phases.size();
    if (n == 0) {
      return List.of();
    }
    if (n > MAX_PACKED) {
      return List.copyOf(phases);
    }
    long[] times = new long[2 * n];
    long kinds = 0;
    for (int i = 0; i < n; i++) {
      Phase p = phases.get(i);
      times[2 * i] = p.startNanos();
      times[2 * i + 1] = p.endNanos();
      kinds |= (long) p.kind().ordinal() << (BITS * i);
    }
    return new PhaseList(times, kinds);
  }

  @Override
  public Phase get(int index) {
    if (index < 0 || 2 * index >= times.length) {
      throw new IndexOutOfBoundsException("phase " + index + " of " + size());
    }
    return new Phase(kind(index), times[2 * index], times[2 * index + 1]);
  }

  /** The kind of phase {@code index}, without making the phase. */
  PhaseKind kind(int index) {
    return KINDS[(int) (kinds >>> (BITS * index)) & ((1 << BITS) - 1)];
  }

  /** The duration of phase {@code index}, without making the phase. */
  long durationNanos(int index) {
    return times[2 * index + 1] - times[2 * index];
  }

  @Override
  public int size() {
    return times.length / 2;
  }
}
