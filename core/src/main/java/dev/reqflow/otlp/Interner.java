package dev.reqflow.otlp;

import java.util.HashMap;
import java.util.Map;

/**
 * Shares equal strings read from one input: a million spans repeat few names. Either a map of every
 * string seen (one reader's, not thread-safe) or, {@link #bounded}, a fixed table that remembers
 * the last string of each hash slot (shared by many assemblers on many threads).
 */
final class Interner {
  private final Map<String, String> seen;
  private final String[] slots;

  Interner() {
    seen = new HashMap<>();
    slots = null;
  }

  private Interner(int slots) {
    seen = null;
    this.slots = new String[slots];
  }

  /**
   * A table of {@code slots} strings (a power of two), thread-safe: a string is shared when the
   * last one interned in its slot is equal. It never grows, so that the ids in a live session's
   * unending stream of spans do not pile up in it, while the names that recur stay shared.
   */
  static Interner bounded(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    return new Interner(slots);
  }

  String intern(String s) {
    if (s == null) {
      return null;
    }
    if (slots != null) {
      int h = s.hashCode();
      int i = (h ^ (h >>> 16)) & (slots.length - 1);
      // A racy read is safe: a String read through a race is whole (its fields are final), and it
      // is only returned when equal to s.
      String known = slots[i];
      if (s.equals(known)) {
        return known;
      }
      slots[i] = s;
      return s;
    }
    String prior = seen.putIfAbsent(s, s);
    return prior == null ? s : prior;
  }
}
