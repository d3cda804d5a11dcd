package dev.reqflow.otlp;

import dev.reqflow.contract.TraceContract;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads OTLP JSON straight from the bytes of a file part, giving the spans {@link OtlpJsonReader}
 * gives, several times faster: keys are matched as bytes, known names found without making a
 * string, ids written as hex from their bytes, repeated strings shared without decoding them again.
 * Opening a million-span file is mostly this. It reads OTLP JSON as the specification and the
 * Collector write it (lowerCamelCase keys, hex ids, enums as names or numbers, 64-bit integers as
 * strings or numbers, any escapes); anything else (snake_case keys, a bare {@code ResourceSpans},
 * base64 ids, JSON it cannot vouch for) makes it give the part up with {@link Unhandled}, and the
 * caller reads that part with {@link OtlpJsonReader}, which knows every spelling and names errors
 * by line. Not thread-safe: one per part.
 */
final class OtlpJsonBytesReader {
  /** The part is not read here; read it with {@link OtlpJsonReader}. Carries no stack trace. */
  static final class Unhandled extends Exception {
    private static final long serialVersionUID = 1L;

    private Unhandled() {
      super("not read by the byte reader", null, false, false);
    }
  }

  private static final Unhandled UNHANDLED = new Unhandled();

  /** Deeper values are left to Jackson, which has its own limit. */
  private static final int MAX_DEPTH = 200;

  private static final byte[] RESOURCE_SPANS = bytes("resourceSpans");
  private static final byte[] RESOURCE = bytes("resource");
  private static final byte[] SCOPE_SPANS = bytes("scopeSpans");
  private static final byte[] LIBRARY_SPANS = bytes("instrumentationLibrarySpans");
  private static final byte[] ATTRIBUTES = bytes("attributes");
  private static final byte[] SCOPE = bytes("scope");
  private static final byte[] NAME = bytes("name");
  private static final byte[] SPANS = bytes("spans");
  private static final byte[] TRACE_ID = bytes("traceId");
  private static final byte[] SPAN_ID = bytes("spanId");
  private static final byte[] PARENT_SPAN_ID = bytes("parentSpanId");
  private static final byte[] KIND = bytes("kind");
  private static final byte[] START = bytes("startTimeUnixNano");
  private static final byte[] END = bytes("endTimeUnixNano");
  private static final byte[] EVENTS = bytes("events");
  private static final byte[] LINKS = bytes("links");
  private static final byte[] TIME = bytes("timeUnixNano");
  private static final byte[] KEY = bytes("key");
  private static final byte[] VALUE = bytes("value");
  private static final byte[] STRING_VALUE = bytes("stringValue");
  private static final byte[] INT_VALUE = bytes("intValue");
  private static final byte[] BOOL_VALUE = bytes("boolValue");
  private static final byte[] DOUBLE_VALUE = bytes("doubleValue");
  private static final byte[] ARRAY_VALUE = bytes("arrayValue");
  private static final byte[] VALUES = bytes("values");

  /** Bytes a string's scan stops at: its end, escapes, control characters, UTF-8, '_'. */
  private static final boolean[] SPECIAL = new boolean[256];

