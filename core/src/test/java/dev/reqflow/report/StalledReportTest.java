package dev.reqflow.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.StalledFlowsFixture;
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
 * A page that hangs is the worst outcome there is: the flows that had not ended come first in every
 * format, before what reqflow did not see and before "What to change first", with their deadlock
 * named and what each thread waited on; and no "nothing to change" reads as an all-clear while one
 * of them is there. Golden files as in {@link ReportWritersTest} ({@code
 * -Dreqflow.updateGolden=true} rewrites them).
 */
class StalledReportTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  /** A deadlocked pool, a client's executor blocked in its own calls, and a serial page. */
  static ReportInput stalled() {
    Flow serial =
        Timeline.parse(
            10,
            "GET /serial",
            "3bf92f3577b34da6a3ce929d0e0e4736",
            "render |=aaaaaaaaaa=bbbbbbbbbb=|",
            "a      | ssssssssss            | mode=sync reused site=31",
            "b      |            ssssssssss | mode=sync reused site=32 after-wait=a");
    return new ReportInput(
        Analysis.analyse(
            List.of(
                StalledFlowsFixture.nestedPool("1bf92f3577b34da6a3ce929d0e0e4736"),
                StalledFlowsFixture.clientExecutor("2bf92f3577b34da6a3ce929d0e0e4736"),
                serial)),
        1,
        20,
        List.of());
  }

  @Test
  void textListsStalledFlowsFirstWithTheirDeadlock() throws IOException {
    String text = render("text", stalled(), false);
    assertGolden("report-stalled.txt", text);
    int section = text.indexOf("Stalled flows, first: 2 flows had not ended");
    assertThat(section).isPositive().isLessThan(text.indexOf("What to change first"));
    String first =
        text.substring(section, text.indexOf("What to change first")).replaceAll("\\s+", " ");
    assertThat(first)
        .contains("! GET /nested (shop) at ")
        .contains(
            "Deadlock: both threads of executor ThreadPoolExecutor@5e9f23b4 (pool-2-thread-*)")
        .contains("are blocked in calls of an HTTP client that runs its own work on that same")
        .contains("Threads then:")
        .contains("Calls in progress: GET http://127.0.0.1:8081/d0, open 11.9 s;");
    // The pool deadlock (open as long, more threads waiting on it) and the client's come before
    // any suggestion; the serial page's suggestion is still there, after them.
    assertThat(text.indexOf("Issue the 2 calls together")).isGreaterThan(section);
    assertThat(text)
        .contains("IN PROGRESS: open 12.0 s when the process stopped")
        .contains("still waiting at the snapshot");
    assertThat(text)
        .doesNotContain("No change suggested for: GET /client")
        .contains("Nothing suggested from the flows that ended, which is no all-clear");
    String summary = render("text", stalled(), true);
    assertThat(summary).contains("Stalled flows, first:").contains("What to change first");
  }

  @Test
  void markdownToo() throws IOException {
    String md = render("markdown", stalled(), false);
    assertThat(md.indexOf("## Stalled flows"))
        .isPositive()
        .isLessThan(md.indexOf("## What to change first"));
    assertThat(md)
        .contains("> **Deadlock: both threads of executor ThreadPoolExecutor@5e9f23b4")
        .contains("- pool-2-thread-1 (executor, a worker of ThreadPoolExecutor@5e9f23b4");
  }

  @Test
  void jsonStartsWithThem() throws IOException {
    String json = render("json", stalled(), false);
    assertThat(json)
        .startsWith(
            "{\n  \"stalled\" : [ {\n    \"trace_id\" : \"1bf92f3577b34da6a3ce929d0e0e4736\",")
        .contains("\"kind\" : \"queued-task\",")
        .contains("\"kind\" : \"client-executor\",")
        .contains("\"task_state\" : \"queued\",")
        .contains("\"in_progress\" : true,")
        .contains("\"calls_in_progress\" : [ \"GET http://127.0.0.1:8081/d0, open 11.9 s\"");
  }

  @Test
  void nothingToChangeIsNoAllClearWhileAFlowHangs() throws IOException {
    ReportInput only =
        new ReportInput(
            Analysis.analyse(
                List.of(StalledFlowsFixture.nestedPool("1bf92f3577b34da6a3ce929d0e0e4736"))),
            1,
            5,
            List.of());
    assertThat(render("text", only, true))
        .contains(
            "What to change first: nothing from the flows that ended. That is no all-clear: 1 flow")
        .doesNotContain("no flow has a suggestion");
    assertThat(render("markdown", only, true))
        .contains("Nothing from the flows that ended. That is no all-clear")
        .doesNotContain("Nothing: no flow has a suggestion.");
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
