package dev.reqflow.cases;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.report.ChangeSites;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One case judged against its truth, as issue 12 defines it: the first suggestion on the median bad
 * page is the expected kind; its predicted time is within {@link #TOLERANCE} of the fixed variant's
 * measured median; no fixed page gets a suggestion of that kind; an executor to raise is named at
 * the line where the case's program made it. A case whose bad page has nothing to change passes
 * when neither variant gets a suggestion.
 *
 * <p>A case whose fix changes a cost the bad recording cannot show ({@link Case#blindInBad}) is
 * judged on a bound: the first suggestion must say what its prediction leaves out, and the fixed
 * time must lie on the bound's side (within the tolerance); the table shows the bound and says so.
 *
 * <p>The predicted time is the median, over the judged bad pages, of what that kind of suggestion
 * predicts on each: as the fixed time is a median of pages, so that one page slowed by a loaded
 * machine moves neither.
 */
record Verdict(
    Case c,
    List<FlowReport> bad,
    List<FlowReport> fixed,
    long badMs,
    String firstKind,
    String whyNone,
    long predictedMs,
    long fixedMs,
    List<String> problems) {

  /** How far the prediction may be from the fixed variant's measured median. */
  static final double TOLERANCE = 0.10;

  private static final String NONE = "none";

  static Verdict of(
      Case c, List<FlowReport> badPages, List<FlowReport> fixedPages, Set<Integer> stalled) {
    List<FlowReport> bad = judged(c, badPages, stalled);
    List<FlowReport> fixed = judged(c, fixedPages, stalled);
    List<String> problems = new ArrayList<>();
    if (bad.isEmpty() || fixed.isEmpty()) {
      problems.add("no judged pages recorded (bad " + bad.size() + ", fixed " + fixed.size() + ")");
      return new Verdict(c, bad, fixed, 0, NONE, "", 0, 0, problems);
    }
    FlowReport median = median(bad);
    long badMs = ms(median.flow().durationNanos());
    long fixedMs = ms(median(fixed).flow().durationNanos());
    Suggestion first = median.suggestions().isEmpty() ? null : median.suggestions().get(0);
    String kind = first == null ? NONE : first.kind().id();
    long predictedMs = first == null ? 0 : medianPrediction(bad, first.kind().id());
    String expected = c.expectedKind().isEmpty() ? NONE : c.expectedKind();
    if (!kind.equals(expected)) {
      problems.add("first suggestion on the median bad page is " + kind + ", not " + expected);
    }
    if (first != null && kind.equals(expected) && first.title().startsWith("Raise executor")) {
      // The pool's size is changed where the program made it: the line named must be there.
      String where = ChangeSites.of(median.flow(), first);
      String program = c.getClass().getSimpleName();
      if (!where.startsWith(program + ".")) {
        problems.add(
            "the suggestion names \""
                + where
                + "\" as the line to change, not where "
                + program
                + " made its executor");
      }
    }
    if (first != null && !c.expectedKind().isEmpty()) {
      double error = error(predictedMs, fixedMs);
      BlindCost blind = c.blindInBad();
      if (blind != null && kind.equals(expected) && !first.explanation().contains(blind.named())) {
        problems.add(
            "the bad recording cannot show "
                + blind.what()
                + ", and the suggestion does not say its prediction leaves it out (\""
                + blind.named()
                + "\")");
      }
      // A bound holds on its side: a lower bound may be under the fixed time by any amount, not
      // over it by more than the tolerance (an upper bound the other way round).
      boolean wrong =
          blind == null
              ? Math.abs(error) > TOLERANCE
              : blind.fixCostsMore() ? error > TOLERANCE : error < -TOLERANCE;
      if (wrong) {
        problems.add(
            String.format(
                Locale.ROOT,
                "predicted %s%d ms, but the fixed variant measured %d ms (%+.0f%%)",
                blind == null ? "" : blind.sign() + " ",
                predictedMs,
                fixedMs,
                100 * error));
      }
    }
    for (FlowReport r : fixed) {
      for (Suggestion s : r.suggestions()) {
        if (s.kind().id().equals(expected) || c.expectedKind().isEmpty()) {
          problems.add(
              "a fixed page ("
                  + ms(r.flow().durationNanos())
                  + " ms) still gets "
                  + s.kind().id()
                  + ": "
                  + s.title());
          break;
        }
      }
    }
    return new Verdict(
        c, bad, fixed, badMs, kind, median.whyNone(), predictedMs, fixedMs, problems);
  }

  /** The median over the pages of the prediction of their first suggestion of that kind. */
  private static long medianPrediction(List<FlowReport> pages, String kind) {
    List<Long> predicted = new ArrayList<>();
    for (FlowReport r : pages) {
      r.suggestions().stream()
          .filter(s -> s.kind().id().equals(kind))
          .findFirst()
          .ifPresent(s -> predicted.add(s.predictedNanos()));
    }
    predicted.sort(null);
    return ms(predicted.get((predicted.size() - 1) / 2));
  }

  boolean passed() {
    return problems.isEmpty();
  }

  /** Predicted against measured, signed: -0.04 is 4% under. */
  static double error(long predictedMs, long measuredMs) {
    return measuredMs == 0 ? 0 : (double) (predictedMs - measuredMs) / measuredMs;
  }

  double error() {
    return error(predictedMs, fixedMs);
  }

  private static List<FlowReport> judged(Case c, List<FlowReport> pages, Set<Integer> stalled) {
    List<FlowReport> byStart = new ArrayList<>(pages);
    byStart.sort(Comparator.comparingLong(r -> r.flow().startNanos()));
    List<FlowReport> out = new ArrayList<>();
    for (int i = 0; i < byStart.size(); i++) {
      if (c.judged(i) && !stalled.contains(i)) {
        out.add(byStart.get(i));
      }
    }
    return out;
  }

  /** The page of median duration (the lower one of an even count). */
  static FlowReport median(List<FlowReport> pages) {
    List<FlowReport> sorted = new ArrayList<>(pages);
    sorted.sort(Comparator.comparingLong(r -> r.flow().durationNanos()));
    return sorted.get((sorted.size() - 1) / 2);
  }

  static long ms(long nanos) {
    return Math.round(nanos / 1e6);
  }
}
