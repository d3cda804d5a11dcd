package dev.reqflow.viewer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads by kind, the JVM's own (collectors, compilers) included, from
 * Linux's {@code /proc/self/task}: what a run cost in CPU, which a loaded machine does not change
 * the way it changes wall time. Empty where there is no {@code /proc}.
 */
final class ThreadCpu {
  private ThreadCpu() {}

  /** Clock ticks a second of {@code /proc}'s times (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100;

  /** CPU seconds so far by thread kind ({@code GC Thread#1} counted as {@code GC Thread}). */
  static Map<String, Double> snapshot() {
    Map<String, Double> out = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    try (Stream<Path> all = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) all::iterator) {
        try {
          String comm = Files.readString(t.resolve("comm")).trim();
          String stat = Files.readString(t.resolve("stat"));
          // Fields after the command's closing parenthesis: state is the 3rd, utime the 14th.
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
          out.merge(kind(comm), seconds, Double::sum);
        } catch (IOException | RuntimeException ended) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  private static String kind(String comm) {
    return comm.replaceAll("[#-]?\\d+$", "").replaceAll("-worker$", "");
  }

  /** The CPU seconds spent between two snapshots, by kind, largest first, as one line. */
  static String between(Map<String, Double> before, Map<String, Double> after, int top) {
    List<Map.Entry<String, Double>> spent = new ArrayList<>();
    double total = 0;
    for (Map.Entry<String, Double> e : after.entrySet()) {
      double s = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      if (s > 0) {
        spent.add(Map.entry(e.getKey(), s));
        total += s;
      }
    }
    spent.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%.1f s:", total));
    for (Map.Entry<String, Double> e : spent.subList(0, Math.min(top, spent.size()))) {
      b.append(String.format(Locale.ROOT, " %s %.1f;", e.getKey(), e.getValue()));
    }
    return b.toString();
  }
}
