package dev.reqflow.agent.recorder;

import java.util.Arrays;

/** Sets of calls as small arrays: what released a wait, what a callback follows. */
final class CallSets {

  /**
   * Links a span keeps: the SDK's default span limit. The calls behind a wait or a callback are
   * kept to one more than this, so that a cut can be told from a set that just fits.
   */
  static final int LINK_LIMIT = 128;

  private CallSets() {}

  /**
   * The calls of {@code a}, then those of {@code b} not in it, up to one past {@link #LINK_LIMIT}:
   * a wait on {@code allOf} of 100,000 calls must cost neither 100,000 links nor a quadratic merge
   * up the tree of its relays.
   */
  static CallRecord[] union(CallRecord[] a, CallRecord[] b) {
    if (a == null || a.length == 0) {
      return b;
    }
    if (b == null || b.length == 0 || a == b || a.length > LINK_LIMIT) {
      return a;
    }
    CallRecord[] out = Arrays.copyOf(a, Math.min(a.length + b.length, LINK_LIMIT + 1));
    int n = a.length;
    outer:
    for (CallRecord c : b) {
      if (n == out.length) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (out[i] == c) {
          continue outer;
        }
      }
      out[n++] = c;
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
