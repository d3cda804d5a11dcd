package dev.reqflow.viewer.files;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Flow;
import dev.reqflow.otlp.FlowAssembler;
import dev.reqflow.otlp.OtlpFormatException;
import dev.reqflow.otlp.ReadResult;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads trace files and analyses their flows, reporting progress by bytes read. Plain Java: the app
 * runs it off the FX thread and hands the result over when done.
 */
public final class FileLoader {
  private FileLoader() {}

  /**
   * What a load produced: each flow with its critical path but no suggestions yet (see {@link
   * #analyse}), and the reader's warnings.
   */
  public record Loaded(List<FlowReport> flows, ReadResult read) {}

  /**
   * Reads the files and finds each flow's critical path: enough to list and draw them. The
   * suggestions come from {@link #analyse}, which can take much longer on huge flows, so the app
   * runs it afterwards.
   *
   * @param progress receives 0..1 while reading (reading is most of the time), then -1 while
   *     assembling
   */
  public static Loaded load(List<Path> files, DoubleConsumer progress) throws IOException {
    long total = 0;
    for (Path f : files) {
      total += Math.max(1, Files.size(f));
    }
    long[] done = {0};
    long totalBytes = total;
    FlowAssembler assembler = new FlowAssembler();
    for (Path f : files) {
      long before = done[0];
      if (plainJson(f)) {
        // Large plain JSON is read on every core by core's reader (as `reqflow report` does): no
        // byte count from it, so the bar waits without a share meanwhile.
        progress.accept(-1);
        assembler.addFile(f);
        done[0] = before + Math.max(1, Files.size(f));
        progress.accept(Math.min(1.0, (double) done[0] / totalBytes));
        continue;
      }
      try (InputStream counting =
          new CountingStream(
              Files.newInputStream(f),
              n -> {
                done[0] = before + n;
                progress.accept(Math.min(1.0, (double) done[0] / totalBytes));
              })) {
        add(assembler, f.toString(), counting);
      }
      done[0] = before + Math.max(1, Files.size(f));
    }
    progress.accept(-1);
    ReadResult read = assembler.buildOnce();
    // Critical paths on every core: with a million spans, they are a real part of the wait.
    List<FlowReport> reports =
        read.flows().parallelStream()
            .map(f -> new FlowReport(f, Analysis.criticalPathUnmemoised(f), List.of()))
            .toList();
    return new Loaded(reports, read);
  }

  /**
   * Flows with more calls than this get their critical path but no suggestions: the what-if replays
   * behind suggestions take minutes on a flow of 100,000 calls.
   */
  public static final int MAX_CALLS_ANALYSED = 20_000;

  /**
   * Suggestions for the flows, with each other as history: the full analysis, except for flows over
   * {@link #MAX_CALLS_ANALYSED} calls.
   */
  public static List<FlowReport> analyse(List<Flow> flows) {
    return analyseSplit(flows).reports();
  }

  /**
   * The suggestions of a load: every flow's report (huge flows' with their critical path only, so
   * far), and the huge flows whose suggestions are still to come from {@link #analyseDeferred}.
   */
  public record Analysed(List<FlowReport> reports, List<Flow> deferred) {}

  /**
   * As {@link #analyse}, and says which flows' suggestions are deferred: those over {@link
   * #MAX_CALLS_ANALYSED} calls. Every flow is the others' history, as in the report.
   */
  public static Analysed analyseSplit(List<Flow> flows) {
    return analyseSplit(flows, MAX_CALLS_ANALYSED);
  }

  /** As {@link #analyseSplit(List)}, deferring flows of more than {@code maxCalls} calls. */
  public static Analysed analyseSplit(List<Flow> flows, int maxCalls) {
    List<Flow> small = new ArrayList<>(flows.size());
    List<Flow> big = new ArrayList<>();
    List<FlowReport> out = new ArrayList<>(flows.size());
    for (Flow f : flows) {
      if (f.calls().size() > maxCalls) {
        big.add(f);
        out.add(new FlowReport(f, Analysis.criticalPath(f), List.of()));
      } else {
        small.add(f);
      }
    }
    if (!small.isEmpty()) {
      out.addAll(big.isEmpty() ? Analysis.analyse(small).flows() : Analysis.reports(small, flows));
    }
    return new Analysed(out, big);
  }

