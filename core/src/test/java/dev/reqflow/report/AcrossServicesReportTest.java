package dev.reqflow.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.AcrossServicesFixture;
import dev.reqflow.analysis.Analysis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcrossServicesReportTest {
  static ReportInput threeServices() {
    return new ReportInput(
        Analysis.analyse(
            List.of(
                AcrossServicesFixture.page(),
                AcrossServicesFixture.recommendations(),
                AcrossServicesFixture.scores())),
        2,
        9,
        List.of());
  }

  @Test
  void theTextReportFollowsThePageIntoTheServicesItCalled() {
    StringWriter s = new StringWriter();
    TextReport.write(threeServices(), new PrintWriter(s), false);
    String text = s.toString();
    String page = text.substring(text.indexOf("-- GET /home"));
    page = page.substring(0, page.indexOf("\n--", 3) < 0 ? page.length() : page.indexOf("\n--", 3));
    String flat = page.replaceAll("\\s+", " ");

    assertThat(flat)
        .contains(
            "-> the page waited 300 ms on B's GET /recommendations, 300 ms of it in B's flow, of"
                + " which B waited 30 ms on 1 other call and 250 ms on its own call to C's GET"
                + " /scores, 240 ms of it in C's flow, of which C spent 40 ms in its own code and waited 200 ms on its own call"
                + " to GET http://db:80/q")
        .contains("In B's GET /recommendations (trace t1, span fb), for the call GET")
        .containsPattern(
            "- Issue the 2 calls together .*\\[parallelize\\]: saves \\S+ ms there,"
                + " up to \\S+ ms of this flow's 320 ms \\(\\d+%\\)");
  }

  /**
   * The page has nothing to change in its own code, but B's change would make it faster: the
   * summary says so under the page, not "no change suggested", and the page's own section says what
   * is fine is its own code.
   */
  @Test
  void theSummaryCreditsTheCallersOfAServiceWithASuggestion() {
    StringWriter s = new StringWriter();
    TextReport.write(threeServices(), new PrintWriter(s), false);
    String text = s.toString();
    String summary = text.substring(0, text.indexOf("\n== ")).replaceAll("\\s+", " ");

    assertThat(summary)
        .containsPattern(
            "Faster through a change in a service they call \\(none in their own code\\): - GET"
                + " /home \\([\\w-]+\\): through B's GET /recommendations: Issue the 2 calls"
                + " together .*\\[parallelize\\], up to \\S+ ms of its median 320 ms \\(1 of 1"
                + " flow\\)");
    if (summary.contains("No change suggested for:")) {
      assertThat(summary.substring(summary.indexOf("No change suggested for:")))
          .doesNotContain("GET /home");
    }
    String page = text.substring(text.indexOf("-- GET /home"));
    assertThat(page.replaceAll("\\s+", " ")).contains("Nothing to change in this flow's own code");
  }

  @Test
  void theMarkdownReportToo() {
    StringWriter s = new StringWriter();
    MarkdownReport.write(threeServices(), new PrintWriter(s), false);
    String md = s.toString();

    assertThat(md)
        .contains(
            "> → the page waited 300 ms on B's GET /recommendations, 300 ms of it in B's flow, of"
                + " which B waited 30 ms on 1 other call and 250 ms on its own call to C's GET"
                + " /scores, 240 ms of it in C's flow, of which C spent 40 ms in its own code and waited 200 ms on its own call to"
                + " GET http://db:80/q")
        .contains("**In B's GET /recommendations (trace t1, span fb), for the call GET")
        .containsPattern("- Issue the 2 calls together .*\\[parallelize\\]: saves");
  }

  @Test
  void theJsonReportNamesEachCallsCalleeAndItsSuggestions() throws Exception {
    StringWriter s = new StringWriter();
    JsonReport.write(threeServices(), new PrintWriter(s));
    String json = s.toString().replaceAll("\\s+", " ");
    String page = json.substring(json.indexOf("\"name\" : \"GET /home\""));
    page = page.substring(0, page.indexOf("\"warnings\""));

    assertThat(json).contains("\"span_id\" : \"fb\", \"parent_span_id\" : \"a\"");
    assertThat(page)
        .contains(
            "\"span_id\" : \"a\", \"callee\" : { \"span_id\" : \"fb\", \"service\" : \"B\","
                + " \"name\" : \"GET /recommendations\", \"duration_ms\" : 300.0 }")
        .contains(
            "\"across_services\" : [ \"the page waited 300 ms on B's GET /recommendations, 300 ms"
                + " of it in B's flow, of which B waited 30 ms on 1 other call and 250 ms")
        .containsPattern(
            "\"callee_suggestions\" : \\[ \\{ \"call_span_id\" : \"a\", \"service\" : \"B\","
                + " \"flow\" : \"GET /recommendations\", \"flow_span_id\" : \"fb\", \"kind\" :"
                + " \"parallelize\", \"title\" : \"[^\"]+\", \"saving_ms\" : (\\S+),"
                + " \"caller_saving_ms\" : \\1, \"share_of_caller\" : 0\\.\\d+ \\}");
  }
}
