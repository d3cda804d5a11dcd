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
 * Never an all-clear when blind: what reqflow did not see comes before "What to change first", in
 * every format, and no flow it was blind to is called "nothing worth changing". Golden files as in
 * {@link ReportWritersTest} ({@code -Dreqflow.updateGolden=true} rewrites them).
 */
class BlindReportTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  /**
   * Three endpoints reqflow was blind to (Jetty's calls, a database over a socket, a health check
   * with no calls) and one it saw (two serial calls, then socket reads).
   */
  static ReportInput blind() {
    Flow jetty1 =
        Timeline.parse(
            10,
            "GET /home",
            "2bf92f3577b34da6a3ce929d0e0e4736",
            "render |=@@@@@=@@@@@=@@@@@=| unseen-wait=150 libraries=Jetty_HttpClient");
    Flow jetty2 =
        Timeline.parse(
            10,
            "GET /home",
            "2cf92f3577b34da6a3ce929d0e0e4736",
            "render |=@@@@@@=@@@@@@=@@@@@@=| unseen-wait=180 libraries=Jetty_HttpClient");
    Flow orders =
        Timeline.parse(
            10,
            "GET /orders",
            "1bf92f3577b34da6a3ce929d0e0e4736",
            "render |==####==####=| unseen-socket=80 unseen-ops=4 libraries=Jetty_HttpClient");
    Flow health =
        Timeline.parse(
            10,
            "GET /health",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "render |==| libraries=Jetty_HttpClient");
    Flow mixed =
        Timeline.parse(
            10,
            "GET /mixed",
            "5bf92f3577b34da6a3ce929d0e0e4736",
            "render |=aaaaaaaaaa=bbbbbbbbbb=##########=| unseen-socket=100 unseen-ops=2",
            "a      | ssssssssss                       | mode=sync reused site=31",
            "b      |            ssssssssss            | mode=sync reused site=32 after-wait=a");
    return new ReportInput(
        Analysis.analyse(List.of(jetty1, jetty2, orders, health, mixed)), 1, 30, List.of());
  }

  /** Only flows reqflow was blind to: nothing to suggest. */
  static ReportInput blindOnly() {
    Flow jetty =
        Timeline.parse(
            10,
            "GET /home",
            "2bf92f3577b34da6a3ce929d0e0e4736",
            "render |=@@@@@=@@@@@=@@@@@=| unseen-wait=150 libraries=Jetty_HttpClient");
    return new ReportInput(Analysis.analyse(List.of(jetty)), 1, 4, List.of());
  }

  @Test
  void textSaysWhatItDidNotSeeFirst() throws IOException {
    String text = render("text", blind(), false);
    assertGolden("report-blind.txt", text);
    assertThat(text.indexOf("What reqflow did not see, first"))
        .isPositive()
        .isLessThan(text.indexOf("What to change first"));
    assertThat(text)
        .doesNotContain("nothing worth changing")
        .contains("Nothing suggested from the calls reqflow saw, which is no all-clear (above),");
    assertThat(text.lines().filter(l -> l.startsWith("No change suggested for:"))).isEmpty();
    String summary = text.substring(0, text.indexOf("\n== "));
    assertThat(summary.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
    assertGolden("report-blind-summary.txt", render("text", blind(), true));
  }

  @Test
  void markdownSaysWhatItDidNotSeeFirst() throws IOException {
    String md = render("markdown", blind(), false);
    assertGolden("report-blind.md", md);
    assertThat(md.indexOf("## What reqflow did not see"))
        .isPositive()
        .isLessThan(md.indexOf("## What to change first"));
    assertThat(render("markdown", blind(), true)).contains("## What reqflow did not see");
  }

  @Test
  void jsonHasTheFieldsForIt() throws IOException {
    String json = render("json", blind(), false);
    assertGolden("report-blind.json", json);
    assertThat(json)
        .startsWith("{\n  \"stalled\" : [ ],\n  \"not_seen\" : {\n    \"no_flows\" : false,")
        .contains("\"libraries_unrecorded\" : [ \"Jetty HttpClient\" ]")
        .contains("\"name\" : \"GET /home\",")
        .contains("\"median_unseen_ms\" : 150.0,")
        .contains("\"blind\" : true,\n    \"no_calls\" : true,")
        .contains("\"wait_ms\" : 150.0,");
  }

  @Test
  void nothingToChangeIsNoAllClearWhenBlind() throws IOException {
    String text = render("text", blindOnly(), true);
    assertThat(text)
        .contains("  ! GET /home\n")
        .contains("1 of 1 flow waited 150 ms (79% of its time) on I/O that reqflow did not see as")
        .contains("What to change first: nothing from the calls reqflow saw. That is no all-clear")
        .doesNotContain("no flow has a suggestion");
    assertThat(render("markdown", blindOnly(), true))
        .contains("Nothing from the calls reqflow saw. That is no all-clear")
        .doesNotContain("Nothing: no flow has a suggestion.");
    assertThat(render("text", blindOnly(), false))
        .contains("   No suggestions from the calls reqflow saw; it did not see all (above).")
        .doesNotContain("nothing worth changing");
  }

  /**
   * A page's first flow began before the agent's JDK Flight Recorder recording ran (its monitor
   * waits could not be recorded), the two after it were seen: three calls one after another, no
   * lock wait recorded in any.
   */
  static ReportInput lockWaitsUnseen() {
    List<Flow> flows = new java.util.ArrayList<>();
    String[] ids = {"a1", "a2", "a3"};
    for (int i = 0; i < ids.length; i++) {
      flows.add(
          Timeline.parse(
              10,
              "GET /locked",
              ids[i] + "f92f3577b34da6a3ce929d0e0e4736",
              "render |AAAAAAAAAAAA=| A=a+b+c" + (i == 0 ? " unseen-lock-waits=jfr-starting" : ""),
              "a      |ssss         | thread=t1 mode=sync site=25",
              "b      |    ssss     | thread=t2 mode=sync site=25",
              "c      |        ssss | thread=t3 mode=sync site=25"));
    }
    return new ReportInput(Analysis.analyse(flows), 1, 15, List.of());
  }

  @Test
  void monitorWaitsUnseenWhileJdkFlightRecorderStartedAreSaidBeforeNoSuggestion()
      throws IOException {
    String text = render("text", lockWaitsUnseen(), false);
    assertGolden("report-lock-waits-unseen.txt", text);
    String line =
        "  ! Waits for monitors (synchronized) could not be seen in 1 flow of GET /locked: JDK"
            + " Flight\n  Recorder was still starting";
    assertThat(text.indexOf(line)).isPositive().isLessThan(text.indexOf("What to change first"));
    assertThat(text).doesNotContain("No change suggested for: GET /locked");
    // The flow itself says it before it says that no suggestion came.
    String flow = text.substring(text.indexOf(", trace a1f92f"));
    assertThat(flow.indexOf("NOT SEEN: Waits for monitors in this flow could not be seen"))
        .isPositive()
        .isLessThan(flow.indexOf("No suggestions from the calls reqflow saw"));
    // The flows seen are not marked.
    assertThat(text.split("NOT SEEN: Waits for monitors", -1)).hasSize(2);
    assertThat(render("markdown", lockWaitsUnseen(), true))
        .contains("- Waits for monitors (synchronized) could not be seen in 1 flow of GET /locked");
    assertThat(render("json", lockWaitsUnseen(), false))
        .contains("\"lock_wait_flows\" : 1,")
        .contains("\"lock_waits\" : \"jfr-starting\"");
  }

  @Test
  void noFlowsAtAllIsSaidFirst() throws IOException {
    ReportInput none =
        new ReportInput(Analysis.analyse(List.of()), 1, 0, List.of("x.jsonl: empty file"));
    String text = render("text", none, false);
    assertThat(text)
        .startsWith(
            "reqflow report: 0 flows of 0 endpoints, from 1 file (0 spans)\n"
                + "warning: x.jsonl: empty file\n"
                + "\n"
                + "What reqflow did not see, first: what follows is about the calls it saw only.\n"
                + "  ! No flows at all: the input holds no request that reqflow could analyse.");
    assertThat(text).doesNotContain("no flow has a suggestion");
    assertThat(render("markdown", none, false)).contains("**No flows at all:");
    assertThat(render("json", none, false)).contains("\"no_flows\" : true");
  }

  @Test
  void aSeenReportHasNoSuchSection() throws IOException {
    assertThat(render("text", ReportWritersTest.sample(), false))
        .doesNotContain("did not see")
        .contains("   No suggestions: ");
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
    if (Boolean.getBoolean("reqflow.updateGolden") || !Files.exists(file)) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
