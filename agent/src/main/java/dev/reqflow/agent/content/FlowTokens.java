package dev.reqflow.agent.content;

/**
 * What one flow has seen, as keyed hashes only: the tokens its responses returned, each with the
 * call that returned it first, and the tokens its requests (and its own inbound request) carried. A
 * token a request carried before any response returned it came from elsewhere (the page's request,
 * the code): a response that echoes it later is not where a later request got it from.
 *
 * <p>Bounded: at most {@link #MAX_TOKENS} of each kind; past that, new ones are not kept and {@link
 * #cut()} says so (a later request may then miss a data dependency). Thread-safe: a flow's
 * responses are read on several threads.
 */
public final class FlowTokens {
  public static final int MAX_TOKENS = 4096;

  private long[] returnedKeys = new long[16];
  private Object[] returnedBy = new Object[16];
  private int returned;
  private long[] seenKeys = new long[16];
  private int seen;
  private boolean cut;
  private boolean closed;

  /**
   * A request of the flow carries this token: the call whose response returned it first, or null
   * (as {@link #source}), and the token is {@linkplain #seen seen} from now on. One lock for both.
   */
  public synchronized Object carried(long token) {
    Object source = source(token);
    seen(token);
    return source;
  }

  /** A request of the flow carried this token. */
  public synchronized void seen(long token) {
    if (closed || indexOf(seenKeys, token) >= 0) {
      return;
    }
    if (seen >= MAX_TOKENS) {
      cut = true;
      return;
    }
    if (seen * 2 >= seenKeys.length) {
      seenKeys = rehash(seenKeys, null, null);
    }
    insert(seenKeys, null, token, null);
    seen++;
  }

  /**
   * A response of {@code call} returned this token: it becomes the token's source unless a request
   * had carried it already, or an earlier response returned it.
   */
  public synchronized void returned(long token, Object call) {
    if (closed || indexOf(seenKeys, token) >= 0 || indexOf(returnedKeys, token) >= 0) {
      return;
    }
    if (returned >= MAX_TOKENS) {
      cut = true;
      return;
    }
    if (returned * 2 >= returnedKeys.length) {
      Object[][] values = {null};
      returnedKeys = rehash(returnedKeys, returnedBy, values);
      returnedBy = values[0];
    }
    insert(returnedKeys, returnedBy, token, call);
    returned++;
  }

  /** The call whose response first returned this token, or null. */
  public synchronized Object source(long token) {
    int i = indexOf(returnedKeys, token);
    return i < 0 ? null : returnedBy[i];
  }

  /**
   * The flow ended: what it held is let go (calls that outlive their flow may still report), and
   * nothing more is kept.
   */
  public synchronized void close() {
    closed = true;
    returnedKeys = new long[1];
    returnedBy = new Object[1];
    seenKeys = new long[1];
  }

  /** True when a bound turned tokens away. */
  public synchronized boolean cut() {
    return cut;
  }

  // Open addressing over longs; 0 marks a free slot, so the hash 0 is stored as 1.

  private static long key(long token) {
    return token == 0 ? 1 : token;
  }

  private static int indexOf(long[] keys, long token) {
    long k = key(token);
    int mask = keys.length - 1;
    for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == k) {
        return i;
      }
      if (keys[i] == 0) {
        return -1;
      }
    }
  }

  private static void insert(long[] keys, Object[] values, long token, Object value) {
    long k = key(token);
    int mask = keys.length - 1;
    int i = mix(k) & mask;
    while (keys[i] != 0) {
      i = (i + 1) & mask;
    }
    keys[i] = k;
    if (values != null) {
      values[i] = value;
    }
  }

  private static long[] rehash(long[] keys, Object[] values, Object[][] newValues) {
    long[] k2 = new long[keys.length * 2];
    Object[] v2 = values == null ? null : new Object[keys.length * 2];
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0) {
        int mask = k2.length - 1;
        int j = mix(keys[i]) & mask;
        while (k2[j] != 0) {
          j = (j + 1) & mask;
        }
        k2[j] = keys[i];
        if (v2 != null) {
          v2[j] = values[i];
        }
      }
    }
    if (newValues != null) {
      newValues[0] = v2;
    }
    return k2;
  }

  private static int mix(long k) {
    return (int) (k ^ (k >>> 32));
  }

  @Override
  public synchronized String toString() {
    return "FlowTokens{returned=" + returned + ", seen=" + seen + ", cut=" + cut + "}";
  }
}
