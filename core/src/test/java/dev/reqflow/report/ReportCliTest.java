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
  void printsMarkdown() {
    assertThat(run("--format=markdown", traces.toString())).isZero();
    assertThat(stdout()).startsWith("# reqflow report").contains("| `parallelize` | 1 of 2 |");
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
