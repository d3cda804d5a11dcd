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
          || n.startsWith("jakarta.servlet-api")
          || n.startsWith("javax.servlet-api")
          // Reactor Netty and what it is made of, for the programs that run it without Spring.
          || n.startsWith("reactor-")
          || n.startsWith("netty-")
          || n.startsWith("reactive-streams")
          || n.startsWith("jspecify")
          || n.startsWith("jetty-")
          || n.startsWith("slf4j-api")
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
    List<String> args = new ArrayList<>(List.of(mainAndArgs));
    int attach = args.indexOf("self-attach");
    if (attach < 0) {
      List<String> launch = new ArrayList<>(List.of("-cp", classPath));
      launch.addAll(args);
      return launch(javaHome, beforeOurAgent, options, launch);
    }
    // Late attach: no -javaagent; the program loads the agent into itself.
    Run run = new Run();
    args.addAll(
        attach + 1, List.of(agentJar().toAbsolutePath().toString(), run.agentOptions(options)));
    List<String> cmd =
        new ArrayList<>(List.of(java(javaHome), "-Djdk.attach.allowAttachSelf=true"));
    cmd.addAll(beforeOurAgent);
    cmd.addAll(List.of("-cp", classPath));
    cmd.addAll(args);
    return run.execute(cmd);
  }

  /**
   * Runs {@code java -javaagent:<agent jar>=file=...,endpoint=none,<options> <launch...>} to its
   * end: {@code launch} is what follows, e.g. {@code -jar app.jar args} or {@code -cp ... Main}.
   */
  static Recorded launch(String javaHome, String options, List<String> launch)
      throws IOException, InterruptedException {
    return launch(javaHome, List.of(), options, launch);
  }

  /** As above, with JVM options before our {@code -javaagent}. */
  static Recorded launch(
      String javaHome, List<String> beforeOurAgent, String options, List<String> launch)
      throws IOException, InterruptedException {
    Run run = new Run();
    List<String> cmd = new ArrayList<>();
    cmd.add(java(javaHome));
    cmd.addAll(beforeOurAgent);
    cmd.add("-javaagent:" + agentJar().toAbsolutePath() + "=" + run.agentOptions(options));
    cmd.addAll(launch);
    return run.execute(cmd);
  }

  private static String java(String javaHome) {
    return Paths.get(javaHome, "bin", "java").toString();
  }

  /** The files of one forked run. */
  private static final class Run {
    final Path file;
    final Path err;
    final Path out;

    Run() throws IOException {
      int n = RUNS.incrementAndGet();
      Path dir = workDir();
      String id = "run-" + ProcessHandle.current().pid() + "-" + n;
      file = dir.resolve(id + ".jsonl");
      Files.deleteIfExists(file);
      err = dir.resolve(id + ".err");
      out = dir.resolve(id + ".out");
    }

    String agentOptions(String options) {
      return "file="
          + file.toAbsolutePath()
          + ",endpoint=none"
          + (options.isEmpty() ? "" : "," + options);
    }

    Recorded execute(List<String> cmd) throws IOException, InterruptedException {
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
            "program failed with " + p.exitValue() + ": " + cmd + "\n" + stderr + "\n" + stdout);
      }
      return new Recorded(file, stderr, stdout);
    }
  }
}
