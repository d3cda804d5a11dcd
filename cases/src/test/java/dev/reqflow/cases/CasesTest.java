package dev.reqflow.cases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.AnalysisResult;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.contract.TraceContract;
import dev.reqflow.otlp.Flows;
import dev.reqflow.otlp.ReadResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case recorded now under the agent jar, analysed as the report does (all flows of the
 * recording together), and judged (see {@link Verdict}). Writes the truth table README shows to
 * {@code target/cases-truth.md}, and what each verdict rests on to {@code
 * target/cases-details.txt}. With {@code -Dreqflow.cases.trace=FILE}, judges that recording instead
 * of making one (to work on the analysis against the same bytes).
 */
class CasesTest {
  static final List<Verdict> VERDICTS = new ArrayList<>();
  static Path TRACE;

  @BeforeAll
  static void recordAndJudge() throws Exception {
    Path out = Path.of(System.getProperty("reqflow.cases.out", "target"));
    Files.createDirectories(out);
    Map<String, Case> cases = CaseServer.all();
    String given = System.getProperty("reqflow.cases.trace", "");
    CasesRecording recording = new CasesRecording(out);
    Path trace = given.isEmpty() ? recording.record(cases.values()) : Path.of(given);
    TRACE = trace;
    recording.stalled.forEach(
        (name, pairs) -> {
          if (!pairs.isEmpty()) {
            System.out.println(
                "cases: " + name + " pairs loaded again, the machine stalled: " + pairs);
          }
        });
    ReadResult read = Flows.read(trace);
    // The bad pages are judged as their user would see them: from a recording without any fixed
    // variant, since nobody has the fix's recording before making it (its calls' timings must not
    // inform the prediction). The fixed pages are judged on the whole recording.
    AnalysisResult withoutFixes =
        Analysis.analyse(
            read.flows().stream().filter(f -> !f.name().endsWith("?variant=fixed")).toList());
    AnalysisResult all = Analysis.analyse(read.flows());
    Map<String, List<FlowReport>> byName = new HashMap<>();
    for (FlowReport r : withoutFixes.flows()) {
      byName.computeIfAbsent(r.flow().name(), k -> new ArrayList<>()).add(r);
    }
    for (FlowReport r : all.flows()) {
      if (r.flow().name().endsWith("?variant=fixed")) {
        byName.computeIfAbsent(r.flow().name(), k -> new ArrayList<>()).add(r);
      }
    }
    for (Case c : cases.values()) {
      VERDICTS.add(
          Verdict.of(
              c,
              byName.getOrDefault(page(c, "bad"), List.of()),
              byName.getOrDefault(page(c, "fixed"), List.of()),
              recording.stalled.getOrDefault(c.name(), Set.of())));
    }
    Files.writeString(
        out.resolve("cases-truth.md"), TruthTable.markdown(VERDICTS), StandardCharsets.UTF_8);
    Files.writeString(
        out.resolve("cases-details.txt"), TruthTable.details(VERDICTS), StandardCharsets.UTF_8);
    System.out.print(TruthTable.markdown(VERDICTS));
  }

  private static String page(Case c, String variant) {
    return "GET /case/" + c.name() + "?variant=" + variant;
  }

  /**
   * The agent compared request values with response values to find data dependencies, and hashed
   * whole requests: none of those values may be in the trace, only keyed hashes and links.
   */
  @Test
  void noQueryOrBodyValueLeavesTheProcess() throws Exception {
    String trace = Files.readString(TRACE);
    assertThat(trace).contains(TraceContract.Attr.REQUEST_HASH);
    assertThat(trace).contains("\"" + TraceContract.LinkType.DATA + "\"");
    // Ids the services answered with (user-48213, item-48220) went out in later requests' URLs.
    assertThat(Pattern.compile("[a-z]+-\\d{5}").matcher(trace).find()).isFalse();
    assertThat(trace).doesNotContain("tenant=acme").doesNotContain("\"acme\"");
  }

  @TestFactory
  Stream<DynamicTest> everyCaseMeetsItsTruth() {
    return VERDICTS.stream()
        .map(
            v ->
                DynamicTest.dynamicTest(
                    v.c().name(), () -> assertThat(v.problems()).as(v.c().name()).isEmpty()));
  }
}
