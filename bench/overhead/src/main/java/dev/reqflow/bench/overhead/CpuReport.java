package dev.reqflow.bench.overhead;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The CPU comparison's tables, in markdown, from its windows. */
final class CpuReport {
  private static final int RESAMPLES = 5_000;

  /** Fixed, so that the same windows give the same interval. */
  private static final long SEED = 13;

  private final List<CpuWindow> windows;
  private final List<CpuVariant> variants;

  CpuReport(List<CpuWindow> windows, List<CpuVariant> variants) {
    this.windows = windows;
    this.variants = variants;
  }

  /**
   * Per variant: the CPU a page by kind, median over the rounds (min – max) of the round's value,
   * the mean over the variant's page servers; each server's own median of the page work; latency
   * and failures.
   */
  String perVariant() {
    StringBuilder md = new StringBuilder();
    md.append(
        "| variant | rounds | page work | JIT | GC and VM | work + GC | whole process | page work"
            + " of each JVM (median) | p50 ms | p99 ms | failed pages |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |\n");
    for (CpuVariant v : variants) {
      List<CpuWindow> of = of(v.label());
      String perJvm =
          of.stream()
              .map(CpuWindow::replica)
              .distinct()
              .sorted()
              .map(
                  r ->
                      String.format(
                          "%.0f",
                          spread(
                                  of.stream().filter(w -> w.replica() == r).toList(),
                                  CpuWindow::workMicros)
                              .median()))
              .reduce((a, b) -> a + ", " + b)
              .orElse("–");
      md.append("| ")
          .append(v.label())
          .append(" | ")
          .append(roundMeans(v.label(), CpuWindow::workMicros).size())
          .append(" | ")
          .append(Spread.of(values(v.label(), CpuWindow::workMicros)).format("%.0f"))
          .append(" | ")
          .append(Spread.of(values(v.label(), CpuWindow::jitMicros)).format("%.0f"))
          .append(" | ")
          .append(Spread.of(values(v.label(), CpuWindow::gcVmMicros)).format("%.0f"))
          .append(" | ")
          .append(Spread.of(values(v.label(), CpuReport::workAndGc)).format("%.0f"))
          .append(" | ")
          .append(Spread.of(values(v.label(), CpuWindow::processMicros)).format("%.0f"))
          .append(" | ")
          .append(perJvm)
          .append(" | ")
          .append(spread(of, w -> w.p50Nanos() / 1e6).format("%.2f"))
          .append(" | ")
          .append(spread(of, w -> w.p99Nanos() / 1e6).format("%.2f"))
          .append(" | ")
          .append(of.stream().mapToLong(CpuWindow::failures).sum())
          .append(" |\n");
    }
    return md.toString();
  }