  static {
    for (int c = 0; c < 0x20; c++) {
      SPECIAL[c] = true;
    }
    for (int c = 0x80; c < 0x100; c++) {
      SPECIAL[c] = true;
    }
    SPECIAL['"'] = true;
    SPECIAL['\\'] = true;
    SPECIAL['_'] = true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private final ByteStrings strings;
  private byte[] b;
  private int i;
  private int end;
  private long line;

  /** Line feeds seen, as {@link ParallelJsonFileReader} counts a part's lines. */
  private long lineFeeds;

  private String source;

  // The last key or string read: its bytes, or, when it had escapes, its decoded text.
  private int strStart;
  private int strLen;
  private String unescaped;
  private boolean keyNeedsNorm;

  OtlpJsonBytesReader(Interner interner) {
    this.strings = new ByteStrings(interner);
  }

  /**
   * Reads every request in {@code data[from, to)}; lines are counted from 1. Returns the line feeds
   * in it (JSON has none but in white space).
   */
  long read(byte[] data, int from, int to, String source, Consumer<RawSpan> sink) throws Unhandled {
    this.b = data;
    this.i = from;
    this.end = to;
    this.line = 1;
    this.lineFeeds = 0;
    this.source = source;
    while (true) {
      ws();
      if (i >= end) {
        return lineFeeds;
      }
      if (b[i] != '{') {
        throw UNHANDLED;
      }
      readRequest(sink);
    }
  }

  private void readRequest(Consumer<RawSpan> sink) throws Unhandled {
    i++;
    for (boolean first = true; nextField(first, true); first = false) {
      if (key(RESOURCE_SPANS)) {
        arrayOpen();
        for (boolean f = true; nextObject(f); f = false) {
          readResourceSpans(sink);
        }
      } else if (key(RESOURCE) || key(SCOPE_SPANS)) {
        throw UNHANDLED; // a bare ResourceSpans (logging-otlp): the other reader's
      } else {
        skipValue(0);
      }
    }
  }

  private void readResourceSpans(Consumer<RawSpan> sink) throws Unhandled {
    i++;
    List<RawSpan> spans = new ArrayList<>();
    String service = "";
    boolean agent = false;
    for (boolean first = true; nextField(first, true); first = false) {
      if (key(RESOURCE)) {
        objectOpen();
        for (boolean f = true; nextField(f, false); f = false) {
          if (key(ATTRIBUTES)) {
            arrayOpen();
            for (boolean g = true; nextObject(g); g = false) {
              readKeyValue();
              if ("service.name".equals(kvKey) && kvValue != null) {
                service = strings.intern(String.valueOf(kvValue));
              } else if (TraceContract.Attr.AGENT_VERSION.equals(kvKey)) {
                agent = true;
              }
            }
          } else {
            skipValue(0);
          }
        }
      } else if (key(SCOPE_SPANS)) {
        arrayOpen();
        for (boolean f = true; nextObject(f); f = false) {
          readScopeSpans(spans);
        }
      } else {
        skipValue(0);
      }
    }
    for (RawSpan s : spans) {
      s.service = service;
      s.fromAgent |= agent;
      sink.accept(s);
    }
  }

  private void readScopeSpans(List<RawSpan> out) throws Unhandled {
    i++;
    int firstSpan = out.size();
    boolean ours = false;
    for (boolean first = true; nextField(first, true); first = false) {
      if (key(SCOPE)) {
        objectOpen();
        for (boolean f = true; nextField(f, false); f = false) {
          if (key(NAME)) {
            string();
            ours = TraceContract.SCOPE_NAME.equals(stringValue());
          } else {
            skipValue(0);
          }
        }
      } else if (key(SPANS)) {
        arrayOpen();
        for (boolean f = true; nextObject(f); f = false) {
          out.add(readSpan());
        }
      } else {
        skipValue(0);
      }
    }
    if (ours) {
      for (int k = firstSpan; k < out.size(); k++) {
        out.get(k).fromAgent = true;
      }
    }
  }

  private RawSpan readSpan() throws Unhandled {
    RawSpan s = new RawSpan();
    s.source = source;
    s.line = line;
    i++;
    for (boolean first = true; nextField(first, true); first = false) {
      if (key(TRACE_ID)) {
        s.traceId = strings.intern(id());
      } else if (key(SPAN_ID)) {
        s.spanId = id();
      } else if (key(PARENT_SPAN_ID)) {
        s.parentSpanId = id();
      } else if (key(NAME)) {
        string();
        s.name = interned();
      } else if (key(KIND)) {
        s.kind = kind();
      } else if (key(START)) {
        s.startNanos = longValue();
      } else if (key(END)) {
        s.endNanos = longValue();
      } else if (key(ATTRIBUTES)) {
        arrayOpen();
        for (boolean f = true; nextObject(f); f = false) {
          readKeyValue();
          if (kvKey != null && kvValue != null) {
            s.attr(kvKey, kvValue);
          }
        }
      } else if (key(EVENTS)) {
        arrayOpen();
        for (boolean f = true; nextObject(f); f = false) {
          readEvent(s);
        }
      } else if (key(LINKS)) {
        arrayOpen();
        for (boolean f = true; nextObject(f); f = false) {
          readLink(s);
        }
      } else {
        skipValue(0);
      }
    }
    if (s.spanId.isEmpty() || s.traceId.isEmpty()) {
      throw UNHANDLED; // an error the other reader names
    }
    s.trim();
    return s;
  }

  private void readEvent(RawSpan s) throws Unhandled {
    i++;
    String name = null;
    long time = 0;
    for (boolean first = true; nextField(first, true); first = false) {
      if (key(NAME)) {
        string();
        name = known();
        if (name == null) {
          name = interned();
        }
      } else if (key(TIME)) {
        time = longValue();
      } else {
        skipValue(0);
      }
    }
    if (name != null) {
      s.addEvent(name, time);
    }
  }

  private void readLink(RawSpan s) throws Unhandled {
    i++;
    String spanId = "";
    String type = null;
    for (boolean first = true; nextField(first, true); first = false) {
      if (key(SPAN_ID)) {
        spanId = id();
      } else if (key(ATTRIBUTES)) {
        arrayOpen();
        for (boolean f = true; nextObject(f); f = false) {
          readKeyValue();
          if (TraceContract.Attr.LINK_TYPE.equals(kvKey) && kvValue != null) {
            type = strings.intern(String.valueOf(kvValue));
          }
        }
      } else {
        skipValue(0);
      }
    }
    if (!spanId.isEmpty()) {
      s.addLink(spanId, type);
    }
  }

  private String kvKey;
  private Object kvValue;

  /** {@code {"key":..,"value":{..}}}: the value decoded only when its key is known (or unseen). */
  private void readKeyValue() throws Unhandled {
    i++;
    String key = null;
    boolean keySeen = false;
    Object value = null;
    for (boolean first = true; nextField(first, false); first = false) {
      if (key(KEY)) {
        string();
        key = known();
        keySeen = true;
      } else if (key(VALUE)) {
        if (peek() == '{' && (!keySeen || key != null)) {
          value = anyValue(1);
        } else {
          skipValue(0);
        }
      } else {
        skipValue(0);
      }
    }
    kvKey = key;
    kvValue = value;
  }

  /** An {@code AnyValue}: a String, Long, Boolean, Double, a list of scalars, or null. */
  private Object anyValue(int depth) throws Unhandled {
    if (depth > MAX_DEPTH) {
      throw UNHANDLED;
    }
    i++;
    Object value = null;
    for (boolean first = true; nextField(first, true); first = false) {
      if (key(STRING_VALUE)) {
        string();
        value = interned();
      } else if (key(INT_VALUE)) {
        value = longValue();
      } else if (key(BOOL_VALUE)) {
        value = boolValue();
      } else if (key(DOUBLE_VALUE)) {
        if (!isNumberStart(peek())) {
          throw UNHANDLED;
        }
        int from = i;
        number();
        value = Double.parseDouble(new String(b, from, i - from, StandardCharsets.US_ASCII));
      } else if (key(ARRAY_VALUE)) {
        value = arrayValue(depth + 1);
      } else {
        skipValue(depth);
      }
    }
    return value;
  }

  private List<Object> arrayValue(int depth) throws Unhandled {
    objectOpen();
    List<Object> values = new ArrayList<>();
    for (boolean first = true; nextField(first, false); first = false) {
      if (key(VALUES)) {
        arrayOpen();
        for (boolean f = true; nextObject(f); f = false) {
          Object item = anyValue(depth + 1);
          if (item != null && !(item instanceof List)) {
            values.add(item);
          }
        }
      } else {
        skipValue(depth);
      }
    }
    return values;
  }

  private Boolean boolValue() throws Unhandled {
    byte c = peek();
    if (c == 't' && literal("true")) {
      return Boolean.TRUE;
    }
    if (c == 'f' && literal("false")) {
      return Boolean.FALSE;
    }
    if (c == '"') {
      string();
      return "true".equals(stringValue());
    }
    throw UNHANDLED;
  }

  /** A span id or trace id: hex as the specification writes them, base64 as JsonFormat does. */
  private String id() throws Unhandled {
    string();
    if (unescaped == null && (strLen == 32 || strLen == 16)) {
      boolean lower = true;
      for (int k = strStart; k < strStart + strLen; k++) {
        byte c = b[k];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
          lower = false;
          break;
        }
      }
      if (lower) {
        return strings.id(b, strStart, strLen, false);
      }
    }
    try {
      return Ids.fromJson(stringValue());
    } catch (IllegalArgumentException e) {
      throw UNHANDLED;
    }
  }

