package dev.reqflow.agent.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs a program in a forked JVM with the real shaded agent and reads back what it recorded. */
final class AgentRun {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private AgentRun() {}

  static Path agentJar() {
    return Paths.get(System.getProperty("reqflow.agent.jar", "target/reqflow-agent.jar"));
  }

  static Path workDir() throws IOException {
    Path dir = Paths.get(System.getProperty("reqflow.work.dir", "target/it"));
    Files.createDirectories(dir);
    return dir;
  }

  /** The test's class path without the agent's own classes and dependencies. */
  static String programClassPath(String... extra) {
    return programClassPath(false, extra);
  }

  /** As above, with the OpenTelemetry API, as an application that uses it has. */
  static String programClassPath(boolean withOtelApi, String... extra) {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> keep = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      String n = Paths.get(e).getFileName().toString();
      if (e.endsWith("test-classes")
          || n.startsWith("okhttp-4")
          || n.startsWith("okio")
          || n.startsWith("kotlin-stdlib")
          || (withOtelApi
              && (n.startsWith("opentelemetry-api-")
                  || n.startsWith("opentelemetry-context-")
                  || n.startsWith("opentelemetry-common-")))) {
        keep.add(e);
      }
    }
    for (String x : extra) {
      keep.add(x);
    }
    return String.join(File.pathSeparator, keep);
  }

  static Recorded run(String javaHome, String options, String classPath, String... mainAndArgs)
      throws IOException, InterruptedException {
    return run(javaHome, List.of(), options, classPath, mainAndArgs);
  }

  /** As above, with JVM options before our {@code -javaagent}: another agent that loads first. */
  static Recorded run(
      String javaHome,
      List<String> beforeOurAgent,
      String options,
      String classPath,
      String... mainAndArgs)
      throws IOException, InterruptedException {
    int n = RUNS.incrementAndGet();
    Path dir = workDir();
    Path file = dir.resolve("run-" + ProcessHandle.current().pid() + "-" + n + ".jsonl");
    Files.deleteIfExists(file);
    Path err = dir.resolve("run-" + ProcessHandle.current().pid() + "-" + n + ".err");
    Path out = dir.resolve("run-" + ProcessHandle.current().pid() + "-" + n + ".out");
    String java = Paths.get(javaHome, "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(beforeOurAgent);
    String agentOptions =
        "file="
            + file.toAbsolutePath()
            + ",endpoint=none"
            + (options.isEmpty() ? "" : "," + options);
    List<String> args = new ArrayList<>(List.of(mainAndArgs));
    int attach = args.indexOf("self-attach");
    if (attach >= 0) {
      // Late attach: no -javaagent; the program loads the agent into itself.
      cmd.add("-Djdk.attach.allowAttachSelf=true");
      args.addAll(attach + 1, List.of(agentJar().toAbsolutePath().toString(), agentOptions));
    } else {
      cmd.add("-javaagent:" + agentJar().toAbsolutePath() + "=" + agentOptions);
    }
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("program timed out: " + cmd);
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "program failed with "
              + p.exitValue()
              + ": "
              + cmd
              + "\n"
              + stderr
              + "\n"
              + Files.readString(out, StandardCharsets.UTF_8));
    }
    return new Recorded(file, stderr, stdout);
  }
}
