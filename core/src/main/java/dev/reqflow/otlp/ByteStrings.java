package dev.reqflow.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strings read from bytes, shared through an {@link Interner}, without decoding them again when the
 * last string of the same hash slot had the same bytes: a million spans repeat few names (span
 * names, threads, hosts, methods), and most of them are met again and again in a row. Not
 * thread-safe: one per reader.
 */
final class ByteStrings {
  /** Longer strings are decoded and interned without the cache. */
  private static final int CACHED_BYTES = 128;

  private static final int SLOTS = 4096;

  private final Interner interner;
  private final byte[][] bytes = new byte[SLOTS][];
  private final String[] strings = new String[SLOTS];

  ByteStrings(Interner interner) {
    this.interner = interner;
  }

  /** The UTF-8 bytes {@code buf[pos, pos + len)} as a string, interned. */
  String get(byte[] buf, int pos, int len) {
    if (len > CACHED_BYTES) {
      return interner.intern(new String(buf, pos, len, StandardCharsets.UTF_8));
    }
    int h = len;
    for (int k = 0; k < len; k++) {
      h = 31 * h + buf[pos + k];
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    byte[] known = bytes[slot];
    if (known != null && known.length == len && Arrays.equals(known, 0, len, buf, pos, pos + len)) {
      return strings[slot];
    }
    String s = interner.intern(new String(buf, pos, len, StandardCharsets.UTF_8));
    bytes[slot] = Arrays.copyOfRange(buf, pos, pos + len);
    strings[slot] = s;
    return s;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final int ID_SLOTS = 1024;
  private final String[] ids = new String[ID_SLOTS];

  /**
   * A span id: {@code buf[pos, pos + len)} as lower-case hex when {@code raw} (protobuf's bytes),
   * else as the ASCII hex it already is (JSON's, checked by the caller). The same String as the
   * last id of its slot when they are equal: the spans of a trace name their parent again and
   * again, and a flow span often comes after its children, whose parent it is. Not interned: ids
   * are many and mostly unique.
   */
  String id(byte[] buf, int pos, int len, boolean raw) {
    int h = len;
    for (int k = 0; k < len; k++) {
      h = 31 * h + buf[pos + k];
    }
    int slot = (h ^ (h >>> 16)) & (ID_SLOTS - 1);
    String known = ids[slot];
    if (known != null && sameId(known, buf, pos, len, raw)) {
      return known;
    }
    String s;
    if (raw) {
      char[] out = new char[len * 2];
      for (int k = 0; k < len; k++) {
        byte b = buf[pos + k];
        out[2 * k] = HEX[(b >> 4) & 0xf];
        out[2 * k + 1] = HEX[b & 0xf];
      }
      s = new String(out);
    } else {
      s = new String(buf, pos, len, StandardCharsets.ISO_8859_1);
    }
    ids[slot] = s;
    return s;
  }

  private static boolean sameId(String known, byte[] buf, int pos, int len, boolean raw) {
    if (known.length() != (raw ? 2 * len : len)) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      byte b = buf[pos + k];
      if (raw
          ? known.charAt(2 * k) != HEX[(b >> 4) & 0xf] || known.charAt(2 * k + 1) != HEX[b & 0xf]
          : known.charAt(k) != b) {
        return false;
      }
    }
    return true;
  }

  /** A string made otherwise (unescaped), interned. */
  String intern(String s) {
    return interner.intern(s);
  }
}