  private int kind() throws Unhandled {
    byte c = peek();
    if (c == '"') {
      string();
      int kind = OtlpJsonReader.spanKind(stringValue());
      if (kind < 0) {
        throw UNHANDLED;
      }
      return kind;
    }
    int from = i;
    if (!isNumberStart(c) || !number() || i - from > 9) {
      throw UNHANDLED;
    }
    return (int) digits(from, i - from, true);
  }

  /** A 64-bit integer written as a number, or as a string of digits (unsigned, as int64 JSON). */
  private long longValue() throws Unhandled {
    byte c = peek();
    if (c == '"') {
      string();
      if (unescaped != null || strLen == 0 || strLen > 19) {
        throw UNHANDLED;
      }
      for (int k = strStart; k < strStart + strLen; k++) {
        if (b[k] < '0' || b[k] > '9') {
          throw UNHANDLED;
        }
      }
      // 19 digits fit an unsigned 64-bit integer, as Long.parseUnsignedLong reads them.
      return digits(strStart, strLen, false);
    }
    int from = i;
    if (!isNumberStart(c) || !number() || i - from > 19) {
      throw UNHANDLED;
    }
    long v = digits(from, i - from, true);
    boolean negative = b[from] == '-';
    if ((i - from == 19 && !negative && v < 0) || (negative && v > 0)) {
      throw UNHANDLED; // out of the range of a signed 64-bit integer
    }
    return v;
  }

