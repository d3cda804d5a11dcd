package dev.reqflow.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden output of the writers. After an intended change, regenerate with {@code mvn -pl core test
 * -Dtest=ReportWritersTest -Dreqflow.updateGolden=true} and review the diff.
 */
class ReportWritersTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  /** A home page that calls three backends one after another, then a good one. */
  static ReportInput sample() {
    return new ReportInput(Analysis.analyse(flows()), 1, 8, List.of("1 duplicate span(s) ignored"));
  }

  static List<Flow> flows() {
    Flow serial =
        Timeline.parse(
            10,
            "GET /home",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "render |=uuuuuuuuuuuu=rrrrrrrr==cccccc=|",
            "u      | qccsssssssss                 | mode=sync site=31 new url=http://users:8081/users/42 host=users:8081",
            "r      |              ccssssss        | mode=sync site=32 new url=http://users:8081/recs host=users:8081 after-wait=u",
            "c      |                        ssssss| mode=sync site=33 reused url=http://cart:8083/cart host=cart:8083 after-wait=r");
    Flow good =
        Timeline.parse(
            10,
            "GET /home",
            "5bf92f3577b34da6a3ce929d0e0e4736",
            "render |=AAAAAAAAAAAA=|  A=u+r+c",
            "u      | ssssssssssss | site=31 reused url=http://users:8081/users/42 host=users:8081",
            "r      | ssssssss     | site=32 reused url=http://recs:8082/recs host=recs:8082",
            "c      | ssssss       | site=33 reused url=http://cart:8083/cart host=cart:8083");
    return List.of(serial, good);
  }

  @Test
  void text() throws IOException {
    assertGolden("report.txt", render("text"));
  }

  @Test
  void markdown() throws IOException {
    assertGolden("report.md", render("markdown"));
  }

  @Test
  void json() throws IOException {
    assertGolden("report.json", render("json"));
  }

  @Test
  void textSummaryOnly() throws IOException {
    assertGolden("report-summary.txt", render("text", sample(), true));
  }

  @Test
  void markdownSummaryOnly() throws IOException {
    assertGolden("report-summary.md", render("markdown", sample(), true));
  }

  /** The sample's flows, and an endpoint whose only flow needs no change. */
  static ReportInput withGoodEndpoint() {
    Flow about =
        Timeline.parse(
            10,
            "GET /about",
            "6bf92f3577b34da6a3ce929d0e0e4736",
            "render |=AAAA=|  A=u",
            "u      | ssss | site=40 reused url=http://users:8081/users/42 host=users:8081");
    List<Flow> all = new java.util.ArrayList<>(flows());
    all.add(about);
    return new ReportInput(Analysis.analyse(all), 1, 10, List.of());
  }

  @Test
  void summaryRanksBySavingPerFlowAndNamesWhereToChange() {
    Summary summary = Summary.of(withGoodEndpoint().analysis());
    assertThat(summary.items())
        .extracting(i -> i.kind().id())
        .containsExactly("parallelize", "reuse-connections");
    Summary.Item first = summary.items().get(0);
    assertThat(first.flows()).isEqualTo(1);
    assertThat(first.perFlowNanos()).isEqualTo(70_000_000L);
    assertThat(first.medianBeforeNanos()).isEqualTo(310_000_000L);
    assertThat(first.medianAfterNanos()).isEqualTo(170_000_000L);
    // Parallelizing is changed where the page waits; connection reuse where the call is made (the
    // second call to users:8081, which found the first one's connection free: the first one had
    // to open it).
    assertThat(first.where().phrase(first.kind(), first.title()))
        .isEqualTo("Page.render(Page.java:11), Page.render(Page.java:12) and 1 more");
    Summary.Item second = summary.items().get(1);
    assertThat(second.where().phrase(second.kind(), second.title()))
        .isEqualTo("Page.render(Page.java:32)");
    assertThat(summary.unchanged()).extracting(e -> e.name()).containsExactly("GET /about");
  }

  @Test
  void textSummaryNamesEndpointsWithoutChangesAndKeepsTo100Columns() throws IOException {
    String text = render("text", withGoodEndpoint(), true);
    assertThat(text)
        .contains("  1. GET /home  1 of 2 flows  saves 140 ms: 310 ms -> 170 ms\n")
        .contains("No change suggested for: GET /about\n")
        .doesNotContain("== GET /home");
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    assertThat(render("markdown", withGoodEndpoint(), true))
        .contains("No change suggested for: GET /about.")
        .contains("| 1 | GET /home | Issue the 3 calls together instead of one after another |");
  }

  @Test
  void failedCallsAreNamedInEachFlow() throws IOException {
    Flow f =
        Timeline.parse(
            10,
            "GET /api/parallel",
            "7bf92f3577b34da6a3ce929d0e0e4736",
            "render |=AAAAAAAAAA=|  A=u+e",
            "u      | ssssssssss | site=44 reused url=http://mock:8080/mock/data/1 host=mock:8080",
            "e      | ssss       | site=98 reused url=http://mock:8080/mock/data/2/exception"
                + " host=mock:8080 status=500");
    ReportInput in = new ReportInput(Analysis.analyse(List.of(f)), 1, 3, List.of());
    assertThat(render("text", in, false))
        .contains(
            "   FAILED: GET http://mock:8080/mock/data/2/exception: HTTP 500, at"
                + " Page.render(Page.java:98)\n");
    assertThat(render("markdown", in, false))
        .contains("> **Failed:** GET http://mock:8080/mock/data/2/exception: HTTP 500");
    assertThat(render("json", in, false))
        .contains("\"call_count\" : 2")
        .contains("\"status\" : 500")
        .contains("\"site\" : \"Page.render(Page.java:98)\"");
  }

  @Test
  void sampledFlowsAreSaidToBeASampleLeaningSlow() throws IOException {
    List<Flow> flows = new java.util.ArrayList<>();
    String[] because = {"at_start", "slower_than_p90", "slower_than_p90", "with_trace"};
    for (int i = 0; i < because.length; i++) {
      flows.add(
          Timeline.parse(
              10,
              "GET /home",
              "4bf92f3577b34da6a3ce929d0e0e473" + i,
              "render |=uuuu=| sampled=sample=0.1,keep.slow/" + because[i],
              "u      | ssss | mode=sync site=31 reused url=http://users:8081/u host=users:8081"));
    }
    ReportInput in = new ReportInput(Analysis.analyse(flows), 1, 8, List.of());
    String warning =
        "sampled recording (sample=0.1,keep.slow): these 4 flows are a sample, not every"
            + " request (1 drawn at random, 2 kept for being slower than their endpoint's p90, 1"
            + " kept with another flow of their trace), so flow counts are not request counts,"
            + " and medians and p95s over all of them lean toward the slow pages: each endpoint"
            + " also gives them over its flows drawn at random.";
    assertThat(in.warnings()).hasSize(1);
    assertThat(in.warnings().get(0)).startsWith(warning);
    String text = render("text", in, false).replaceAll("\\s+", " ");
    assertThat(text)
        .contains("warning: " + warning)
        .contains("4 flows: median 60 ms, p95 60 ms, max 60 ms (of which 1 drawn at random:");
    assertThat(render("json", in, false))
        .contains("sampled recording (sample=0.1,keep.slow)")
        .contains("\"sampled_because\" : \"slower_than_p90\"");
    // Unsampled flows: no such warning.
    assertThat(new ReportInput(Analysis.analyse(flows()), 1, 8, List.of()).warnings()).isEmpty();
  }

  @Test
  void moreThanFifteenChangesAreCounted() throws IOException {
    List<Flow> many = new java.util.ArrayList<>();
    for (int i = 0; i < 9; i++) {
      for (Flow f : flows()) {
        many.add(
            Timeline.parse(
                10,
                "GET /page" + i,
                f.traceId().substring(0, 31) + i,
                // One page after another: a page still running holds its connections.
                "render |=uuuuuuuuuuuu=rrrrrrrr==cccccc=| start-ms=" + (many.size() * 1000),
                "u      | qccsssssssss                 | mode=sync site=31 new url=http://users:8081/users/42 host=users:8081",
                "r      |              ssssssss        | mode=sync site=32 reused url=http://recs:8082/recs host=recs:8082 after-wait=u",
                "c      |                        ssssss| mode=sync site=33 reused url=http://cart:8083/cart host=cart:8083 after-wait=r"));
      }
    }
    ReportInput in = new ReportInput(Analysis.analyse(many), 1, 0, List.of());
    assertThat(Summary.of(in.analysis()).items()).hasSize(18);
    String text = render("text", in, false);
    assertThat(text).contains("  ... and 3 smaller changes in the endpoints' sections below.\n");
    assertThat(text).contains(" 15. GET /page").doesNotContain(" 16. GET /page");
  }

  private static String render(String format) throws IOException {
    return render(format, sample(), false);
  }

  private static String render(String format, ReportInput in, boolean summaryOnly)
      throws IOException {
    StringWriter sw = new StringWriter();
    PrintWriter out = new PrintWriter(sw);
    switch (format) {
      case "json":
        JsonReport.write(in, out);
        break;
      case "markdown":
        MarkdownReport.write(in, out, summaryOnly);
        break;
      default:
        TextReport.write(in, out, summaryOnly);
        break;
    }
    return sw.toString().replace(System.lineSeparator(), "\n");
  }

  private static void assertGolden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("reqflow.updateGolden")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