  /**
   * The report of a deferred huge flow with the flows it came with as history: the suggestions the
   * report gives it. Can take minutes (what-if replays of tens of thousands of calls).
   */
  public static FlowReport analyseDeferred(Flow flow, List<Flow> history) {
    return Analysis.reports(List.of(flow), history).get(0);
  }

  /** The name a load's flows are listed under: the file's name, or how many files. */
  public static String sourceName(List<Path> files) {
    return files.size() == 1 ? String.valueOf(files.get(0).getFileName()) : files.size() + " files";
  }

  /** Reads and analyses: what the screenshot mode and tools that wait for everything use. */
  public static List<FlowReport> loadAnalysed(List<Path> files) throws IOException {
    Loaded loaded = load(files, p -> {});
    return analyse(loaded.read().flows());
  }

  /**
   * Tells gzip, JSON and protobuf apart by content, as the core reader does for files: JSON starts
   * with {@code {} or {@code [} (after a byte-order mark and white space), anything else is read as
   * protobuf. Text that is neither is named as such rather than as a broken protobuf message.
   */
  static void add(FlowAssembler assembler, String source, InputStream raw) throws IOException {
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    if (in.read() == 0x1f && in.read() == 0x8b) {
      in.reset();
      in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    } else {
      in.reset();
    }
    in.mark(HEAD);
    byte[] head = in.readNBytes(HEAD);
    in.reset();
    int i = 0;
    if (head.length >= 3
        && (head[0] & 0xff) == 0xef
        && (head[1] & 0xff) == 0xbb
        && (head[2] & 0xff) == 0xbf) {
      i = 3; // a UTF-8 byte-order mark, which JSON readers skip
    }
    while (i < head.length
        && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) {
      i++;
    }
    if (i == head.length) {
      return;
    }
    if (head[i] == '{' || head[i] == '[') {
      assembler.addJson(in, source);
      return;
    }
    try {
      assembler.addProtobuf(in, source);
    } catch (OtlpFormatException e) {
      if (isText(head)) {
        throw new OtlpFormatException(
            source,
            1,
            "not OTLP: text that is not JSON (it starts with \""
                + printable(new String(head, i, Math.min(24, head.length - i), UTF_8))
                + "\"), and not an OTLP protobuf request",
            e);
      }
      throw e;
    }
  }

  /** Plain JSON files above this size are read in parallel (core's threshold is lower). */
  static final long PARALLEL_FROM_BYTES = 16 << 20;

  /** True for a file above {@link #PARALLEL_FROM_BYTES} whose first non-blank byte is '{'. */
  static boolean plainJson(Path f) throws IOException {
    if (Runtime.getRuntime().availableProcessors() < 2 || Files.size(f) <= PARALLEL_FROM_BYTES) {
      return false;
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 256)) {
      int b;
      do {
        b = in.read();
      } while (b == ' ' || b == '\n' || b == '\r' || b == '\t');
      return b == '{';
    }
  }

  /** Bytes looked at to tell the format. */
  private static final int HEAD = 64;

  private static final java.nio.charset.Charset UTF_8 = java.nio.charset.StandardCharsets.UTF_8;

  /** True when the bytes look like text: no control characters but white space. */
  private static boolean isText(byte[] head) {
    for (byte b : head) {
      int c = b & 0xff;
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Control characters out, so that a file's bytes never reach a message raw. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      b.append(Character.isISOControl(c) ? ' ' : c);
    }
    return b.toString().strip();
  }

  /** Counts bytes read, reporting every 256 KiB so that progress costs nothing. */
  private static final class CountingStream extends FilterInputStream {
    private final java.util.function.LongConsumer sink;
    private long count;
    private long reported;

    CountingStream(InputStream in, java.util.function.LongConsumer sink) {
      super(in);
      this.sink = sink;
    }

    private void add(long n) {
      if (n > 0) {
        count += n;
        if (count - reported >= (1 << 18)) {
          reported = count;
          sink.accept(count);
        }
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      add(n);
      return n;
    }
  }
}