  /** The value of decimal digits (a leading '-' when signed), wrapping over 64 bits. */
  private long digits(int from, int len, boolean signed) {
    boolean negative = signed && b[from] == '-';
    long v = 0;
    for (int k = negative ? from + 1 : from; k < from + len; k++) {
      v = v * 10 + (b[k] - '0');
    }
    return negative ? -v : v;
  }

  private static boolean isNumberStart(byte c) {
    return c == '-' || (c >= '0' && c <= '9');
  }

  /** Reads a JSON number; true when it is an integer. A number JSON does not allow is unhandled. */
  private boolean number() throws Unhandled {
    boolean integer = true;
    if (i < end && b[i] == '-') {
      i++;
    }
    if (i >= end || b[i] < '0' || b[i] > '9') {
      throw UNHANDLED;
    }
    if (b[i] == '0') {
      i++;
      if (i < end && b[i] >= '0' && b[i] <= '9') {
        throw UNHANDLED; // a leading zero
      }
    } else {
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
    }
    if (i < end && b[i] == '.') {
      integer = false;
      i++;
      int from = i;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == from) {
        throw UNHANDLED;
      }
    }
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      integer = false;
      i++;
      if (i < end && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int from = i;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == from) {
        throw UNHANDLED;
      }
    }
    if (i < end && !isDelimiter(b[i])) {
      throw UNHANDLED;
    }
    return integer;
  }

  private static boolean isDelimiter(byte c) {
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private boolean literal(String word) throws Unhandled {
    int n = word.length();
    if (end - i < n) {
      throw UNHANDLED;
    }
    for (int k = 0; k < n; k++) {
      if (b[i + k] != word.charAt(k)) {
        throw UNHANDLED;
      }
    }
    i += n;
    if (i < end && !isDelimiter(b[i])) {
      throw UNHANDLED;
    }
    return true;
  }

  /** Skips a value of any kind, checking it is JSON. */
  private void skipValue(int depth) throws Unhandled {
    if (depth > MAX_DEPTH) {
      throw UNHANDLED;
    }
    byte c = peek();
    if (c == '"') {
      string();
    } else if (c == '{') {
      i++;
      for (boolean first = true; nextField(first, false); first = false) {
        skipValue(depth + 1);
      }
    } else if (c == '[') {
      i++;
      for (boolean first = true; nextElement(first); first = false) {
        skipValue(depth + 1);
      }
    } else if (c == 't') {
      literal("true");
    } else if (c == 'f') {
      literal("false");
    } else if (c == 'n') {
      literal("null");
    } else if (isNumberStart(c)) {
      number();
    } else {
      throw UNHANDLED;
    }
  }

  /** The byte of the next token, white space skipped. */
  private byte peek() throws Unhandled {
    ws();
    if (i >= end) {
      throw UNHANDLED;
    }
    return b[i];
  }

  /** Skips white space, counting lines as Jackson does: "\n", "\r\n" and a lone "\r" end one. */
  private void ws() {
    while (i < end) {
      byte c = b[i];
      if (c == '\n') {
        line++;
        lineFeeds++;
      } else if (c == '\r') {
        line++;
        if (i + 1 < end && b[i + 1] == '\n') {
          i++;
          lineFeeds++;
        }
      } else if (c != ' ' && c != '\t') {
        return;
      }
      i++;
    }
  }

  private void objectOpen() throws Unhandled {
    if (peek() != '{') {
      throw UNHANDLED;
    }
    i++;
  }

  private void arrayOpen() throws Unhandled {
    if (peek() != '[') {
      throw UNHANDLED;
    }
    i++;
  }

  /**
   * Moves to the next field of an object whose '{' was read, reading its key and the ':'; false at
   * the object's end. Where the other reader normalises keys ({@code norm}), one it would rename is
   * unhandled here.
   */
  private boolean nextField(boolean first, boolean normalised) throws Unhandled {
    byte c = peek();
    if (c == '}') {
      i++;
      return false;
    }
    if (!first) {
      if (c != ',') {
        throw UNHANDLED;
      }
      i++;
      c = peek();
    }
    if (c != '"') {
      throw UNHANDLED;
    }
    string();
    if (unescaped != null || (normalised && (keyNeedsNorm || key(LIBRARY_SPANS)))) {
      throw UNHANDLED; // a key spelled with escapes, or one the other reader renames
    }
    if (peek() != ':') {
      throw UNHANDLED;
    }
    i++;
    return true;
  }

  /** Moves to the next element of an array whose '[' was read; false at its end. */
  private boolean nextElement(boolean first) throws Unhandled {
    byte c = peek();
    if (c == ']') {
      i++;
      return false;
    }
    if (!first) {
      if (c != ',') {
        throw UNHANDLED;
      }
      i++;
      peek();
    }
    return true;
  }

  /** As {@link #nextElement}, for arrays of objects: anything else is unhandled. */
  private boolean nextObject(boolean first) throws Unhandled {
    if (!nextElement(first)) {
      return false;
    }
    if (b[i] != '{') {
      throw UNHANDLED;
    }
    return true;
  }

  /** True when the last string read (a key) is {@code k}. */
  private boolean key(byte[] k) {
    if (unescaped != null || strLen != k.length) {
      return false;
    }
    for (int n = 0; n < k.length; n++) {
      if (b[strStart + n] != k[n]) {
        return false;
      }
    }
    return true;
  }

  /** Reads a string at {@code i}: its bytes, or its text when it has escapes. Checks its UTF-8. */
  private void string() throws Unhandled {
    if (peek() != '"') {
      throw UNHANDLED;
    }
    int from = ++i;
    boolean underscore = false;
    while (true) {
      // Plain characters in a tight loop: strings are most of the bytes.
      while (i < end && !SPECIAL[b[i] & 0xff]) {
        i++;
      }
      if (i >= end) {
        throw UNHANDLED;
      }
      byte c = b[i];
      if (c == '"') {
        strStart = from;
        strLen = i - from;
        unescaped = null;
        keyNeedsNorm = underscore;
        i++;
        return;
      }
      if (c == '\\') {
        unescape(from);
        keyNeedsNorm = true;
        return;
      }
      if (c == '_') {
        underscore = true;
      } else if (c < 0) {
        utf8();
        continue;
      } else if (c < 0x20) {
        throw UNHANDLED;
      }
      i++;
    }
  }

  /** Steps over one multi-byte UTF-8 character at {@code i}, checking it (RFC 3629). */
  private void utf8() throws Unhandled {
    int c = b[i] & 0xff;
    int more;
    int min;
    if (c >= 0xc2 && c <= 0xdf) {
      more = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      more = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      more = 3;
      min = 0x10000;
    } else {
      throw UNHANDLED;
    }
    if (end - i <= more) {
      throw UNHANDLED;
    }
    int cp = c & (0x3f >> more);
    for (int k = 1; k <= more; k++) {
      int d = b[i + k] & 0xff;
      if ((d & 0xc0) != 0x80) {
        throw UNHANDLED;
      }
      cp = cp << 6 | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw UNHANDLED;
    }
    i += more + 1;
  }

  /** The rest of a string that has escapes, decoded, from its first byte {@code from}. */
  private void unescape(int from) throws Unhandled {
    StringBuilder out = new StringBuilder();
    int run = from;
    while (true) {
      if (i >= end) {
        throw UNHANDLED;
      }
      byte c = b[i];
      if (c == '"') {
        out.append(new String(b, run, i - run, StandardCharsets.UTF_8));
        i++;
        break;
      }
      if (c == '\\') {
        out.append(new String(b, run, i - run, StandardCharsets.UTF_8));
        if (end - i < 2) {
          throw UNHANDLED;
        }
        byte e = b[i + 1];
        i += 2;
        switch (e) {
          case '"':
            out.append('"');
            break;
          case '\\':
            out.append('\\');
            break;
          case '/':
            out.append('/');
            break;
          case 'b':
            out.append('\b');
            break;
          case 'f':
            out.append('\f');
            break;
          case 'n':
            out.append('\n');
            break;
          case 'r':
            out.append('\r');
            break;
          case 't':
            out.append('\t');
            break;
          case 'u':
            if (end - i < 4) {
              throw UNHANDLED;
            }
            int u = 0;
            for (int k = 0; k < 4; k++) {
              int d = Character.digit(b[i + k], 16);
              if (d < 0) {
                throw UNHANDLED;
              }
              u = u << 4 | d;
            }
            i += 4;
            out.append((char) u);
            break;
          default:
            throw UNHANDLED;
        }
        run = i;
      } else if (c < 0) {
        utf8();
      } else if (c < 0x20) {
        throw UNHANDLED;
      } else {
        i++;
      }
    }
    strStart = -1;
    strLen = 0;
    unescaped = out.toString();
  }

  private String stringValue() {
    return unescaped != null ? unescaped : new String(b, strStart, strLen, StandardCharsets.UTF_8);
  }

  private String interned() {
    return unescaped != null ? strings.intern(unescaped) : strings.get(b, strStart, strLen);
  }

  /** The known name (attribute key, event name) the last string spells, or null. */
  private String known() {
    if (unescaped != null) {
      return OtlpJsonReader.NAMES.lookup(unescaped.toCharArray(), 0, unescaped.length());
    }
    return OtlpJsonReader.NAMES.lookup(b, strStart, strLen);
  }
}
