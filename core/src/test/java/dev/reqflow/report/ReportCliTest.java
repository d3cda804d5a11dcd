package dev.reqflow.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.reqflow.flow.Flow;
import dev.reqflow.otlp.OtlpJsonLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCliTest {
  @TempDir Path dir;
  Path traces;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void writeTraces() throws IOException {
    traces = dir.resolve("traces.jsonl");
    OtlpJsonLines otlp = new OtlpJsonLines();
    try (Writer w = Files.newBufferedWriter(traces)) {
      for (Flow f : ReportWritersTest.flows()) {
        otlp.write(f, w);
      }
    }
  }

  private int run(String... args) {
    return ReportCli.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsATextReport() {
    assertThat(run(traces.toString())).isZero();
    assertThat(stdout())
        .startsWith("reqflow report: 2 flows of 1 endpoint, from 1 file (12 spans)")
        .contains("1. Issue the 3 calls together instead of one after another  [parallelize]")
        .contains("saves 140 ms: 310 ms -> 170 ms");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void printsOneJsonObject() throws IOException {
    assertThat(run(traces.toString(), "--format", "json")).isZero();

    List<String> kinds = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(stdout())) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      p.skipChildren();
      assertThat(p.nextToken()).isNull();
    }
    try (JsonParser p = new JsonFactory().createParser(stdout())) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME && p.currentName().equals("kind")) {
          p.nextToken();
          kinds.add(p.getText());
        }
      }
    }
    assertThat(kinds).startsWith("parallelize");
    assertThat(stdout()).contains("\"predicted_ms\" : 170.0");
  }

  @Test
  void aRecordingItWasBlindToLeadsWithThatNeverWithNothingToChange() throws IOException {
    Path blind = dir.resolve("blind.jsonl");
    OtlpJsonLines otlp = new OtlpJsonLines();
    try (Writer w = Files.newBufferedWriter(blind)) {
      for (dev.reqflow.analysis.FlowReport r : BlindReportTest.blindOnly().analysis().flows()) {
        otlp.write(r.flow(), w);
      }
    }
    assertThat(run(blind.toString(), "--summary")).isZero();
    assertThat(stdout())
        .startsWith(
            "reqflow report: 1 flow of 1 endpoint, from 1 file (4 spans)\n"
                + "\n"
                + "What reqflow did not see, first: what follows is about the calls it saw only.\n"
                + "  ! GET /home\n"
                + "      1 of 1 flow waited 150 ms (79% of its time) on I/O that reqflow did not see"
                + " as calls\n"
                + "      (libraries loaded: Jetty HttpClient); no call recorded in it:\n"
                + "      150 ms on futures that threads outside every flow completed (io-1)")
        .doesNotContain("no flow has a suggestion");
  }

  @Test
  void anotherToolsLogReadFromStandardInputListsItsCallsAndGivesNoAllClear() {
    byte[] log = dev.reqflow.otlp.OtelAgentLog.log().getBytes(StandardCharsets.UTF_8);
    int code =
        ReportCli.run(
            new String[] {"-"},
            new java.io.ByteArrayInputStream(log),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(stderr()).isZero();
    assertThat(stdout())
        .startsWith("reqflow report: 2 flows of 2 endpoints, from 1 file (3 spans)")
        .contains(
            "  ! 2 flows of GET /home, GET /user come from another tool's trace, with no waits"
                + " recorded")
        .contains("What to change first: nothing from the calls reqflow saw. That is no all-clear")
        .contains("== GET /home (pages) ==")
        .contains(
            "   Calls (another tool's trace: what each took, not which held the page up, nor on"
                + " what thread):\n"
                + "        +10 ms    250 ms  GET /user?session=REDACTED on 127.0.0.1:9001, HTTP 200")
        .doesNotContain("no flow has a suggestion")
        .doesNotContain("Critical path");

    out.reset();
    int markdown =
        ReportCli.run(
            new String[] {"--format=markdown", "-"},
            new java.io.ByteArrayInputStream(log),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(markdown).isZero();
    assertThat(stdout())
        .contains("| +10 ms | 250 ms | GET /user?session=REDACTED on 127.0.0.1:9001, HTTP 200 |")
        .doesNotContain("| render thread |");
  }

  @Test
  void anEmptyFileIsAnErrorNotAnEmptyReport() throws IOException {
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "");
    assertThat(run(traces.toString(), empty.toString())).isEqualTo(1);
    assertThat(stderr()).contains("reqflow report: " + empty + ": empty");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void aFileOfSpansWithoutFlowsSaysThereAreNoFlowsFirst() throws IOException {
    Path internal = dir.resolve("internal.jsonl");
    Files.writeString(
        internal,
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
            + "\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\","
            + "\"name\":\"work\",\"kind\":1,\"startTimeUnixNano\":\"1\","
            + "\"endTimeUnixNano\":\"2\"}]}]}]}\n");
    assertThat(run(internal.toString())).isZero();
    assertThat(stdout())
        .contains("What reqflow did not see, first")
        .contains("! No flows at all")
        .doesNotContain("no flow has a suggestion");
  }

  @Test
  void printsMarkdown() {
    assertThat(run("--format=markdown", traces.toString())).isZero();
    assertThat(stdout()).startsWith("# reqflow report").contains("| `parallelize` | 1 of 2 |");
  }

  @Test
  void summaryPrintsTheHeaderAndWhatToChangeFirstOnly() {
    assertThat(run(traces.toString(), "--summary")).isZero();
    assertThat(stdout())
        .startsWith(
            "reqflow report: 2 flows of 1 endpoint, from 1 file (12 spans)\n\nWhat to change first")
        .contains("  1. GET /home  1 of 2 flows  saves 140 ms: 310 ms -> 170 ms")
        .doesNotContain("Critical path")
        .doesNotContain("== GET /home");
    out.reset();
    assertThat(run("--format=markdown", "--summary", traces.toString())).isZero();
    assertThat(stdout())
        .contains("## What to change first")
        .contains("## Endpoints")
        .doesNotContain("## GET /home");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void summaryIsNotForJsonAndTakesNoValue() {
    assertThat(run(traces.toString(), "--summary", "--format", "json")).isEqualTo(2);
    assertThat(stderr()).contains("--summary is for text and markdown");
    assertThat(run(traces.toString(), "--summary=yes")).isEqualTo(2);
    assertThat(stderr()).contains("--summary takes no value");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void usageNamesTheSummaryOption() {
    assertThat(run("--help")).isZero();
    assertThat(stdout())
        .startsWith(
            "usage: reqflow report FILE... [--format text|markdown|json] [--summary] [--budget-ms N]")
        .contains("  --summary      print only the header and \"What to change first\"")
        .contains("It starts with \"What to change first\"");
    assertThat(stdout().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
  }

  @Test
  void exitsThreeOverBudget() {
    assertThat(run(traces.toString(), "--budget-ms", "300")).isEqualTo(3);
    assertThat(stderr()).contains("over budget: GET /home p95 310 ms > 300 ms");
    assertThat(run(traces.toString(), "--budget-ms", "310")).isZero();
  }

  @Test
  void badArgumentsPrintUsageAndExitTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(run(traces.toString(), "--format", "xml")).isEqualTo(2);
    assertThat(run(traces.toString(), "--budget-ms", "soon")).isEqualTo(2);
    assertThat(run(traces.toString(), "--verbose")).isEqualTo(2);
    assertThat(stderr()).contains("usage: reqflow report FILE...").contains("unknown format 'xml'");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void unreadableOrMalformedFilesExitOne() throws IOException {
    assertThat(run(dir.resolve("missing.jsonl").toString())).isEqualTo(1);
    assertThat(stderr()).contains("no such file").contains("missing.jsonl");

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"resourceSpans\":[]}\n{\"resourceSpans\": {}}\n");
    assertThat(run(bad.toString())).isEqualTo(1);
    assertThat(stderr()).contains("bad.json:2: resourceSpans should be an array");
  }
}
