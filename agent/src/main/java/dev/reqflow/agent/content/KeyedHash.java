package dev.reqflow.agent.content;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012: a keyed 64-bit hash made for short inputs) with a key
 * drawn at random when the agent starts and never written anywhere. Request values and response
 * tokens are compared through it in the process; a hash that leaves the process (the request hash
 * on a call span) cannot be matched against guessed values by anyone without the key, and means
 * nothing in another process.
 *
 * <p>Streaming: {@link #start()} gives a {@link State} that takes bytes in pieces. Not thread-safe
 * per state; the key is immutable.
 */
public final class KeyedHash {
  private final long k0;
  private final long k1;

  /** A hash with a fresh random key. */
  public KeyedHash() {
    this(new SecureRandom());
  }

  KeyedHash(SecureRandom random) {
    this(random.nextLong(), random.nextLong());
  }

  /** A hash with this key: for tests, which need the same hash twice. */
  KeyedHash(long k0, long k1) {
    this.k0 = k0;
    this.k1 = k1;
  }

  /** The hash of {@code len} bytes of {@code b} from {@code off}. */
  public long hash(byte[] b, int off, int len) {
    State s = start();
    s.update(b, off, len);
    return s.finish();
  }

  public State start() {
    return new State(k0, k1);
  }

  private final ThreadLocal<State> scratch = new ThreadLocal<>();

  /**
   * A state of this hash for the current thread's short use, reset: for hashing that starts and
   * finishes within one call on one thread (a request's URL tokens), without a state made per call.
   * Not to be kept, nor used again before that use finished.
   */
  public State scratch() {
    State s = scratch.get();
    if (s == null) {
      s = start();
      scratch.set(s);
    }
    return s.reset();
  }

  /** Eight bytes of an array as one little-endian word: SipHash's message word. */
  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** One hash being computed; reusable after {@link #reset()}. */
  public static final class State {
    private final long k0;
    private final long k1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;
    private long pending;
    private int pendingBytes;
    private long length;

    /** Characters of {@link #updateAscii} as bytes, a piece at a time; made on its first use. */
    private byte[] chars;

    private static final int CHUNK = 64;

    State(long k0, long k1) {
      this.k0 = k0;
      this.k1 = k1;
      reset();
    }

    public State reset() {
      v0 = k0 ^ 0x736f6d6570736575L;
      v1 = k1 ^ 0x646f72616e646f6dL;
      v2 = k0 ^ 0x6c7967656e657261L;
      v3 = k1 ^ 0x7465646279746573L;
      pending = 0;
      pendingBytes = 0;
      length = 0;
      return this;
    }

    /** Bytes a word at a time once the pending bytes are a whole word: as one at a time. */
    public State update(byte[] b, int off, int len) {
      int i = off;
      int end = off + len;
      while (i < end && pendingBytes != 0) {
        update(b[i++]);
      }
      for (; i + 8 <= end; i += 8) {
        compress((long) WORDS.get(b, i));
        length += 8;
      }
      while (i < end) {
        update(b[i++]);
      }
      return this;
    }

    /**
     * The characters {@code s[from, to)}, one byte each (the low byte): for a range whose
     * characters are all below 0x80 these are its UTF-8 bytes, so it hashes as {@code
     * update(bytes)} of its UTF-8 encoding would, without encoding it (a recorded call hashes its
     * URL's tokens). Copied a piece at a time into a buffer of this state and hashed a word at a
     * time: for a Latin-1 string the copy is an array copy, where a character at a time took the
     * larger part of a recorded call's hashing.
     */
    @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) keeps the low byte: wanted
    public State updateAscii(String s, int from, int to) {
      byte[] buf = chars;
      if (buf == null) {
        buf = new byte[CHUNK];
        chars = buf;
      }
      for (int i = from; i < to; ) {
        int n = Math.min(CHUNK, to - i);
        s.getBytes(i, i + n, buf, 0);
        update(buf, 0, n);
        i += n;
      }
      return this;
    }

    public State update(byte b) {
      pending |= (b & 0xffL) << (8 * pendingBytes);
      length++;
      if (++pendingBytes == 8) {
        compress(pending);
        pending = 0;
        pendingBytes = 0;
      }
      return this;
    }

    /**
     * A string's characters as UTF-16 code units, two bytes each (low byte first): no encoder, no
     * allocation. Four characters at a time once the pending bytes are a whole word: the same bytes
     * as one at a time, a fraction of the work (a recorded call hashes its URL's tokens).
     */
    public State update(CharSequence s) {
      int n = s.length();
      int i = 0;
      while (i < n && pendingBytes != 0) {
        char c = s.charAt(i++);
        update((byte) c);
        update((byte) (c >>> 8));
      }
      for (; i + 4 <= n; i += 4) {
        long m =
            (s.charAt(i) & 0xffffL)
                | (s.charAt(i + 1) & 0xffffL) << 16
                | (s.charAt(i + 2) & 0xffffL) << 32
                | (s.charAt(i + 3) & 0xffffL) << 48;
        compress(m);
        length += 8;
      }
      for (; i < n; i++) {
        char c = s.charAt(i);
        update((byte) c);
        update((byte) (c >>> 8));
      }
      return this;
    }

    private void compress(long m) {
      v3 ^= m;
      round();
      round();
      v0 ^= m;
    }

    private void round() {
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13);
      v1 ^= v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16);
      v3 ^= v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21);
      v3 ^= v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17);
      v1 ^= v2;
      v2 = Long.rotateLeft(v2, 32);
    }

    /** The hash of everything given since the start; the state must be reset before reuse. */
    public long finish() {
      long m = pending | ((length & 0xffL) << 56);
      compress(m);
      v2 ^= 0xff;
      round();
      round();
      round();
      round();
      return v0 ^ v1 ^ v2 ^ v3;
    }
  }
}
