package dev.reqflow.report;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.AnalysisResult;
import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.EndpointSummary;
import dev.reqflow.otlp.FlowAssembler;
import dev.reqflow.otlp.OtlpFormatException;
import dev.reqflow.otlp.ReadResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code reqflow report FILE... [--format text|markdown|json] [--summary] [--budget-ms N]}: reads
 * OTLP files, analyses their flows and prints the report. Exit codes: 0 done, 1 a file could not be
 * read or holds no span, 2 bad arguments, 3 an endpoint's p95 is over the budget. {@code -} reads
 * standard input.
 */
public final class ReportCli {
  static final int OK = 0;
  static final int UNREADABLE = 1;
  static final int USAGE = 2;
  static final int OVER_BUDGET = 3;

  static final String USAGE_TEXT =
      String.join(
          "\n",
          "usage: reqflow report FILE... [--format text|markdown|json] [--summary] [--budget-ms N]",
          "",
          "Reads OTLP trace files (JSON, JSON lines as the Collector's file exporter writes,",
          "or protobuf; gzipped or not; or a log with the OpenTelemetry Java agent's",
          "logging-otlp lines among other output; FILE - is standard input), and reports",
          "per endpoint and flow: the time, the time the page waited on calls, the critical",
          "path, and what to change, best saving first. Traces of other tools (no waits",
          "recorded) show their calls: target, time, status.",
          "It starts with \"What to change first\": each endpoint's suggestions, most time saved",
          "per flow first, with the median saving and where in the code to change it; before",
          "it, the flows that had not ended (stalled, deadlocked, or open when the process",
          "stopped) or that stalled and ended only later, and what reqflow did not see.",
          "",
          "  --format F     text (default), markdown, or json (one object: flows, endpoints)",
          "  --summary      print only the header and \"What to change first\" (text, markdown)",
          "  --budget-ms N  exit 3 when an endpoint's p95 duration is over N milliseconds",
          "",
          "exit codes: 0 done, 1 a file cannot be read or holds no span, 2 bad arguments,",
          "3 over budget");

  private ReportCli() {}

  /** The file name that stands for standard input. */
  static final String STDIN = "-";

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the command with nothing on standard input; returns the exit code. */
  public static int run(String[] args, PrintStream stdout, PrintStream stderr) {
    return run(args, InputStream.nullInputStream(), stdout, stderr);
  }

  /** Runs the command, {@code -} reading {@code stdin}; returns the exit code. */
  public static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    List<Path> files = new ArrayList<>();
    String format = "text";
    long budgetMs = -1;
    boolean summary = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        value = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "-h":
        case "--help":
          stdout.println(USAGE_TEXT);
          return OK;
        case "--format":
          if (value == null) {
            if (i + 1 >= args.length) {
              return usage(stderr, "--format needs a value");
            }
            value = args[++i];
          }
          if (!value.equals("text") && !value.equals("markdown") && !value.equals("json")) {
            return usage(stderr, "unknown format '" + value + "'");
          }
          format = value;
          break;
        case "--summary":
          if (value != null) {
            return usage(stderr, "--summary takes no value");
          }
          summary = true;
          break;
        case "--budget-ms":
          if (value == null) {
            if (i + 1 >= args.length) {
              return usage(stderr, "--budget-ms needs a value");
            }
            value = args[++i];
          }
          try {
            budgetMs = Long.parseLong(value);
          } catch (NumberFormatException e) {
            budgetMs = -1;
          }
          if (budgetMs < 0) {
            return usage(
                stderr, "--budget-ms needs a whole number of milliseconds, not '" + value + "'");
          }
          break;
        default:
          if (a.startsWith("-") && !a.equals("-")) {
            return usage(stderr, "unknown option '" + args[i] + "'");
          }
          files.add(Path.of(args[i]));
          break;
      }
    }
    if (files.isEmpty()) {
      return usage(stderr, "no trace files given");
    }
    if (summary && format.equals("json")) {
      return usage(stderr, "--summary is for text and markdown; json always lists everything");
    }
    ReadResult read;
    try {
      for (Path f : files) {
        if (!f.toString().equals(STDIN) && Files.isDirectory(f)) {
          stderr.println("reqflow report: " + f + " is a directory, not a trace file");
          return UNREADABLE;
        }
      }
      FlowAssembler assembler = new FlowAssembler();
      for (Path f : files) {
        if (f.toString().equals(STDIN)) {
          assembler.addStream(stdin, "stdin");
        } else {
          assembler.addFile(f);
        }
        // An input without a single span is a mistake (the wrong file, an exporter not set), not
        // an empty report: saying "0 spans" and exiting 0 would read as nothing to change.
        if (!assembler.whyNoSpans().isEmpty()) {
          stderr.println("reqflow report: " + assembler.whyNoSpans());
          return UNREADABLE;
        }
      }
      read = assembler.buildOnce();
    } catch (OtlpFormatException e) {
      stderr.println("reqflow report: " + e.getMessage());
      return UNREADABLE;
    } catch (NoSuchFileException e) {
      stderr.println("reqflow report: no such file: " + e.getFile());
      return UNREADABLE;
    } catch (IOException e) {
      stderr.println("reqflow report: cannot read: " + e.getMessage());
      return UNREADABLE;
    }
    AnalysisResult analysis = Analysis.analyse(read.flows());
    ReportInput input = new ReportInput(analysis, files.size(), read.spanCount(), read.warnings());
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), false);
    try {
      switch (format) {
        case "json":
          JsonReport.write(input, out);
          break;
        case "markdown":
          MarkdownReport.write(input, out, summary);
          break;
        default:
          TextReport.write(input, out, summary);
          break;
      }
    } catch (IOException e) {
      stderr.println("reqflow report: cannot write the report: " + e.getMessage());
      return UNREADABLE;
    }
    if (budgetMs >= 0) {
      boolean over = false;
      for (EndpointSummary e : analysis.endpoints()) {
        if (e.p95Nanos() > budgetMs * 1_000_000L) {
          over = true;
          stderr.println(
              "reqflow report: over budget: "
                  + e.name()
                  + " p95 "
                  + Durations.format(e.p95Nanos())
                  + " > "
                  + budgetMs
                  + " ms");
        }
      }
      if (over) {
        return OVER_BUDGET;
      }
    }
    return OK;
  }

  /**
   * Writes the text report of flows that came over OTLP rather than from files (the viewer's {@code
   * --headless} receiver): the same report as for a file of those spans, its header saying they
   * were received.
   *
   * @param reports the flows' reports, analysed with each other as history
   * @param spans spans received
   * @param summary only the header and "What to change first"
   */
  public static void writeReceived(
      List<dev.reqflow.analysis.FlowReport> reports,
      long spans,
      PrintStream stdout,
      boolean summary) {
    writeReceived(reports, spans, List.of(), stdout, summary);
  }

  /**
   * As {@link #writeReceived(List, long, PrintStream, boolean)}, with what the received spans said
   * of themselves ({@code warnings}: the agent's background installs, as a file's reader words
   * them), written first as a file's warnings are.
   */
  public static void writeReceived(
      List<dev.reqflow.analysis.FlowReport> reports,
      long spans,
      List<String> warnings,
      PrintStream stdout,
      boolean summary) {
    ReportInput input = new ReportInput(Analysis.result(reports), 0, spans, warnings);
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), false);
    TextReport.write(input, out, summary);
    out.flush();
  }

  private static int usage(PrintStream stderr, String problem) {
    stderr.println("reqflow report: " + problem);
    stderr.println(USAGE_TEXT);
    return USAGE;
  }
}
