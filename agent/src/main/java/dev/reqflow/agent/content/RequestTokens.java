package dev.reqflow.agent.content;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Where a request may carry a value an earlier response returned: the whole URL, its path and
 * query, path segments that look like ids (with a digit, or long), query values, header values (and
 * their long parts, as in {@code Bearer <token>}), and the values of a JSON or form body. Each
 * candidate goes to the sink as bytes, percent-decoded where the URL encodes them.
 */
public final class RequestTokens {
  /** A path segment without a digit is a resource's name ({@code orders}) unless this long. */
  static final int LONG_SEGMENT = 16;

  /** Parts of a header value shorter than this are words ({@code Bearer}), not tokens. */
  static final int LONG_PART = 8;

  /** Headers whose values describe the exchange, not the data: never a data dependency. */
  private static final Set<String> PROTOCOL_HEADERS =
      Set.of(
          "host",
          "user-agent",
          "accept",
          "accept-encoding",
          "accept-language",
          "accept-charset",
          "content-type",
          "content-length",
          "content-encoding",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "upgrade",
          "te",
          "expect",
          "cache-control",
          "pragma",
          "traceparent",
          "tracestate",
          "baggage");

  private RequestTokens() {}

  /**
   * Candidates of a URL ({@code scheme://host:port/path?query#fragment}). The URL's own characters
   * go to the sink as ranges of it where they need no decoding: a recorded call pays no copy.
   */
  public static void url(String url, TokenSink sink) {
    if (url == null || url.isEmpty()) {
      return;
    }
    // One pass over the URL instead of one per candidate: a URL of ASCII characters without an
    // escape (the usual one) needs neither check again for its parts.
    int plainAscii = plainAscii(url);
    boolean ascii = (plainAscii & ASCII) != 0;
    boolean plain = (plainAscii & PLAIN) != 0;
    range(url, 0, url.length(), sink, ascii);
    int scheme = url.indexOf("://");
    int pathStart = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
    if (pathStart < 0) {
      return;
    }
    int hash = url.indexOf('#', pathStart);
    int end = hash < 0 ? url.length() : hash;
    int q = url.indexOf('?', pathStart);
    if (q > end) {
      q = -1;
    }
    range(url, pathStart, end, sink, ascii);
    int pathEnd = q < 0 ? end : q;
    int i = pathStart + 1;
    while (i <= pathEnd) {
      int slash = url.indexOf('/', i);
      int segEnd = slash < 0 || slash > pathEnd ? pathEnd : slash;
      if (plain || isPlain(url, i, segEnd)) {
        if (isIdLike(url, i, segEnd)) {
          range(url, i, segEnd, sink, ascii);
        }
      } else {
        String segment = decode(url, i, segEnd);
        if (isIdLike(segment, 0, segment.length())) {
          whole(segment, sink);
        }
      }
      i = segEnd + 1;
    }
    if (q >= 0) {
      pairs(url, q + 1, end, sink, plain, ascii);
    }
  }

  private static final int ASCII = 1;
  private static final int PLAIN = 2;

  /** {@link #ASCII} when every character of {@code s} is, {@link #PLAIN} when it has no escape. */
  private static int plainAscii(String s) {
    int ascii = ASCII;
    int plain = PLAIN;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        ascii = 0;
      } else if (c == '%' || c == '+') {
        plain = 0;
      }
    }
    return ascii | plain;
  }

  /** A path segment that may be an id: with a digit, or long. */
  private static boolean isIdLike(String s, int from, int to) {
    int n = to - from;
    return n >= JsonTokens.MIN_LENGTH && (n >= LONG_SEGMENT || hasDigit(s, from, to));
  }

  /**
   * Candidates of header lines ({@code name: value}, one a line, as the advice writes them), except
   * the protocol's own headers.
   */
  public static void headers(byte[] b, int off, int len, TokenSink sink) {
    String text = new String(b, off, len, StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      if (PROTOCOL_HEADERS.contains(name)) {
        continue;
      }
      String value = line.substring(colon + 1).trim();
      if (value.length() >= JsonTokens.MIN_LENGTH) {
        whole(value, sink);
      }
      for (String part : value.split("[ ,;=]+")) {
        if (part.length() >= LONG_PART && !part.equals(value)) {
          whole(part, sink);
        }
      }
    }
  }

  /** Candidates of a form body ({@code a=1&b=2}): its values, decoded. */
  public static void form(byte[] b, int off, int len, TokenSink sink) {
    String text = new String(b, off, len, StandardCharsets.ISO_8859_1);
    pairs(text, 0, text.length(), sink, false, false);
  }

  /**
   * The values of {@code name=value} pairs in {@code s[from, to)}; {@code plain} and {@code ascii}
   * when the caller knows that no value has an escape or a character above 0x7f.
   */
  private static void pairs(
      String s, int from, int to, TokenSink sink, boolean plain, boolean ascii) {
    int i = from;
    while (i < to) {
      int amp = s.indexOf('&', i);
      int partEnd = amp < 0 || amp > to ? to : amp;
      int eq = s.indexOf('=', i);
      if (eq >= 0 && eq < partEnd) {
        if (plain || isPlain(s, eq + 1, partEnd)) {
          if (partEnd - (eq + 1) >= JsonTokens.MIN_LENGTH) {
            range(s, eq + 1, partEnd, sink, ascii);
          }
        } else {
          String value = decode(s, eq + 1, partEnd);
          if (value.length() >= JsonTokens.MIN_LENGTH) {
            whole(value, sink);
          }
        }
      }
      i = partEnd + 1;
    }
  }

  private static void whole(String s, TokenSink sink) {
    range(s, 0, s.length(), sink, false);
  }

  /**
   * The candidate {@code s[from, to)} as its UTF-8 bytes, if not longer than {@code
   * JsonTokens.MAX_LENGTH * 8} of them: given as a range of {@code s} when it is ASCII (its bytes
   * are its characters, which {@code ascii} says is known), encoded otherwise.
   */
  private static void range(String s, int from, int to, TokenSink sink, boolean ascii) {
    if (ascii || isAscii(s, from, to)) {
      if (to - from <= JsonTokens.MAX_LENGTH * 8) {
        sink.ascii(s, from, to);
      }
      return;
    }
    byte[] b = s.substring(from, to).getBytes(StandardCharsets.UTF_8);
    if (b.length <= JsonTokens.MAX_LENGTH * 8) {
      sink.token(b, 0, b.length);
    }
  }

  private static boolean isAscii(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code s[from, to)} decodes to itself: no {@code %} escape, no {@code +}. */
  private static boolean isPlain(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '+') {
        return false;
      }
    }
    return true;
  }

  private static boolean hasDigit(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  /** Percent-decodes {@code s[from, to)} as UTF-8; {@code +} is a space in query values. */
  static String decode(String s, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to && plain; i++) {
      char c = s.charAt(i);
      plain = c != '%' && c != '+';
    }
    if (plain) {
      return s.substring(from, to);
    }
    byte[] out = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < to && hex(s.charAt(i + 1)) >= 0) {
        int hi = hex(s.charAt(i + 1));
        int lo = hex(s.charAt(i + 2));
        if (lo >= 0) {
          out[n++] = (byte) (hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      out[n++] = c == '+' ? (byte) ' ' : (byte) c;
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
