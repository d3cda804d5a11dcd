package dev.reqflow.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads OTLP JSON from a log: the output of the OpenTelemetry Java agent run with {@code
 * -Dotel.traces.exporter=logging-otlp}, which prints one {@code ResourceSpans} object per line
 * through its logger ({@code [otel.javaagent ...] INFO ...OtlpJsonLoggingSpanExporter -
 * {"resource":...}}), or through {@code java.util.logging} ({@code INFO: {"resource":...}}), among
 * the application's own lines. A line's JSON starts at its first {@code {"resource} (a {@code
 * ResourceSpans}, or an {@code ExportTraceServiceRequest}'s {@code resourceSpans}) and runs to the
 * line's end; a line without one is the application's and is skipped and counted. A line whose JSON
 * is malformed is an error naming its line, as in any other OTLP file.
 */
final class LogLinesReader {
  private static final byte[] MARK = "{\"resource".getBytes(StandardCharsets.US_ASCII);

  /** What a log held besides spans. */
  static final class Counts {
    long lines;
    long otherLines;
    long jsonLinesWithoutSpans;
    long spans;
  }

  private LogLinesReader() {}

  static Counts read(InputStream in, String source, Interner interner, Consumer<RawSpan> sink)
      throws IOException {
    Counts counts = new Counts();
    OtlpJsonReader json = new OtlpJsonReader(interner);
    Consumer<RawSpan> counting =
        s -> {
          counts.spans++;
          sink.accept(s);
        };
    byte[] line = new byte[1 << 12];
    int len = 0;
    int b;
    boolean any = false;
    while (true) {
      b = in.read();
      if (b == -1 || b == '\n') {
        if (b == -1 && len == 0 && !any) {
          break;
        }
        counts.lines++;
        int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
        int at = indexOf(line, end);
        if (at < 0) {
          counts.otherLines++;
        } else {
          long before = counts.spans;
          json.read(line, at, end - at, source, counts.lines - 1, counting);
          if (counts.spans == before) {
            counts.jsonLinesWithoutSpans++;
          }
        }
        len = 0;
        any = false;
        if (b == -1) {
          break;
        }
        continue;
      }
      any = true;
      if (len == line.length) {
        line = Arrays.copyOf(line, line.length * 2);
      }
      line[len++] = (byte) b;
    }
    return counts;
  }

  private static int indexOf(byte[] line, int end) {
    outer:
    for (int i = 0; i + MARK.length <= end; i++) {
      for (int j = 0; j < MARK.length; j++) {
        if (line[i + j] != MARK[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
