package dev.reqflow.agent.content;

/** Receives tokens as byte ranges; the bytes are only valid during the call. */
@FunctionalInterface
public interface TokenSink {
  void token(byte[] b, int off, int len);

  /**
   * The token {@code s[from, to)}, whose characters are all below 0x80: its UTF-8 bytes are its
   * characters. A sink that hashes can take them without the copy this default makes.
   */
  default void ascii(String s, int from, int to) {
    byte[] b = new byte[to - from];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) s.charAt(from + i);
    }
    token(b, 0, b.length);
  }
}
