package dev.reqflow.bench.overhead;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU a JVM has used, split by what its threads do, read from outside ({@code /proc}) so that
 * measuring adds nothing to the process measured, the same for every variant.
 *
 * <p>The whole process's time ({@code utime + stime} of {@code /proc/PID/stat}, clock ticks) counts
 * the threads that have ended too: the sample app starts a thread per asynchronous step of the JDK
 * HTTP client, about three a page, and their CPU is page work. The JVM's own threads live as long
 * as the JVM: their time is read per thread, in nanoseconds ({@code /proc/PID/task/TID/schedstat},
 * first field: time on the CPU), and taken out of the page work: the JIT compiler threads ({@link
 * Kind#JIT}), and the collector and VM operation threads ({@link Kind#GC_VM}: the Serial
 * collector's collections run in the {@code VM Thread}). What is left is the work of the request,
 * client, pool and agent threads ({@link Kind#WORK}), the figure that ranks two agents: the JIT's
 * time depends on when it recompiles what, and would add hundreds of µs a page of noise.
 */
final class ThreadCpu {
  /** What a thread's CPU is counted as. */
  enum Kind {
    /** Request, client, pool and agent threads: the page's work. */
    WORK,
    /** The C1 and C2 compiler threads. */
    JIT,
    /** The collector's and the VM's own threads (VM operations, periodic tasks, service). */
    GC_VM
  }

  private final long processNanos;
  private final Map<Integer, Long> threadNanos;
  private final Map<Integer, String> threadNames;

  private ThreadCpu(
      long processNanos, Map<Integer, Long> threadNanos, Map<Integer, String> threadNames) {
    this.processNanos = processNanos;
    this.threadNanos = threadNanos;
    this.threadNames = threadNames;
  }

  /** Reads {@code pid}'s CPU now; {@code ticksPerSecond} is {@code getconf CLK_TCK}. */
  static ThreadCpu read(long pid, long ticksPerSecond) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    Map<Integer, Long> nanos = new HashMap<>();
    Map<Integer, String> names = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
      for (Path task : tasks) {
        try {
          String comm = Files.readString(task.resolve("comm")).trim();
          String schedstat = Files.readString(task.resolve("schedstat")).trim();
          int tid = Integer.parseInt(task.getFileName().toString());
          nanos.put(tid, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
          names.put(tid, comm);
        } catch (NoSuchFileException e) {
          // the thread ended meanwhile: its time is in the process's
        } catch (IOException e) {
          // the same, seen as ESRCH ("No such process") when it ended while its file was read
        }
      }
    }
    String stat = Files.readString(proc.resolve("stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return new ThreadCpu(ticks * 1_000_000_000L / ticksPerSecond, nanos, names);
  }

  /**
   * What a thread named {@code comm} (its {@code /proc} name, at most 15 characters) is counted as.
   * The names are HotSpot's (JDK 17 to 25).
   */
  static Kind kindOf(String comm) {
    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
      return Kind.JIT;
    }
    if (comm.equals("VM Thread")
        || comm.startsWith("GC Thread")
        || comm.startsWith("G1 ")
        || comm.startsWith("VM Periodic")
        || comm.equals("Service Thread")
        || comm.startsWith("Monitor Deflati")
        || comm.startsWith("Sweeper thread")) {
      return Kind.GC_VM;
    }
    return Kind.WORK;
  }

  /** The CPU used from {@code before} to this reading. */
  Used since(ThreadCpu before) {
    long jit = 0;
    long gcVm = 0;
    Map<String, Long> byName = new HashMap<>();
    for (Map.Entry<Integer, Long> e : threadNanos.entrySet()) {
      long used = e.getValue() - before.threadNanos.getOrDefault(e.getKey(), 0L);
      String name = threadNames.get(e.getKey());
      switch (kindOf(name)) {
        case JIT -> jit += used;
        case GC_VM -> gcVm += used;
        case WORK -> byName.merge(name.replaceAll("[0-9]+", "N"), used, Long::sum);
      }
    }
    long process = processNanos - before.processNanos;
    return new Used(process, process - jit - gcVm, jit, gcVm, byName);
  }

  /**
   * CPU nanoseconds used over a window: the whole process, and its split. {@code work} is the
   * process's time less the JIT's and the GC/VM threads'; the threads that ended in the window are
   * in it. {@code liveWorkByName}: the live work threads' time, by name with digits as {@code N}
   * (the agents' own threads show there).
   */
  record Used(long process, long work, long jit, long gcVm, Map<String, Long> liveWorkByName) {}
}
