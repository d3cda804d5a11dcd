package dev.reqflow.cases;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import java.util.List;
import java.util.Locale;

/**
 * The truth table of the cases, in Markdown for README, and the details behind each verdict for
 * people who want to know why one failed.
 */
final class TruthTable {
  private TruthTable() {}

  static String markdown(List<Verdict> verdicts) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| case | pattern | bad (median) | first suggestion | predicted | fixed (median) | error"
            + " | the fix | verdict |\n");
    sb.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Verdict v : verdicts) {
      boolean none = v.c().expectedKind().isEmpty();
      sb.append("| `")
          .append(v.c().name())
          .append("` | ")
          .append(v.c().pattern())
          .append(" | ")
          .append(v.badMs())
          .append(" ms | `")
          .append(v.firstKind())
          .append('`')
          .append(v.whyNone().isEmpty() ? "" : ": " + shortReason(v.whyNone()))
          .append(" | ")
          .append(
              none || v.firstKind().equals("none")
                  ? ""
                  : (v.c().blindInBad() == null ? "" : v.c().blindInBad().sign() + " ")
                      + v.predictedMs()
                      + " ms")
          .append(" | ")
          .append(v.fixedMs())
          .append(" ms | ")
          .append(
              none || v.firstKind().equals("none")
                  ? ""
                  : String.format(Locale.ROOT, "%+.0f%%", 100 * v.error()))
          .append(" | ")
          .append(v.c().fix())
          .append(" | ")
          .append(
              !v.passed()
                  ? "**fail**"
                  : v.c().blindInBad() == null
                      ? "pass"
                      : v.c().blindInBad().fixCostsMore()
                          ? "pass as a lower bound"
                          : "pass as an upper bound")
          .append(" |\n");
    }
    return sb.toString();
  }

  /** The reason up to its first colon: "the waits are one dependent chain, ...". */
  private static String shortReason(String whyNone) {
    int colon = whyNone.indexOf(':');
    return colon < 0 ? whyNone : whyNone.substring(0, colon);
  }

  static String details(List<Verdict> verdicts) {
    StringBuilder sb = new StringBuilder();
    for (Verdict v : verdicts) {
      sb.append("== ")
          .append(v.c().name())
          .append(": ")
          .append(v.passed() ? "pass" : "FAIL " + v.problems())
          .append('\n');
      if (v.c().blindInBad() != null) {
        sb.append("  the bad recording cannot show ")
            .append(v.c().blindInBad().what())
            .append(": the prediction is a bound\n");
      }
      pages(sb, "bad", v.bad());
      pages(sb, "fixed", v.fixed());
      if (!v.bad().isEmpty() && !Verdict.median(v.bad()).suggestions().isEmpty()) {
        sb.append("  the median bad page's first suggestion, in full:\n      ")
            .append(
                Verdict.median(v.bad())
                    .suggestions()
                    .get(0)
                    .explanation()
                    .replace("\n", "\n      "))
            .append('\n');
      }
    }
    return sb.toString();
  }

  private static void pages(StringBuilder sb, String variant, List<FlowReport> pages) {
    for (FlowReport r : pages) {
      sb.append("  ")
          .append(variant)
          .append(' ')
          .append(Verdict.ms(r.flow().durationNanos()))
          .append(" ms, ")
          .append(r.flow().calls().size())
          .append(" calls, trace ")
          .append(r.flow().traceId())
          .append('\n');
      if (!r.whyNone().isEmpty()) {
        sb.append("      no suggestion: ").append(r.whyNone()).append('\n');
      }
      for (Suggestion s : r.suggestions()) {
        sb.append("      ")
            .append(s.kind().id())
            .append(" -> ")
            .append(Verdict.ms(s.predictedNanos()))
            .append(" ms: ")
            .append(s.title())
            .append('\n');
      }
    }
  }
}
