package dev.reqflow.bench.overhead;

/**
 * One measured window of the CPU comparison: one page server under the fixed-rate load.
 *
 * @param replica which of the variant's page servers, from 1 (see {@code --replicas})
 * @param position the window's place in its round, from 0
 * @param pages the pages due in the window (the CPU is divided by these)
 * @param used the server's CPU over the window
 * @param p50Nanos latency from each page's due time, median
 */
record CpuWindow(
    String label,
    int replica,
    int round,
    int position,
    int pages,
    long failures,
    double achievedRate,
    ThreadCpu.Used used,
    long p50Nanos,
    long p99Nanos) {

  /** The page work's CPU (request, client, pool and agent threads), µs a page. */
  double workMicros() {
    return used.work() / 1e3 / pages;
  }

  /** The JIT compiler threads' CPU, µs a page. */
  double jitMicros() {
    return used.jit() / 1e3 / pages;
  }

  /** The collector's and VM threads' CPU, µs a page. */
  double gcVmMicros() {
    return used.gcVm() / 1e3 / pages;
  }

  /** The whole process's CPU, µs a page (the overhead bench's column, at this fixed rate). */
  double processMicros() {
    return used.process() / 1e3 / pages;
  }

  /** One line for the progress log. */
  String summary() {
    return String.format(
        "round %d #%d %s/%d: work %.0f µs/page, JIT %.0f, GC/VM %.0f, process %.0f; %d pages,"
            + " %.0f/s, p50 %.2f ms, p99 %.2f ms, %d failed",
        round,
        position,
        label,
        replica,
        workMicros(),
        jitMicros(),
        gcVmMicros(),
        processMicros(),
        pages,
        achievedRate,
        p50Nanos / 1e6,
        p99Nanos / 1e6,
        failures);
  }
}
