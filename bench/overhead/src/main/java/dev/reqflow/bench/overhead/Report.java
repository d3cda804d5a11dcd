package dev.reqflow.bench.overhead;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The results as markdown for {@code BENCHMARKS.md}: per variant, then each agent against no agent
 * with the budgets, then what each agent adds in threads and what reached the sink, then every run.
 * Differences are paired: taken within a round, where the runs compared were minutes apart, then
 * the median over rounds; a drift of the machine's load over the whole run cancels out that way.
 */
final class Report {
  static final double STARTUP_BUDGET_MS = 300;
  static final double THROUGHPUT_BUDGET = 0.97;
  static final double P99_BUDGET_MICROS = 100;

  private final List<RunResult> runs;
  private final List<Variant> variants;

  Report(List<RunResult> runs, List<Variant> variants) {
    this.runs = runs;
    this.variants = variants;
  }

  String perVariant() {
    StringBuilder s = new StringBuilder();
    s.append(
        "| variant | startup to first page | throughput | p50 | p99 | allocated per page |"
            + " server CPU per page | peak RSS | threads |\n");
    s.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Variant v : variants) {
      s.append("| ")
          .append(v.id())
          .append(" | ")
          .append(spread(v, r -> r.startupNanos() / 1e6).format("%.0f"))
          .append(" ms | ")
          .append(spread(v, RunResult::pagesPerSecond).format("%.0f"))
          .append(" pages/s | ")
          .append(spread(v, r -> r.p50Nanos() / 1e6).format("%.2f"))
          .append(" ms | ")
          .append(spread(v, r -> r.p99Nanos() / 1e6).format("%.2f"))
          .append(" ms | ")
          .append(spread(v, r -> r.allocatedBytesPerPage() / 1024).format("%.1f"))
          .append(" KiB | ")
          .append(spread(v, RunResult::cpuMicrosPerPage).format("%.0f"))
          .append(" µs | ")
          .append(spread(v, r -> r.peakRssKib() / 1024.0).format("%.0f"))
          .append(" MiB | ")
          .append(spread(v, r -> r.threadNames().size()).format("%.0f"))
          .append(" |\n");
    }
    return s.toString();
  }

  String againstNoAgent() {
    StringBuilder s = new StringBuilder();
    s.append(
        "| agent | startup added (budget ≤ 300 ms) | throughput vs none (budget ≥ 97%) |"
            + " p99 added (budget ≤ 100 µs) | p50 added | allocated added per page |"
            + " CPU added per page | peak RSS added | agent threads |\n");
    s.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Variant v : variants) {
      if (v == Variant.NONE) {
        continue;
      }
      Spread startup = paired(v, (a, none) -> (a.startupNanos() - none.startupNanos()) / 1e6);
      Spread throughput = paired(v, (a, none) -> a.pagesPerSecond() / none.pagesPerSecond() * 100);
      Spread p99 = paired(v, (a, none) -> (a.p99Nanos() - none.p99Nanos()) / 1e3);
      Spread p50 = paired(v, (a, none) -> (a.p50Nanos() - none.p50Nanos()) / 1e3);
      Spread alloc =
          paired(v, (a, none) -> (a.allocatedBytesPerPage() - none.allocatedBytesPerPage()) / 1024);
      Spread cpu = paired(v, (a, none) -> a.cpuMicrosPerPage() - none.cpuMicrosPerPage());
      Spread rss = paired(v, (a, none) -> (a.peakRssKib() - none.peakRssKib()) / 1024.0);
      s.append("| ")
          .append(v.id())
          .append(" | ")
          .append(startup.format("%+.0f"))
          .append(" ms ")
          .append(verdict(startup.max() <= STARTUP_BUDGET_MS, startup.min() <= STARTUP_BUDGET_MS))
          .append(" | ")
          .append(throughput.format("%.1f"))
          .append(" % ")
          .append(
              verdict(
                  throughput.min() >= THROUGHPUT_BUDGET * 100,
                  throughput.max() >= THROUGHPUT_BUDGET * 100))
          .append(" | ")
          .append(p99.format("%+.0f"))
          .append(" µs ")
          .append(verdict(p99.max() <= P99_BUDGET_MICROS, p99.min() <= P99_BUDGET_MICROS))
          .append(" | ")
          .append(p50.format("%+.0f"))
          .append(" µs | ")
          .append(alloc.format("%+.1f"))
          .append(" KiB | ")
          .append(cpu.format("%+.0f"))
          .append(" µs | ")
          .append(rss.format("%+.0f"))
          .append(" MiB | ")
          .append(spread(v, r -> agentThreads(r).size()).format("%.0f"))
          .append(" |\n");
    }
    return s.toString();
  }

  /** The distinct names of the threads each agent adds, digits shown as N. */
  String agentThreadNames() {
    StringBuilder s = new StringBuilder();
    for (Variant v : variants) {
      if (v == Variant.NONE) {
        continue;
      }
      Set<String> names = new TreeSet<>();
      runsOf(v).forEach(r -> agentThreads(r).forEach(n -> names.add(normalised(n))));
      s.append("- ")
          .append(v.id())
          .append(": ")
          .append(
              names.isEmpty()
                  ? "none"
                  : names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", ")))
          .append('\n');
    }
    return s.toString();
  }

  /** OTLP requests and bytes that reached the sink per run (median), by path. */
  String exported() {
    StringBuilder s = new StringBuilder();
    Set<String> paths = new TreeSet<>();
    runs.forEach(r -> paths.addAll(r.exported().keySet()));
    if (paths.isEmpty()) {
      return "Nothing reached the sink.\n";
    }
    s.append("| variant |");
    paths.forEach(p -> s.append(' ').append(p).append(" |"));
    s.append('\n').append("| --- |");
    paths.forEach(p -> s.append(" --- |"));
    s.append('\n');
    for (Variant v : variants) {
      s.append("| ").append(v.id()).append(" |");
      for (String p : paths) {
        Spread requests = spread(v, r -> r.exported().getOrDefault(p, new long[2])[0]);
        Spread bytes = spread(v, r -> r.exported().getOrDefault(p, new long[2])[1] / 1024.0);
        s.append(' ')
            .append(String.format("%.0f requests, %.0f KiB", requests.median(), bytes.median()))
            .append(" |");
      }
      s.append('\n');
    }
    return s.toString();
  }

  String everyRun() {
    StringBuilder s = new StringBuilder();
    s.append(
        "| round | variant | startup ms | warm-up s | JIT CPU ms measured | pages/s | server CPU |"
            + " CPU µs/page | KiB/page (heap) | KiB/page (live threads) | p50 ms | p99 ms | p99 from send ms | rate /s | RSS MiB |"
            + " threads | failures |\n");
    s.append("|" + " --- |".repeat(17) + "\n");
    for (RunResult r : runs) {
      s.append(
          String.format(
              "| %d | %s | %.0f | %.0f%s | %d | %.0f | %.0f%% | %.0f | %.1f | %.1f | %.3f | %.3f |"
                  + " %.3f |"
                  + " %.0f | %d | %d | %d |\n",
              r.round(),
              r.variant().id(),
              r.startupNanos() / 1e6,
              r.warmupSeconds(),
              r.jitSettled() ? "" : " (JIT busy)",
              r.jitMillisMeasured(),
              r.pagesPerSecond(),
              r.serverCpuShare() * 100,
              r.cpuMicrosPerPage(),
              r.allocatedBytesPerPage() / 1024,
              r.liveThreadBytesPerPage() / 1024,
              r.p50Nanos() / 1e6,
              r.p99Nanos() / 1e6,
              r.p99SendNanos() / 1e6,
              r.achievedRate(),
              r.peakRssKib() / 1024,
              r.threadNames().size(),
              r.failures()));
    }
    return s.toString();
  }

  private List<String> agentThreads(RunResult run) {
    Set<String> baseline = new TreeSet<>();
    runsOf(Variant.NONE).forEach(r -> r.threadNames().forEach(n -> baseline.add(normalised(n))));
    List<String> added = new ArrayList<>();
    for (String n : run.threadNames()) {
      if (!baseline.contains(normalised(n))) {
        added.add(n);
      }
    }
    return added;
  }

  private static String normalised(String threadName) {
    return threadName.replaceAll("[0-9]+", "N");
  }

  /**
   * Met when every round is within the budget, missed when none is; when the rounds disagree the
   * machine was too noisy to tell, and the report says so rather than let the median decide.
   */
  private static String verdict(boolean everyRoundMet, boolean someRoundMet) {
    if (everyRoundMet) {
      return "**met**";
    }
    return someRoundMet ? "**inconclusive** (rounds disagree)" : "**missed**";
  }

  private List<RunResult> runsOf(Variant v) {
    return runs.stream().filter(r -> r.variant() == v).collect(Collectors.toList());
  }

  private Spread spread(Variant v, ToDoubleFunction<RunResult> figure) {
    List<Double> values = new ArrayList<>();
    runsOf(v).forEach(r -> values.add(figure.applyAsDouble(r)));
    return Spread.of(values);
  }

  private interface PairedFigure {
    double of(RunResult agent, RunResult none);
  }

  private Spread paired(Variant v, PairedFigure figure) {
    Map<Integer, RunResult> none = new TreeMap<>();
    runsOf(Variant.NONE).forEach(r -> none.put(r.round(), r));
    List<Double> values = new ArrayList<>();
    for (RunResult r : runsOf(v)) {
      Optional.ofNullable(none.get(r.round())).ifPresent(n -> values.add(figure.of(r, n)));
    }
    return Spread.of(values);
  }
}
