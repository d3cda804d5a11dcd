package dev.reqflow.otlp;

import java.util.List;

/**
 * Finds a known name from characters in a parser's buffer without making a string of them: most
 * attribute keys in a trace are of no interest, and a million spans have tens of millions.
 */
final class NameTable {
  private final String[] slots;
  private final int mask;

  private NameTable(String[] slots) {
    this.slots = slots;
    this.mask = slots.length - 1;
  }

  static NameTable of(List<String> names) {
    int size = Integer.highestOneBit(Math.max(4, names.size() * 4) - 1) << 1;
    String[] slots = new String[size];
    for (String n : names) {
      int i = n.hashCode() & (size - 1);
      while (slots[i] != null && !slots[i].equals(n)) {
        i = (i + 1) & (size - 1);
      }
      slots[i] = n;
    }
    return new NameTable(slots);
  }

  /** The known name spelled by {@code chars[offset, offset + length)}, or null. */
  String lookup(char[] chars, int offset, int length) {
    int h = 0;
    for (int k = 0; k < length; k++) {
      h = 31 * h + chars[offset + k];
    }
    for (int i = h & mask; ; i = (i + 1) & mask) {
      String s = slots[i];
      if (s == null) {
        return null;
      }
      if (s.length() == length && matches(s, chars, offset)) {
        return s;
      }
    }
  }

  /**
   * The known name spelled by the UTF-8 bytes {@code bytes[offset, offset + length)}, or null.
   * Known names are ASCII, whose bytes are their characters: a byte above 0x7f matches none.
   */
  String lookup(byte[] bytes, int offset, int length) {
    int h = 0;
    for (int k = 0; k < length; k++) {
      h = 31 * h + (bytes[offset + k] & 0xff);
    }
    for (int i = h & mask; ; i = (i + 1) & mask) {
      String s = slots[i];
      if (s == null) {
        return null;
      }
      if (s.length() == length && matches(s, bytes, offset)) {
        return s;
      }
    }
  }

  private static boolean matches(String s, byte[] bytes, int offset) {
    for (int k = 0; k < s.length(); k++) {
      if (s.charAt(k) != (bytes[offset + k] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(String s, char[] chars, int offset) {
    for (int k = 0; k < s.length(); k++) {
      if (s.charAt(k) != chars[offset + k]) {
        return false;
      }
    }
    return true;
  }
}
