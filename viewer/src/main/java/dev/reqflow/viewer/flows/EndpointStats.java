package dev.reqflow.viewer.flows;

import dev.reqflow.analysis.BlindSpot;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.StalledFlow;
import dev.reqflow.analysis.Suggestion;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * What the flow list shows for one endpoint: how many flows, their p50 and p95, the share of their
 * time the render thread spent blocked, how many kinds of suggestion they raised, a small duration
 * histogram, what reqflow did not see of them ({@code notSeen}: the report's sentence, {@code ""}
 * when it saw them whole), and how many of them had not ended ({@code stalled}, {@code ""} when all
 * ended). Pure; nearest-rank percentiles like the CLI report.
 */
public record EndpointStats(
    String name,
    int count,
    long p50Nanos,
    long p95Nanos,
    long maxNanos,
    double blockedShare,
    int suggestionKinds,
    int[] histogram,
    String notSeen,
    String stalled) {

  public static final int BINS = 12;

  public static EndpointStats of(String name, List<FlowReport> reports) {
    int n = reports.size();
    long[] durations = new long[n];
    long total = 0;
    long blocked = 0;
    List<dev.reqflow.flow.Flow> flows = new java.util.ArrayList<>(n);
    EnumSet<dev.reqflow.analysis.SuggestionKind> kinds =
        EnumSet.noneOf(dev.reqflow.analysis.SuggestionKind.class);
    for (int i = 0; i < n; i++) {
      FlowReport r = reports.get(i);
      durations[i] = r.flow().durationNanos();
      flows.add(r.flow());
      total += durations[i];
      blocked += Math.min(durations[i], r.criticalPath().blockedNanos());
      for (Suggestion s : r.suggestions()) {
        kinds.add(s.kind());
      }
    }
    Arrays.sort(durations);
    int[] hist = new int[BINS];
    if (n > 0) {
      long min = durations[0];
      long max = durations[n - 1];
      long width = Math.max(1, max - min);
      for (long d : durations) {
        int bin = (int) Math.min(BINS - 1, (d - min) * BINS / width);
        hist[bin]++;
      }
    }
    return new EndpointStats(
        name,
        n,
        percentile(durations, 0.50),
        percentile(durations, 0.95),
        n == 0 ? 0 : durations[n - 1],
        total == 0 ? 0 : (double) blocked / total,
        kinds.size(),
        hist,
        notSeen(name, flows),
        stalled(flows));
  }

  /** {@code 1 of 3 flows had not ended (1 deadlocked, 1 stalled)}, or {@code ""}. */
  private static String stalled(List<dev.reqflow.flow.Flow> flows) {
    List<StalledFlow> open = StalledFlow.of(flows);
    if (open.isEmpty()) {
      return "";
    }
    int deadlocked = 0;
    int stalled = 0;
    for (StalledFlow s : open) {
      deadlocked += s.deadlocks().isEmpty() ? 0 : 1;
      stalled += s.stalled() ? 1 : 0;
    }
    List<String> parts = new java.util.ArrayList<>();
    if (deadlocked > 0) {
      parts.add(deadlocked + " deadlocked");
    }
    if (stalled > 0) {
      parts.add(stalled + " stalled");
    }
    return open.size()
        + " of "
        + flows.size()
        + (flows.size() == 1 ? " flow" : " flows")
        + " had not ended"
        + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")")
        + ".";
  }

  private static String notSeen(String name, List<dev.reqflow.flow.Flow> flows) {
    if (flows.isEmpty()) {
      return "";
    }
    BlindSpot b = BlindSpot.of(flows.get(0).service(), name, flows);
    return b.blind() ? b.sentence() + "." : "";
  }

  /** Nearest-rank percentile of sorted values; 0 when there are none. */
  static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
