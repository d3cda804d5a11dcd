package dev.reqflow.otlp;

import java.util.Base64;

/** Trace and span ids as lower-case hex, whatever the input spelled. */
final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  static String hex(byte[] bytes) {
    if (bytes.length == 0) {
      return "";
    }
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * An id from OTLP JSON: hex as the OTLP spec says (32 or 16 digits), or base64 as protobuf's
   * generic JSON mapping writes bytes (24 or 12 characters).
   */
  static String fromJson(String text) {
    if (text.isEmpty()) {
      return "";
    }
    if ((text.length() == 32 || text.length() == 16) && isHex(text)) {
      return text.toLowerCase(java.util.Locale.ROOT);
    }
    try {
      return hex(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("id '" + text + "' is neither hex nor base64");
    }
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
