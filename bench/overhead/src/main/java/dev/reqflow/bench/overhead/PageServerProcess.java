package dev.reqflow.bench.overhead;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One page server JVM ({@code serve --backends URL}) of one variant, from spawn to stop. */
final class PageServerProcess implements AutoCloseable {
  private final Process process;
  private final long spawnedNanos;
  private final int port;
  private final Path runDir;

  private PageServerProcess(Process process, long spawnedNanos, int port, Path runDir) {
    this.process = process;
    this.spawnedNanos = spawnedNanos;
    this.port = port;
    this.runDir = runDir;
  }

  /**
   * Spawns the page server. The environment is this one's without any {@code OTEL_*} or JVM option
   * variables, plus {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the sink), the same for every variant.
   */
  static PageServerProcess start(
      String java,
      List<String> jvmOptions,
      boolean jfr,
      Variant variant,
      Jars jars,
      String backendsUrl,
      String otlpEndpoint,
      Cpus cpus,
      Path runDir)
      throws IOException {
    Files.createDirectories(runDir);
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    if (jfr) {
      command.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + runDir.resolve("recording.jfr"));
    }
    command.addAll(variant.jvmArgs(jars, runDir));
    command.addAll(
        List.of(
            "-jar",
            jars.sampleApp().toString(),
            "serve",
            "--port",
            Integer.toString(port),
            "--backends",
            backendsUrl));
    ProcessBuilder builder =
        new ProcessBuilder(cpus.serverCommand(command))
            .redirectOutput(runDir.resolve("stdout.txt").toFile())
            .redirectError(runDir.resolve("stderr.txt").toFile());
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("OTEL_")
                    || k.equals("JAVA_TOOL_OPTIONS")
                    || k.equals("JDK_JAVA_OPTIONS")
                    || k.equals("_JAVA_OPTIONS"));
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
    long spawned = System.nanoTime();
    Process process = builder.start();
    return new PageServerProcess(process, spawned, port, runDir);
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Asks for {@code path} until the first 200 comes back, on a new connection each time; returns
   * the nanoseconds from spawn to that answer's last byte.
   */
  long awaitFirstPage(String path) throws IOException, InterruptedException {
    byte[] request = HttpConnection.request(port, path);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "the page server exited with " + process.exitValue() + ": see " + runDir);
      }
      try (HttpConnection connection = new HttpConnection(port)) {
        if (connection.get(request) == 200) {
          return System.nanoTime() - spawnedNanos;
        }
      } catch (ConnectException e) {
        // not listening yet
      }
      Thread.sleep(2);
    }
    throw new IOException("no page from the page server within 120 s: see " + runDir);
  }

  /** The process's peak resident set ({@code VmHWM}), in KiB. */
  long peakRssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmHWM in /proc/" + pid() + "/status");
  }

  /** CPU time the whole process has used (all threads, user and system), in clock ticks. */
  long cpuTicks() throws IOException {
    return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid()), "stat")));
  }

  /** utime + stime of a {@code /proc/.../stat} line. */
  private static long cpuTicks(String stat) {
    // Fields after the command name, which is in parentheses and may contain spaces.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /**
   * CPU time the JIT compiler threads have used, in clock ticks. Their CPU, not the compilation
   * time the JVM reports: that is wall time, which on a contended CPU grows with the contention.
   */
  long compilerCpuTicks() throws IOException {
    long ticks = 0;
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc", Long.toString(pid()), "task"))) {
      for (Path task : tasks) {
        try {
          String comm = Files.readString(task.resolve("comm")).trim();
          if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            ticks += cpuTicks(Files.readString(task.resolve("stat")));
          }
        } catch (NoSuchFileException e) {
          // the thread ended meanwhile
        }
      }
    }
    return ticks;
  }

  /** SIGTERM, so that the agents flush at exit as they would in a real stop; then the hard way. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
