package dev.reqflow.otlp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Reads a large OTLP JSON lines file on all cores: the file is cut into parts at lines that start
 * a new request ({@code \n{}), each part parsed on its own, and the spans handed on in file order,
 * so the result is the same as reading it in one go. Tokenising dominates the time to open a
 * million-span file, and it parallelises.
 */
final class ParallelJsonFileReader {
  /** Parts of about this size; a request longer than that makes its part longer. */
  static final int PART_BYTES = 16 << 20;

  private ParallelJsonFileReader() {}

  static void read(Path file, String source, Consumer<RawSpan> sink, int threads)
      throws IOException {
    read(file, source, sink, threads, PART_BYTES);
  }

  static void read(Path file, String source, Consumer<RawSpan> sink, int threads, int partBytes)
      throws IOException {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "reqflow-otlp-reader");
              t.setDaemon(true);
              return t;
            });
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Deque<InFlight> inFlight = new ArrayDeque<>();
      // Buffers of parts whose spans were handed on, used again: a part's buffer is larger than
      // G1's humongous threshold, and a humongous allocation per part started a concurrent
      // collection cycle over the spans read so far each time.
      Deque<byte[]> free = new ArrayDeque<>();
      byte[] carry = new byte[0];
      long[] lines = {0};
      boolean eof = false;
      while (!eof) {
        int need = carry.length + partBytes;
        byte[] buf = free.isEmpty() || free.peek().length < need ? null : free.pop();
        if (buf == null) {
          // Room for a request cut at the part's end: the next part's carry fits in it too.
          buf = new byte[need + partBytes / 8];
        }
        System.arraycopy(carry, 0, buf, 0, carry.length);
        int len = carry.length;
        while (len < buf.length) {
          int n = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
          if (n < 0) {
            eof = true;
            break;
          }
          len += n;
        }
        int cut = len;
        if (!eof) {
          cut = lastRequestStart(buf, len);
          if (cut <= 0) {
            carry = Arrays.copyOf(buf, len);
            continue;
          }
        }
        carry = Arrays.copyOfRange(buf, cut, len);
        int partLength = cut;
        byte[] part = buf;
        // Each part counts its own lines; drain() adds the lines of the parts before it.
        inFlight.add(new InFlight(pool.submit(() -> parse(part, partLength, source)), part));
        while (inFlight.size() > threads) {
          InFlight done = inFlight.removeFirst();
          drain(done.spans(), sink, lines);
          free.push(done.buffer());
        }
      }
      while (!inFlight.isEmpty()) {
        drain(inFlight.removeFirst().spans(), sink, lines);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The spans of a part: read from its bytes, or, when the byte reader cannot vouch for the part
   * (another spelling of OTLP JSON, or not JSON), by Jackson, which names the error by line.
   */
  static Part parse(byte[] buf, int length, String source) throws OtlpFormatException {
    Interner interner = new Interner();
    List<RawSpan> out = new ArrayList<>();
    try {
      long lines = new OtlpJsonBytesReader(interner).read(buf, 0, length, source, out::add);
      return new Part(out, lines);
    } catch (OtlpJsonBytesReader.Unhandled e) {
      out.clear();
      new OtlpJsonReader(interner).read(buf, 0, length, source, 0, out::add);
      return new Part(out, count(buf, length));
    }
  }

  /** Index just after the last {@code \n} that a {@code {} follows, or -1. */
  private static int lastRequestStart(byte[] buf, int len) {
    for (int i = len - 1; i > 0; i--) {
      if (buf[i] == '{' && buf[i - 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static long count(byte[] buf, int len) {
    long n = 0;
    for (int i = 0; i < len; i++) {
      if (buf[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  record Part(List<RawSpan> spans, long lines) {}

  /** A part being parsed, and the buffer it is parsed from (free again once it is drained). */
  private record InFlight(Future<Part> spans, byte[] buffer) {}

  /** Hands a part's spans on, with lines counted from the start of the file. */
  private static void drain(Future<Part> future, Consumer<RawSpan> sink, long[] linesBefore)
      throws IOException {
    Part part;
    try {
      part = future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OtlpFormatException f) {
        throw new OtlpFormatException(
            f.source(), f.line() == 0 ? 0 : f.line() + linesBefore[0], f.detail(), f.getCause());
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
    for (RawSpan s : part.spans()) {
      s.line += linesBefore[0];
      sink.accept(s);
    }
    linesBefore[0] += part.lines();
  }
}
