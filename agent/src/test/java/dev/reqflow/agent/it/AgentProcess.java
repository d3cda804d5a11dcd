package dev.reqflow.agent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A program with the real agent in a forked JVM, as {@link AgentRun} runs one, but started and left
 * running: its stdout is read as it comes, and the test decides how it ends.
 */
final class AgentProcess {
  private static final AtomicInteger STARTS = new AtomicInteger();

  final Process process;
  final BufferedReader stdout;
  private final Path file;
  private final Path err;

  private AgentProcess(Process process, Path file, Path err) {
    this.process = process;
    this.file = file;
    this.err = err;
    this.stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static AgentProcess start(String options, String classPath, String... mainAndArgs)
      throws IOException {
    List<String> launch = new ArrayList<>(List.of("-cp", classPath));
    launch.addAll(List.of(mainAndArgs));
    return launch(System.getProperty("java.home"), options, launch);
  }

  /**
   * Starts {@code java -javaagent:<agent jar>=file=...,endpoint=none,<options> <launch...>} on the
   * JDK at {@code javaHome}: {@code launch} is what follows, e.g. {@code -jar app.jar args}.
   */
  static AgentProcess launch(String javaHome, String options, List<String> launch)
      throws IOException {
    String name = "proc-" + ProcessHandle.current().pid() + "-" + STARTS.incrementAndGet();
    Path dir = AgentRun.workDir();
    Path file = dir.resolve(name + ".jsonl");
    Files.deleteIfExists(file);
    Path err = dir.resolve(name + ".err");
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(javaHome, "bin", "java").toString());
    cmd.add(
        "-javaagent:"
            + AgentRun.agentJar().toAbsolutePath()
            + "=file="
            + file.toAbsolutePath()
            + ",endpoint=none"
            + (options.isEmpty() ? "" : "," + options));
    cmd.addAll(launch);
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    return new AgentProcess(p, file, err);
  }

  /** The file the agent writes ({@code file=}), to watch while the program runs. */
  Path file() {
    return file;
  }

  /**
   * Waits until the program's standard error holds {@code text} (the agent's start line, printed
   * once its install is done), polling the file it goes to; fails after {@code timeoutMillis}.
   * Returns what standard error held then.
   */
  String awaitStderr(String text, long timeoutMillis) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      String now = Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
      if (now.contains(text)) {
        return now;
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' on standard error: " + now);
      }
      Thread.sleep(20);
    }
  }

  /** Writes one line to the program's stdin. */
  void tell(String line) throws IOException {
    java.io.OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Waits for the exit, drains stdout into {@code rest}, and reads what was recorded. */
  Recorded finish(List<String> rest) throws IOException, InterruptedException {
    for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
      rest.add(line);
    }
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("program did not end");
    }
    return new Recorded(file, Files.readString(err, StandardCharsets.UTF_8));
  }
}
