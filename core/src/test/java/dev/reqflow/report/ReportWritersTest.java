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
            "r      |              ssssssss        | mode=sync site=32 reused url=http://recs:8082/recs host=recs:8082 after-wait=u",
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

  private static String render(String format) throws IOException {
    StringWriter sw = new StringWriter();
    PrintWriter out = new PrintWriter(sw);
    switch (format) {
      case "json":
        JsonReport.write(sample(), out);
        break;
      case "markdown":
        MarkdownReport.write(sample(), out);
        break;
      default:
        TextReport.write(sample(), out);
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
