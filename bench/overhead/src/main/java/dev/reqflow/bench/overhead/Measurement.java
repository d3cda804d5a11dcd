package dev.reqflow.bench.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run: a fresh page server JVM of one variant, its startup, then saturating load (warm-up, then
 * measured: throughput, allocation and CPU per page), then load at a fixed rate (latency), then its
 * threads and peak RSS; then a SIGTERM, so that the agent's exit flush reaches the sink too.
 */
final class Measurement {
  private final Options options;
  private final String backendsUrl;
  private final OtlpSink sink;
  private final long ticksPerSecond;

  private static final double WARMUP_SLICE_SECONDS = 2;
  private static final double SETTLED_JIT_SHARE = 0.05;
  private static final int SETTLED_QUEUE = 2;

  /**
   * The gentle warm-up: a fixed rate that leaves most of the server's CPU to the compilers. Even
   * one connection, a page at a time, keeps one CPU busy (a page is about 1 ms of CPU and its
   * backends answer in microseconds), and the compilers then get a third of it.
   */
  private static final double GENTLE_PAGES_PER_SECOND = 150;

  private static final int GENTLE_CONNECTIONS = 4;

  /**
   * At the fixed rate, unrecorded, before the latency window: its first pages would otherwise pay
   * for opening the connections and starting the server's request threads.
   */
  private static final double LATENCY_WARMUP_SECONDS = 2;

  Measurement(Options options, String backendsUrl, OtlpSink sink, long ticksPerSecond) {
    this.options = options;
    this.backendsUrl = backendsUrl;
    this.sink = sink;
    this.ticksPerSecond = ticksPerSecond;
  }

  /**
   * Runs {@code variant}, the fixed-rate part at {@code rate} pages/s or, when that is 0, at {@code
   * --rate-fraction} of the throughput this run measured.
   */
  RunResult run(Variant variant, int round, double rate, Path runDir) throws Exception {
    sink.takeCounts();
    long startup;
    double pagesPerSecond;
    double cpuShare;
    double cpuMicrosPerPage;
    double bytesPerPage;
    double heapBytesPerPage;
    long failures;
    OpenLoopLoad.Result latency;
    long rss;
    List<String> threads;
    String collectors;
    WarmUp warmed;
    long jitMillis;
    try (PageServerProcess server =
        PageServerProcess.start(
            options.java(),
            options.jvmOptions(),
            options.jfr(),
            variant,
            options.jars(),
            backendsUrl,
            sink.endpoint(),
            options.cpus(),
            runDir)) {
      startup = server.awaitFirstPage(options.pages().get(0));
      Pages pages = new Pages(server.port(), options.pages());
      try (ServerProbe probe = ServerProbe.attach(server.pid())) {
        List<String> trace = new ArrayList<>();
        warmed = warmUp(server, probe, pages, trace);
        Files.write(runDir.resolve("warmup.txt"), trace);
        ClosedLoopLoad saturating = new ClosedLoopLoad(server.port(), pages, options.connections());
        Map<Long, Long> allocatedBefore = probe.allocatedBytes();
        long heapBefore = probe.heapAllocatedBytes();
        long ticksBefore = server.cpuTicks();
        long jitBefore = server.compilerCpuTicks();
        if (options.asyncProfiler() != null) {
          ServerProbe.loadNativeAgent(
              server.pid(), options.asyncProfiler(), "start,event=cpu,interval=1ms,threads");
        }
        ClosedLoopLoad.Result measured = saturating.run(options.measureSeconds());
        if (options.asyncProfiler() != null) {
          ServerProbe.loadNativeAgent(
              server.pid(),
              options.asyncProfiler(),
              "stop,collapsed,file=" + runDir.resolve("measured-cpu.collapsed"));
        }
        long ticks = server.cpuTicks() - ticksBefore;
        jitMillis = (server.compilerCpuTicks() - jitBefore) * 1000 / ticksPerSecond;
        long heapBytes = probe.heapAllocatedBytes() - heapBefore;
        long bytes = ServerProbe.allocatedBetween(allocatedBefore, probe.allocatedBytes());
        pagesPerSecond = measured.pagesPerSecond();
        double cpuSeconds = (double) ticks / ticksPerSecond;
        cpuShare = cpuSeconds / measured.seconds();
        cpuMicrosPerPage = cpuSeconds * 1e6 / Math.max(1, measured.pages());
        bytesPerPage = (double) bytes / Math.max(1, measured.pages());
        heapBytesPerPage = (double) heapBytes / Math.max(1, measured.pages());
        failures = measured.failures();
        if (rate == 0) {
          rate = Math.max(1, Math.round(pagesPerSecond * options.rateFraction()));
        }
        latency =
            new OpenLoopLoad(server.port(), pages, options.latencyConnections())
                .run(rate, LATENCY_WARMUP_SECONDS, options.latencySeconds());
        failures += latency.failures();
        Files.write(runDir.resolve("latency.txt"), latency.timeline());
        threads = probe.threadNames();
        collectors = probe.collectors();
      }
      rss = server.peakRssKib();
    }
    Map<String, long[]> exported = sink.takeCounts();
    Files.write(runDir.resolve("threads.txt"), threads);
    return new RunResult(
        variant,
        round,
        startup,
        warmed.seconds(),
        warmed.settled(),
        jitMillis,
        pagesPerSecond,
        cpuShare,
        cpuMicrosPerPage,
        heapBytesPerPage,
        bytesPerPage,
        latency.percentileFromDue(50),
        latency.percentileFromDue(99),
        latency.percentileFromSend(99),
        rate,
        latency.achievedRate(),
        failures,
        rss,
        threads,
        collectors,
        exported);
  }

