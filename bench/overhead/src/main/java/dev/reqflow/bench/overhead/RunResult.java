package dev.reqflow.bench.overhead;

import java.util.List;
import java.util.Map;

/** What one page server JVM of one variant measured, in one round. */
record RunResult(
    Variant variant,
    int round,
    long startupNanos,
    double warmupSeconds,
    boolean jitSettled,
    long jitMillisMeasured,
    double pagesPerSecond,
    double serverCpuShare,
    double cpuMicrosPerPage,
    double allocatedBytesPerPage,
    double liveThreadBytesPerPage,
    long p50Nanos,
    long p99Nanos,
    long p99SendNanos,
    double targetRate,
    double achievedRate,
    long failures,
    long peakRssKib,
    List<String> threadNames,
    String collectors,
    Map<String, long[]> exported) {

  /** One line for the progress log. */
  String summary() {
    return String.format(
        "round %d %-12s startup %5.0f ms  warm-up %2.0f s%s  JIT %4d ms  %6.0f pages/s (server CPU %3.0f%%, %5.0f us/page,"
            + " %6.1f KiB/page)  p50 %6.3f ms  p99 %6.3f ms (from send %6.3f) at %.0f/s  rss %4d"
            + " MiB  threads %d  failures %d",
        round,
        variant.id(),
        startupNanos / 1e6,
        warmupSeconds,
        jitSettled ? "" : " (JIT still busy)",
        jitMillisMeasured,
        pagesPerSecond,
        serverCpuShare * 100,
        cpuMicrosPerPage,
        allocatedBytesPerPage / 1024,
        p50Nanos / 1e6,
        p99Nanos / 1e6,
        p99SendNanos / 1e6,
        achievedRate,
        peakRssKib / 1024,
        threadNames.size(),
        failures);
  }
}
