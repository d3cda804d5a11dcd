package dev.reqflow.agent.content;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates a gzip stream (RFC 1952) as its pieces pass, into a bounded number of bytes: a client
 * that asked for gzip hands the agent the compressed body. The header must come whole in the first
 * piece, as it does from any server; otherwise nothing is inflated.
 */
final class Gunzip {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final Inflater inflater = new Inflater(true);
  private final byte[] out = new byte[4096];
  private boolean headerRead;
  private boolean failed;

  /** True when {@code b} starts like gzip. */
  static boolean starts(byte[] b, int off, int len) {
    return len >= 2 && (b[off] & 0xff) == 0x1f && (b[off + 1] & 0xff) == 0x8b;
  }

  /** Inflates a piece; sends at most {@code budget} bytes to {@code sink}; returns how many. */
  int feed(byte[] b, int off, int len, int budget, Bytes sink) {
    if (failed) {
      return 0;
    }
    if (!headerRead) {
      int body = headerLength(b, off, len);
      if (body < 0) {
        failed = true;
        return 0;
      }
      headerRead = true;
      off += body;
      len -= body;
    }
    inflater.setInput(b, off, len);
    int sent = 0;
    try {
      while (sent < budget && !inflater.needsInput() && !inflater.finished()) {
        int n = inflater.inflate(out, 0, Math.min(out.length, budget - sent));
        if (n == 0) {
          break;
        }
        sink.bytes(out, 0, n);
        sent += n;
      }
    } catch (DataFormatException e) {
      failed = true;
    }
    return sent;
  }

  void end() {
    inflater.end();
  }

  /** Length of the gzip header at {@code off}, or -1 when it is not whole there. */
  private static int headerLength(byte[] b, int off, int len) {
    if (len < 10 || b[off + 2] != 8) {
      return -1;
    }
    int flags = b[off + 3];
    int i = 10;
    if ((flags & FEXTRA) != 0) {
      if (len < i + 2) {
        return -1;
      }
      i += 2 + ((b[off + i] & 0xff) | (b[off + i + 1] & 0xff) << 8);
    }
    for (int flag : new int[] {FNAME, FCOMMENT}) {
      if ((flags & flag) != 0) {
        while (i < len && b[off + i] != 0) {
          i++;
        }
        i++;
      }
    }
    if ((flags & FHCRC) != 0) {
      i += 2;
    }
    return i <= len ? i : -1;
  }

  /** Where inflated bytes go. */
  interface Bytes {
    void bytes(byte[] b, int off, int len);
  }
}