  /**
   * Loads the server until its JIT compilers have caught up: first gently (a fixed {@link
   * #GENTLE_PAGES_PER_SECOND}), then as hard as it will be measured, each in 2 s slices until one
   * ends with at most {@link #SETTLED_QUEUE} methods in the compile queues and the compiler threads
   * used less than {@link #SETTLED_JIT_SHARE} of it in CPU. Saturating at once does not do: on one
   * CPU the compiler threads get a small share of it among the page threads, and a server 10 s into
   * saturating load can still be compiling (and serve half of what it will); gently, with CPU left
   * over, the compilers catch up, and the saturating phase then compiles only what more concurrency
   * adds (connection set-up, contended paths). At least {@code --warmup} seconds, at most {@code
   * --max-warmup}.
   */
  private WarmUp warmUp(
      PageServerProcess server, ServerProbe probe, Pages pages, List<String> trace)
      throws Exception {
    trace.add("seconds\tload\tpages/s\tJIT CPU ms\tcompile queue");
    double seconds = 0;
    double budget = options.maxWarmupSeconds();
    OpenLoopLoad gentle = new OpenLoopLoad(server.port(), pages, GENTLE_CONNECTIONS);
    ClosedLoopLoad saturating = new ClosedLoopLoad(server.port(), pages, options.connections());
    for (boolean saturate : new boolean[] {false, true}) {
      double phase = 0;
      double least = options.warmupSeconds() / 2;
      boolean settled = false;
      long jit = server.compilerCpuTicks();
      while (!settled && seconds < budget) {
        double pagesPerSecond =
            saturate
                ? saturating.run(WARMUP_SLICE_SECONDS).pagesPerSecond()
                : gentle.run(GENTLE_PAGES_PER_SECOND, 0, WARMUP_SLICE_SECONDS).achievedRate();
        phase += WARMUP_SLICE_SECONDS;
        seconds += WARMUP_SLICE_SECONDS;
        long now = server.compilerCpuTicks();
        int queued = probe.compileQueueLength();
        settled =
            phase >= least
                && now - jit < WARMUP_SLICE_SECONDS * ticksPerSecond * SETTLED_JIT_SHARE
                && queued <= SETTLED_QUEUE;
        trace.add(
            String.format(
                "%.0f\t%s\t%.0f\t%d\t%d",
                seconds,
                saturate ? options.connections() + " connections" : "gentle",
                pagesPerSecond,
                (now - jit) * 1000 / ticksPerSecond,
                queued));
        jit = now;
      }
      if (!settled) {
        return new WarmUp(seconds, false);
      }
    }
    return new WarmUp(seconds, true);
  }

  private record WarmUp(double seconds, boolean settled) {}

  /** Clock ticks per second of {@code /proc/PID/stat} times ({@code getconf CLK_TCK}). */
  static long ticksPerSecond() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (p.waitFor() != 0) {
      return 100;
    }
    return Long.parseLong(out);
  }
}
