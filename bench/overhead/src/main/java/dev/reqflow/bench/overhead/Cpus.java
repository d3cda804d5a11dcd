package dev.reqflow.bench.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which CPUs each process may run on. On a small machine the load driver, the backends and the page
 * server otherwise take CPU from each other, and an agent's cost shows up partly as a slower
 * driver. With pinning, the page server has its CPUs to itself (its agent's threads included) and
 * everything else shares the rest, so the server's CPU is what runs out.
 */
final class Cpus {
  private final String server;
  private final String others;

  private Cpus(String server, String others) {
    this.server = server;
    this.others = others;
  }

  /** No pinning. */
  static Cpus unpinned() {
    return new Cpus(null, null);
  }

  /**
   * The page server on {@code server} (a taskset list such as {@code 1}), the rest on {@code
   * others}.
   */
  static Cpus pinned(String server, String others) {
    if (!Files.isExecutable(Path.of("/usr/bin/taskset"))) {
      throw new IllegalStateException("pinning needs taskset (util-linux); or pass --no-pin");
    }
    return new Cpus(server, others);
  }

  boolean isPinned() {
    return server != null;
  }

  String server() {
    return server;
  }

  String others() {
    return others;
  }

  List<String> othersCommand(List<String> command) {
    return prefixed(others, command);
  }

  /**
   * The page server's command: on its CPUs from the start, so that the JVM sizes itself (collector,
   * compiler threads, common pool) for what it gets, as in a container of that many CPUs.
   */
  List<String> serverCommand(List<String> command) {
    return prefixed(server, command);
  }

  /** Moves every thread of this JVM (the load driver, the sink) to the other CPUs. */
  void pinThisProcess() throws IOException, InterruptedException {
    if (isPinned()) {
      pin(ProcessHandle.current().pid(), others);
    }
  }

  private static void pin(long pid, String cpus) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (p.waitFor() != 0) {
      throw new IOException("taskset could not pin process " + pid + " to CPUs " + cpus);
    }
  }

  private static List<String> prefixed(String cpus, List<String> command) {
    if (cpus == null) {
      return command;
    }
    List<String> all = new ArrayList<>(List.of("taskset", "-c", cpus));
    all.addAll(command);
    return all;
  }
}
