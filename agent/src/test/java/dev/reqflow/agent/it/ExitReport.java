package dev.reqflow.agent.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's exit line, read back: {@code reqflow: N spans recorded; SINK: N written|sent[, N
 * dropped (REASON N, ...)]; ...; LABEL: N ...}.
 */
final class ExitReport {
  private static final Pattern LINE =
      Pattern.compile(
          "(?m)^reqflow: ([\\d,]+) spans recorded(?: \\(([\\d,]+) to export, ([\\d,]+) let go with"
              + " flows not kept(?:, ([\\d,]+) dropped with the hold full)?\\))?(.*)$");
  private static final Pattern SINK =
      Pattern.compile(
          "^(file .+|OTLP .+): ([\\d,]+) (written|sent)(?:, ([\\d,]+) dropped \\((.*)\\))?$");
  private static final Pattern REASON = Pattern.compile("([a-z ]+) ([\\d,]+)");
  private static final Pattern OTHER = Pattern.compile("^([^:]+): ([\\d,]+)(?: \\(.*\\))?$");
  private static final Pattern NOT_SEEN =
      Pattern.compile("^not seen as calls: ([\\d,]+) flows? waited .*$");
  private static final Pattern FLOWS =
      Pattern.compile(
          "^flows: ([\\d,]+) ended, ([\\d,]+) exported \\((.*)\\), ([\\d,]+) not exported$");
  private static final Pattern FLOW_REASON = Pattern.compile("(\\d[\\d,]*) ([^,]+)");
  private static final Pattern LIBRARIES =
      Pattern.compile("^client libraries loaded whose calls are not recorded: (.+)$");

  final String line;
  final long recorded;

  /**
   * Of {@link #recorded}, the spans handed to export; the others ({@code keep.slow}) were let go
   * with flows not kept, or dropped from a full hold. All of them without {@code keep.slow}.
   */
  long toExport;

  long letGo;
  long heldDropped;
  final Map<String, Sink> sinks = new LinkedHashMap<>();

  /** The recorder's own losses by label, e.g. {@code agent errors}. */
  final Map<String, Long> recorder = new LinkedHashMap<>();

  /** Flows that waited on I/O the agent did not see as calls. */
  long notSeenFlows;

  /** Sampling's flows ({@code flows: N ended, N exported (N REASON, ...), N not exported}). */
  long flowsEnded;

  long flowsExported;
  long flowsNotExported;

  /** Exported flows by reason, as the line names them ({@code sampled at start}, ...). */
  final Map<String, Long> flowsExportedBy = new LinkedHashMap<>();

  /** Client libraries loaded whose calls are not recorded, as the line names them. */
  String unrecordedLibraries = "";

  /** What became of the spans at one sink. */
  static final class Sink {
    long delivered;
    long dropped;
    final Map<String, Long> reasons = new LinkedHashMap<>();

    long reason(String label) {
      return reasons.getOrDefault(label, 0L);
    }

    @Override
    public String toString() {
      return delivered + " delivered, " + dropped + " dropped " + reasons;
    }
  }

  private ExitReport(String line, long recorded) {
    this.line = line;
    this.recorded = recorded;
  }

  /** The one exit line in {@code stderr}; fails if there is none or more than one. */
  static ExitReport in(String stderr) {
    Matcher m = LINE.matcher(stderr);
    if (!m.find()) {
      throw new AssertionError("no exit line in:\n" + stderr);
    }
    ExitReport r = new ExitReport(m.group(), number(m.group(1)));
    r.toExport = m.group(2) == null ? r.recorded : number(m.group(2));
    r.letGo = m.group(3) == null ? 0 : number(m.group(3));
    r.heldDropped = m.group(4) == null ? 0 : number(m.group(4));
    String rest = m.group(5);
    if (m.find()) {
      throw new AssertionError("two exit lines in:\n" + stderr);
    }
    for (String part : rest.split("; ")) {
      if (part.isEmpty()) {
        continue;
      }
      Matcher s = SINK.matcher(part);
      if (s.matches()) {
        Sink sink = new Sink();
        sink.delivered = number(s.group(2));
        if (s.group(4) != null) {
          sink.dropped = number(s.group(4));
          Matcher reason = REASON.matcher(s.group(5));
          while (reason.find()) {
            sink.reasons.put(reason.group(1).trim(), number(reason.group(2)));
          }
        }
        r.sinks.put(s.group(1).startsWith("file") ? "file" : "OTLP", sink);
        continue;
      }
      Matcher n = NOT_SEEN.matcher(part);
      if (n.matches()) {
        r.notSeenFlows = number(n.group(1));
        continue;
      }
      Matcher f = FLOWS.matcher(part);
      if (f.matches()) {
        r.flowsEnded = number(f.group(1));
        r.flowsExported = number(f.group(2));
        r.flowsNotExported = number(f.group(4));
        Matcher reason = FLOW_REASON.matcher(f.group(3));
        while (reason.find()) {
          r.flowsExportedBy.put(reason.group(2).trim(), number(reason.group(1)));
        }
        continue;
      }
      Matcher l = LIBRARIES.matcher(part);
      if (l.matches()) {
        r.unrecordedLibraries = l.group(1);
        continue;
      }
      Matcher o = OTHER.matcher(part);
      if (!o.matches()) {
        throw new AssertionError("unreadable part '" + part + "' of " + r.line);
      }
      r.recorder.put(o.group(1), number(o.group(2)));
    }
    return r;
  }

  Sink file() {
    return sink("file");
  }

  Sink otlp() {
    return sink("OTLP");
  }

  private Sink sink(String kind) {
    Sink s = sinks.get(kind);
    if (s == null) {
      throw new AssertionError("no " + kind + " sink in " + line);
    }
    return s;
  }

  long recorderLoss(String labelStart) {
    return recorder.entrySet().stream()
        .filter(e -> e.getKey().startsWith(labelStart))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static long number(String s) {
    return Long.parseLong(s.replace(",", ""));
  }

  @Override
  public String toString() {
    return line;
  }
}
