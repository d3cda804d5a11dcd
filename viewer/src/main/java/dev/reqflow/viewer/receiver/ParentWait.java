package dev.reqflow.viewer.receiver;

import com.google.protobuf.ByteString;
import java.util.Arrays;

/**
 * The parents a trace's spans name that have not arrived yet. A call, wait or section whose parent
 * is missing cannot be placed in its flow: assembled now, it would be repaired into another flow of
 * the trace (core's {@code FlowAssembler}: "spans whose parent is missing were attached"), or left
 * out. Flow spans are exempt: a called service's flow names its caller's call as parent, which
 * another process exports, and is a flow without it. Span ids are kept as longs (W3C span ids are 8
 * bytes) in an open-addressing table, about 16 bytes a span, since the receiver keeps one per trace
 * for as long as it keeps the trace. Not thread-safe: guarded by its trace's lock.
 */
final class ParentWait {
  private long[] seen = new long[16];
  private int seenCount;
  private boolean zeroSeen;
  private long[] missing = new long[0];

  /**
   * Adds a span: its id, and its parent's when the span must be placed under it ({@code parent}
   * empty for flow spans and roots).
   */
  void add(ByteString spanId, ByteString parent) {
    long id = key(spanId);
    addSeen(id);
    removeMissing(id);
    if (!parent.isEmpty()) {
      long p = key(parent);
      if (!contains(p)) {
        addMissing(p);
      }
    }
  }

  /** True while some span's parent has not arrived. */
  boolean missing() {
    return missing.length > 0;
  }

  /** An id as a long: its 8 bytes, or a hash of other lengths (a clash only skips a wait). */
  private static long key(ByteString id) {
    long k = 0;
    if (id.size() == 8) {
      for (int i = 0; i < 8; i++) {
        k = (k << 8) | (id.byteAt(i) & 0xff);
      }
      return k;
    }
    return id.hashCode();
  }

  private static int slot(long k, int mask) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private boolean contains(long k) {
    if (k == 0) {
      return zeroSeen;
    }
    int mask = seen.length - 1;
    for (int i = slot(k, mask); ; i = (i + 1) & mask) {
      if (seen[i] == k) {
        return true;
      }
      if (seen[i] == 0) {
        return false;
      }
    }
  }

  private void addSeen(long k) {
    if (k == 0) {
      zeroSeen = true;
      return;
    }
    if (contains(k)) {
      return;
    }
    if ((seenCount + 1) * 2 > seen.length) {
      long[] old = seen;
      seen = new long[old.length * 2];
      seenCount = 0;
      for (long o : old) {
        if (o != 0) {
          put(o);
        }
      }
    }
    put(k);
  }

  private void put(long k) {
    int mask = seen.length - 1;
    int i = slot(k, mask);
    while (seen[i] != 0) {
      i = (i + 1) & mask;
    }
    seen[i] = k;
    seenCount++;
  }

  private void addMissing(long k) {
    for (long m : missing) {
      if (m == k) {
        return;
      }
    }
    missing = Arrays.copyOf(missing, missing.length + 1);
    missing[missing.length - 1] = k;
  }

  private void removeMissing(long k) {
    for (int i = 0; i < missing.length; i++) {
      if (missing[i] == k) {
        long[] rest = new long[missing.length - 1];
        System.arraycopy(missing, 0, rest, 0, i);
        System.arraycopy(missing, i + 1, rest, i, rest.length - i);
        missing = rest;
        return;
      }
    }
  }
}
