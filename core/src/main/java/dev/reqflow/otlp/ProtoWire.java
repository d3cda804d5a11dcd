package dev.reqflow.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the protobuf wire format from a stream one field at a time, through a buffer that slides
 * over it: no message is built, so a request of any size is read in the memory of its largest
 * field, and a field's bytes are looked at where they lie (known names found without making a
 * string, ids written as hex straight from them). Message ends are absolute stream positions, as
 * {@link #position()} gives them. Errors are {@link InvalidProtocolBufferException}s that say at
 * which byte. Not thread-safe.
 */
final class ProtoWire {
  static final int VARINT = 0;
  static final int I64 = 1;
  static final int LEN = 2;
  static final int START_GROUP = 3;
  static final int END_GROUP = 4;
  static final int I32 = 5;

  private final InputStream in;
  private byte[] buf;
  private int pos;
  private int lim;

  /** Stream position of {@code buf[0]}. */
  private long base;

  private boolean eof;

  ProtoWire(InputStream in, int bufferBytes) {
    this.in = in;
    this.buf = new byte[bufferBytes];
  }

  /**
   * Reads {@code data[0, length)}: bytes already in memory, cut from a stream at {@code start}
   * (positions are the stream's).
   */
  ProtoWire(byte[] data, int length, long start) {
    this.in = InputStream.nullInputStream();
    this.buf = data;
    this.lim = length;
    this.eof = true;
    this.base = start;
  }

  static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  /** Bytes read so far: where the next field starts. */
  long position() {
    return base + pos;
  }

  /** True when the stream has no byte left (at a message boundary of the top level). */
  boolean atEnd() throws IOException {
    return !fill(1);
  }

  /** Makes {@code n} bytes available from {@code pos}; false when the stream ends before. */
  private boolean fill(int n) throws IOException {
    if (lim - pos >= n) {
      return true;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      base += pos;
      lim -= pos;
      pos = 0;
    }
    if (n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
    }
    while (lim < n && !eof) {
      int r = in.read(buf, lim, buf.length - lim);
      if (r < 0) {
        eof = true;
      } else {
        lim += r;
      }
    }
    return lim - pos >= n;
  }

  private void require(int n) throws IOException {
    if (!fill(n)) {
      throw truncated();
    }
  }

  InvalidProtocolBufferException truncated() {
    return new InvalidProtocolBufferException(
        "the input ended in the middle of a field, at byte " + position() + " (truncated?)");
  }

  InvalidProtocolBufferException invalid(String what) {
    return new InvalidProtocolBufferException(what + ", at byte " + position());
  }

  /** The next field's tag (field number and wire type). */
  int readTag() throws IOException {
    long t = readVarint();
    if (t <= 0 || t > Integer.MAX_VALUE || (t >>> 3) == 0) {
      throw invalid("invalid field tag " + t);
    }
    return (int) t;
  }

  long readVarint() throws IOException {
    if (lim - pos < 10) {
      fill(10);
    }
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= lim) {
        throw truncated();
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw invalid("malformed varint");
  }

  long readFixed64() throws IOException {
    require(8);
    long v = 0;
    for (int k = 7; k >= 0; k--) {
      v = v << 8 | (buf[pos + k] & 0xffL);
    }
    pos += 8;
    return v;
  }

  int readFixed32() throws IOException {
    require(4);
    int v = 0;
    for (int k = 3; k >= 0; k--) {
      v = v << 8 | (buf[pos + k] & 0xff);
    }
    pos += 4;
    return v;
  }

  /**
   * A length-delimited field's length, checked against the end of the message holding it: a length
   * running past it is a broken (or not protobuf) input, not a reason to buffer gigabytes.
   */
  int readLength(long end) throws IOException {
    long len = readVarint();
    if (len < 0 || len > Integer.MAX_VALUE || position() + len > end) {
      throw invalid("a field of " + len + " bytes runs past the end of its message");
    }
    return (int) len;
  }

  /** The end of a message field (its length read): its stream position. */
  long messageEnd(long end) throws IOException {
    int len = readLength(end);
    return position() + len;
  }

  /** The next {@code len} bytes decoded as UTF-8. */
  String readString(int len) throws IOException {
    require(len);
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /** The next {@code len} bytes as a known name of the table, or null (the bytes are consumed). */
  String readKnown(NameTable table, int len) throws IOException {
    require(len);
    String s = table.lookup(buf, pos, len);
    pos += len;
    return s;
  }

  /** The next {@code len} bytes (an id) as lower-case hex, shared through {@code strings}. */
  String readHex(int len, ByteStrings strings) throws IOException {
    if (len == 0) {
      return "";
    }
    require(len);
    String s = strings.id(buf, pos, len, true);
    pos += len;
    return s;
  }

  /** The next {@code len} bytes as a string, interned through {@code strings}. */
  String readInterned(int len, ByteStrings strings) throws IOException {
    require(len);
    String s = strings.get(buf, pos, len);
    pos += len;
    return s;
  }

  /** Copies the next {@code len} bytes into {@code dst} from {@code offset}. */
  void readRaw(byte[] dst, int offset, int len) throws IOException {
    int done = 0;
    while (done < len) {
      if (pos == lim && !fill(1)) {
        throw truncated();
      }
      int n = Math.min(len - done, lim - pos);
      System.arraycopy(buf, pos, dst, offset + done, n);
      pos += n;
      done += n;
    }
  }

  /** Skips {@code n} bytes. */
  void skip(long n) throws IOException {
    if (n <= lim - pos) {
      pos += (int) n;
      return;
    }
    long rest = n - (lim - pos);
    base += lim;
    pos = 0;
    lim = 0;
    while (rest > 0) {
      long skipped = in.skip(rest);
      if (skipped <= 0) {
        if (in.read() < 0) {
          eof = true;
          throw truncated();
        }
        skipped = 1;
      }
      base += skipped;
      rest -= skipped;
    }
  }

  /** Skips the value of a field whose tag was read, within the message ending at {@code end}. */
  void skipField(int tag, long end) throws IOException {
    switch (tag & 7) {
      case VARINT:
        readVarint();
        break;
      case I64:
        skip(8);
        break;
      case LEN:
        skip(readLength(end));
        break;
      case I32:
        skip(4);
        break;
      case START_GROUP:
        int endTag = (tag & ~7) | END_GROUP;
        while (true) {
          if (position() >= end) {
            throw invalid("a group without its end");
          }
          int t = readTag();
          if (t == endTag) {
            break;
          }
          skipField(t, end);
        }
        break;
      default:
        throw invalid("invalid wire type " + (tag & 7));
    }
    if (position() > end) {
      throw invalid("a field runs past the end of its message");
    }
  }
}
