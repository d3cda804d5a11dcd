package dev.reqflow.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.sample.Main;
import dev.reqflow.sample.backend.BackendSettings;
import dev.reqflow.sample.service.SampleService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "launch",
        "serve --port abc",
        "serve --port 70000",
        "serve --colour blue",
        "serve extra",
        "serve --port",
        "serve --latency ads",
        "serve --fail weather",
        "backends --latency-scale -1",
        "seed-experiment --requests 0",
        "hammer --strategy fastest",
        "hammer --url http://example.com/",
        "hammer --url http://127.0.0.1:1/ --connect-ms 5",
        "serve --backends http://example.com/",
        "serve --backends ftp://127.0.0.1:9/",
        "serve --backends http://127.0.0.1:9/ --latency-scale 2",
        "serve --backends http://127.0.0.1:9/ --backend-port 9000"
      })
  void badArgumentsPrintUsageAndExit2(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");

    assertThat(run(args)).isEqualTo(2);
    assertThat(err()).contains("usage:");
    assertThat(out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "backends", "seed-experiment", "hammer"})
  void eachVerbHasHelp(String verb) {
    assertThat(run(verb, "--help")).isZero();
    assertThat(out()).startsWith("usage: " + verb);
  }

  @Test
  void theSeedExperimentPrintsOneLinePerApproach() {
    assertThat(run("seed-experiment", "--requests", "3", "--delay-ms", "20", "--connect-ms", "0"))
        .isZero();

    List<String> lines = out().lines().toList();
    assertThat(lines)
        .extracting(line -> line.split("\t")[0])
        .containsExactly("serial-new-client", "serial-shared-client", "pool-2", "pool-n", "async");
    assertThat(lines).allMatch(line -> line.matches("[a-z0-9-]+\t\\d+\\.\\d\\d"));
  }

  @Test
  void hammerPrintsATableOfPageTimes() {
    assertThat(
            run(
                "hammer",
                "--strategy",
                "async",
                "--loads",
                "4",
                "--concurrency",
                "2",
                "--latency-scale",
                "0.1",
                "--connect-ms",
                "0"))
        .isZero();

    List<String> lines = out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).split(" +")).startsWith("strategy", "pages", "p50");
    assertThat(lines.get(1)).matches("async +4 +\\d+ +\\d+ +\\d+");
  }

  @Test
  void hammerLoadsARunningServerGivenItsUrl() throws Exception {
    BackendSettings quick = BackendSettings.defaults().withScale(0.05).withConnectMs(0);
    try (SampleService service = SampleService.start(0, 0, quick)) {
      assertThat(run("hammer", "--url", service.pagesUri().toString(), "--loads", "2")).isZero();
    }

    assertThat(out().lines()).hasSize(12);
    assertThat(out()).contains("per-host-limit", "slow-outlier");
  }
}