  /**
   * Per variant but the baseline: the per-round differences of its page work (and of work + GC) to
   * the baseline's, median with a bootstrap 95% interval of the median, range, and the medians of
   * the rounds in which it ran before and after the baseline (an order effect shows there).
   */
  String againstBaseline() {
    StringBuilder md = new StringBuilder();
    md.append(
        "| variant | rounds | page work added: median [95% interval] | min – max | ran"
            + " before / after the baseline | work + GC added: median [95% interval] |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    String base = variants.get(0).label();
    Map<Integer, Double> baseWork = roundMeans(base, CpuWindow::workMicros);
    Map<Integer, Double> baseWorkGc = roundMeans(base, CpuReport::workAndGc);
    Map<Integer, Double> basePosition = roundMeans(base, w -> w.position());
    for (CpuVariant v : variants.subList(1, variants.size())) {
      List<Double> work = new ArrayList<>();
      List<Double> workGc = new ArrayList<>();
      List<Double> before = new ArrayList<>();
      List<Double> after = new ArrayList<>();
      Map<Integer, Double> position = roundMeans(v.label(), w -> w.position());
      Map<Integer, Double> workGcOf = roundMeans(v.label(), CpuReport::workAndGc);
      roundMeans(v.label(), CpuWindow::workMicros)
          .forEach(
              (round, x) -> {
                if (!baseWork.containsKey(round)) {
                  return;
                }
                double d = x - baseWork.get(round);
                work.add(d);
                workGc.add(workGcOf.get(round) - baseWorkGc.get(round));
                (position.get(round) < basePosition.get(round) ? before : after).add(d);
              });
      Spread s = Spread.of(work);
      double[] ci = medianInterval(work);
      double[] ciGc = medianInterval(workGc);
      md.append("| ")
          .append(v.label())
          .append(" | ")
          .append(work.size())
          .append(" | ")
          .append(String.format("%+.0f [%+.0f, %+.0f]", s.median(), ci[0], ci[1]))
          .append(" | ")
          .append(String.format("%+.0f – %+.0f", s.min(), s.max()))
          .append(" | ")
          .append(
              String.format(
                  "%+.0f (%d) / %+.0f (%d)",
                  Spread.of(before).median(),
                  before.size(),
                  Spread.of(after).median(),
                  after.size()))
          .append(" | ")
          .append(
              String.format("%+.0f [%+.0f, %+.0f]", Spread.of(workGc).median(), ciGc[0], ciGc[1]))
          .append(" |\n");
    }
    return md.toString();
  }

  private static double workAndGc(CpuWindow w) {
    return w.workMicros() + w.gcVmMicros();
  }

  /** {@code f} per round: the mean over the variant's page servers' windows of that round. */
  private Map<Integer, Double> roundMeans(String label, ToDoubleFunction<CpuWindow> f) {
    Map<Integer, List<Double>> byRound = new TreeMap<>();
    for (CpuWindow w : of(label)) {
      byRound.computeIfAbsent(w.round(), r -> new ArrayList<>()).add(f.applyAsDouble(w));
    }
    Map<Integer, Double> means = new TreeMap<>();
    byRound.forEach(
        (r, xs) -> means.put(r, xs.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
    return means;
  }

  private List<Double> values(String label, ToDoubleFunction<CpuWindow> f) {
    return new ArrayList<>(roundMeans(label, f).values());
  }

  /**
   * The live work threads' CPU by name (digits as N), µs a page, median over each server's windows;
   * names under 2 µs a page everywhere are left out. Threads that ended within a window are not
   * here (they are in the page work only).
   */
  String threadsByName() {
    Map<String, Map<String, Double>> medians = new TreeMap<>();
    for (CpuVariant v : variants) {
      List<CpuWindow> of = of(v.label());
      Map<String, List<Double>> perName = new HashMap<>();
      for (CpuWindow w : of) {
        w.used().liveWorkByName().keySet().forEach(n -> perName.putIfAbsent(n, new ArrayList<>()));
      }
      for (CpuWindow w : of) {
        for (Map.Entry<String, List<Double>> e : perName.entrySet()) {
          long ns = w.used().liveWorkByName().getOrDefault(e.getKey(), 0L);
          e.getValue().add(ns / 1e3 / w.pages());
        }
      }
      perName.forEach(
          (name, values) ->
              medians
                  .computeIfAbsent(name, n -> new HashMap<>())
                  .put(v.label(), Spread.of(values).median()));
    }
    StringBuilder md = new StringBuilder("| thread |");
    variants.forEach(v -> md.append(' ').append(v.label()).append(" |"));
    md.append("\n| --- |");
    variants.forEach(v -> md.append(" ---: |"));
    md.append('\n');
    medians.forEach(
        (name, byVariant) -> {
          if (byVariant.values().stream().noneMatch(x -> x >= 2)) {
            return;
          }
          md.append("| `").append(name).append("` |");
          for (CpuVariant v : variants) {
            Double x = byVariant.get(v.label());
            md.append(' ').append(x == null ? "–" : String.format("%.0f", x)).append(" |");
          }
          md.append('\n');
        });
    return md.toString();
  }

  /**
   * The 2.5th and 97.5th percentiles of the median of {@code values} resampled with replacement
   * (the percentile bootstrap); NaN for no values.
   */
  static double[] medianInterval(List<Double> values) {
    int n = values.size();
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    Random random = new Random(SEED);
    double[] medians = new double[RESAMPLES];
    double[] sample = new double[n];
    for (int r = 0; r < RESAMPLES; r++) {
      for (int i = 0; i < n; i++) {
        sample[i] = values.get(random.nextInt(n));
      }
      Arrays.sort(sample);
      medians[r] = n % 2 == 1 ? sample[n / 2] : (sample[n / 2 - 1] + sample[n / 2]) / 2;
    }
    Arrays.sort(medians);
    return new double[] {
      medians[(int) (RESAMPLES * 0.025)], medians[(int) Math.ceil(RESAMPLES * 0.975) - 1]
    };
  }

  private List<CpuWindow> of(String label) {
    return windows.stream().filter(w -> w.label().equals(label)).toList();
  }

  private static Spread spread(List<CpuWindow> of, ToDoubleFunction<CpuWindow> f) {
    return Spread.of(of.stream().map(w -> f.applyAsDouble(w)).toList());
  }
}
