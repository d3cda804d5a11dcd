package dev.reqflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never an all-clear when blind, end to end: a page whose calls go through Jetty's HttpClient (not
 * recorded by the agent) against a slow server on 127.0.0.1, recorded with the real agent jar, then
 * {@code reqflow report} run as a user would: the report leads with what reqflow did not see,
 * naming the library, and never says there is nothing to change.
 */
class BlindClientsReportTest {
  @TempDir static Path dir;
  static Path trace;

  @BeforeAll
  static void record() throws Exception {
    Path fixture = Path.of(System.getProperty("reqflow.blind.dir", "")).toAbsolutePath();
    assumeTrue(Files.isDirectory(fixture.resolve("lib")), "fixture not built: " + fixture);
    trace = dir.resolve("blind.otlp.jsonl");
    String out =
        run(
            List.of(
                "-javaagent:"
                    + jar("reqflow.agent.jar")
                    + "=endpoint=none,flows=com.example.blind.BlindPage#page,file="
                    + trace,
                "-cp",
                fixture.resolve("classes") + File.pathSeparator + fixture.resolve("lib") + "/*",
                "com.example.blind.BlindPage",
                "jetty",
                "3",
                "150"));
    assertThat(out).contains("page 2 waited-ms=");
  }

  private static Path jar(String property) {
    Path jar = Path.of(System.getProperty(property, "")).toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(jar), property + " names no jar: " + jar);
    return jar;
  }

  /** Runs {@code java ARGS} to its end; returns what it printed on stdout. */
  private static String run(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(args);
    Path stdout = Files.createTempFile(dir, "out", ".txt");
    Path stderr = Files.createTempFile(dir, "err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    assertThat(p.exitValue())
        .as(cmd + "\n" + out + Files.readString(stderr, StandardCharsets.UTF_8))
        .isZero();
    return out;
  }

  private static String report(String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("-jar", jar("reqflow.report.jar").toString()));
    args.add(trace.toString());
    args.addAll(List.of(options));
    return run(args);
  }

  @Test
  void theReportLeadsWithTheBlindnessAndNamesJetty() throws Exception {
    for (String text : List.of(report(), report("--summary"))) {
      List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
      assertThat(lines.get(0)).startsWith("reqflow report: 3 flows of 1 endpoint");
      assertThat(lines.get(1))
          .isEqualTo(
              "What reqflow did not see, first: what follows is about the calls it saw only.");
      assertThat(lines.get(2)).isEqualTo("  ! BlindPage.page");
      assertThat(String.join(" ", lines.subList(3, 5)).replaceAll("\\s+", " ").trim())
          .matches(
              "3 of 3 flows waited a median \\d+ ms \\(\\d+% of their time\\) on I/O that reqflow"
                  + " did not see as calls \\(libraries loaded: Jetty HttpClient\\); no call"
                  + " recorded in any:");
      assertThat(text)
          .contains("on futures that threads outside every flow completed (HttpClient@")
          .contains(
              "What to change first: nothing from the calls reqflow saw. That is no all-clear")
          .doesNotContain("nothing worth changing")
          .doesNotContain("no flow has a suggestion");
    }
  }

  @Test
  void markdownAndJsonSayItToo() throws Exception {
    String md = report("--format", "markdown");
    assertThat(md.indexOf("## What reqflow did not see"))
        .isPositive()
        .isLessThan(md.indexOf("## What to change first"));
    String json = report("--format", "json");
    assertThat(json)
        .startsWith("{\n  \"stalled\" : [ ],\n  \"not_seen\" : {")
        .contains("\"libraries_unrecorded\" : [ \"Jetty HttpClient\" ]")
        .contains("\"unseen_flows\" : 3");
  }
}
