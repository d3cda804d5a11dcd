package dev.reqflow.bench.overhead;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU comparison ({@code cpu}): a CPU figure per page that ranks two agents within tens of µs.
 *
 * <p>Why not the overhead run's column: it divides the whole process's CPU by the pages, and one
 * JVM a variant run after the other. The JIT's CPU in a window moves by hundreds of µs a page from
 * one JVM to the next, and what else the machine does moves between two runs a minute apart: the
 * same jar read 1,359–1,990 µs a page, and of two jars run one after the other the second read
 * worse (BENCHMARKS.md). Here every variant's page server is started and warmed up first, all on
 * the same CPU, then short windows alternate between them round after round (A B, B A, ...): a
 * drift of the machine falls on every variant alike. Each window counts the CPU of the threads that
 * did the pages' work, read from {@code /proc} (nothing is loaded into the servers), with the JIT's
 * and the GC's threads apart ({@link ThreadCpu}); the load is at a fixed rate, the same for all, so
 * that no variant's figure depends on how saturated its server was. Two JVMs of the same variant
 * can differ by hundreds of µs a page for their whole life (the JIT compiled the same code
 * differently): {@code --replicas N} runs N of each, a round's figure being their mean, and a
 * variant given twice ({@code #TAG}) is the A/A check that tells the resolution.
 */
final class CpuBenchmark {
  private static final double WARMUP_SLICE_SECONDS = 2;

  private final CpuOptions options;
  private final long ticksPerSecond;

  private CpuBenchmark(CpuOptions options, long ticksPerSecond) {
    this.options = options;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** A started page server of one variant, and the requests of its pages. */
  private record Server(CpuVariant variant, int replica, PageServerProcess process, Pages pages) {}

  static void main(String[] args) throws Exception {
    CpuOptions options;
    try {
      options = CpuOptions.parse(args);
      options.checkJars();
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println(e.getMessage());
      }
      System.err.print(CpuOptions.USAGE);
      System.exit(2);
      return;
    }
    String command =
        "java -jar bench/overhead/target/reqflow-bench-overhead.jar cpu " + String.join(" ", args);
    String started =
        LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    OverheadBenchmark.Machine machine = OverheadBenchmark.Machine.describe(options.java());
    String loadBefore = OverheadBenchmark.Machine.loadAverage();
    Path work =
        options
            .workDir()
            .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(work);
    options.cpus().pinThisProcess();
    CpuBenchmark bench = new CpuBenchmark(options, Measurement.ticksPerSecond());

    List<CpuWindow> windows = new ArrayList<>();
    Map<String, String> warmUps = new LinkedHashMap<>();
    List<String> loads = new ArrayList<>();
    try (OtlpSink sink = OtlpSink.start();
        SampleBackends backends =
            SampleBackends.start(
                options.java(),
                options.variants().get(0).jars(),
                options.cpus(),
                work.resolve("backends.log"))) {
      List<Server> servers = new ArrayList<>();
      // Stopped (SIGTERM, INT) before the rounds end: the processes it started (the page servers,
      // the backends) are stopped with it (SIGTERM: the agents flush).
      Thread stopServers =
          new Thread(
              () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy),
              "cpu-stop-servers");
      Runtime.getRuntime().addShutdownHook(stopServers);
      try {
        for (int replica = 1; replica <= options.replicas(); replica++) {
          for (CpuVariant v : options.variants()) {
            Path dir = work.resolve(v.label().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + replica);
            PageServerProcess server =
                PageServerProcess.start(
                    options.java(),
                    options.jvmOptions(),
                    false,
                    v.variant(),
                    v.jars(),
                    backends.url(),
                    sink.endpoint(),
                    options.cpus(),
                    dir);
            Server s = new Server(v, replica, server, new Pages(server.port(), options.pages()));
            servers.add(s);
            server.awaitFirstPage(options.pages().get(0));
            List<String> trace = new ArrayList<>();
            String warmed = bench.warmUp(s, trace);
            Files.write(dir.resolve("warmup.txt"), trace);
            warmUps.merge(v.label(), warmed, (a, b) -> a + "; " + b);
            log(v.label() + "/" + replica + ": " + warmed);
          }
        }
        // One unmeasured window each: the first warmed servers idled through the others' warm-up.
        for (Server s : servers) {
          bench.load(s, options.leadInSeconds() + options.windowSeconds(), null);
        }
        for (int round = 1; round <= options.rounds(); round++) {
          loads.add(OverheadBenchmark.Machine.loadAverage());
          List<Integer> order = order(servers.size(), round);
          for (int position = 0; position < order.size(); position++) {
            CpuWindow w =
                bench.measure(
                    servers.get(order.get(position)),
                    round,
                    position,
                    options.leadInSeconds(),
                    options.windowSeconds());
            windows.add(w);
            log(w.summary());
          }
        }
      } finally {
        for (Server s : servers) {
          s.process().close();
        }
        Runtime.getRuntime().removeShutdownHook(stopServers);
      }
    }
    String loadAfter = OverheadBenchmark.Machine.loadAverage();

    CpuReport report = new CpuReport(windows, options.variants());
    StringBuilder md = new StringBuilder();
    md.append("### CPU comparison of ").append(started).append(" UTC\n\n");
    md.append("- Machine: ").append(machine.summary()).append('\n');
    md.append("- Load average (1, 5, 15 min): ")
        .append(loadBefore)
        .append(" before, ")
        .append(loadAfter)
        .append(" after; 1-min load at the start of each round: ")
        .append(loads.stream().map(l -> l.substring(0, l.indexOf(','))).toList())
        .append('\n');
    md.append("- Command: `").append(command).append("`\n");
    md.append("- Page server JVM: `")
        .append(options.java())
        .append(options.jvmOptions().isEmpty() ? "" : " " + String.join(" ", options.jvmOptions()))
        .append("` (")
        .append(machine.javaVersion())
        .append("); ")
        .append(
            options.cpus().isPinned()
                ? "every page server on CPU "
                    + options.cpus().server()
                    + ", load driver, OTLP sink and backends on CPU "
                    + options.cpus().others()
                : "not pinned")
        .append('\n');
    md.append(
        String.format(
            "- %d rounds; in each, %s: %.0f s of load unmeasured, then %.0f s measured, at %.0f"
                + " pages/s (up to %d connections); pages `%s` in turn\n",
            options.rounds(),
            "one window per page server, the order alternating (A B, B A, then rotated)",
            options.leadInSeconds(),
            options.windowSeconds(),
            options.rate(),
            options.connections(),
            String.join("`, `", options.pages())));
    md.append("- Warm-up of each server before the rounds (at the same rate, 2 s slices):\n");
    for (CpuVariant v : options.variants()) {
      md.append("  - ")
          .append(v.label())
          .append(" (")
          .append(v.variant().settings())
          .append(
              !v.variant().id().startsWith("reqflow")
                      || v.jars().reqflowAgent().equals(Jars.besideThisBuild().reqflowAgent())
                  ? ""
                  : ", agent jar " + v.jars().reqflowAgent())
          .append("): ")
          .append(warmUps.get(v.label()))
          .append('\n');
    }
    md.append("\nPer page server, µs of CPU a page over its windows, median (min – max):\n\n")
        .append(report.perVariant());
    md.append("\nAgainst ")
        .append(options.variants().get(0).label())
        .append(
            ", the page work's CPU (µs a page), per-round differences: median, bootstrap 95%"
                + " interval of the median (5,000 resamples of the rounds), min – max; and the"
                + " median of the rounds in which the server ran before and after the baseline:\n\n")
        .append(report.againstBaseline());
    md.append("\nThe live work threads' CPU by name, µs a page, median over the windows:\n\n")
        .append(report.threadsByName());

    System.out.println();
    System.out.print(md);
    Files.createDirectories(options.out().toAbsolutePath().getParent());
    Files.writeString(options.out(), md, StandardCharsets.UTF_8);
    Files.write(work.resolve("windows.txt"), windows.stream().map(CpuWindow::summary).toList());
    log("report written to " + options.out() + "; each server's output is in " + work);
  }

  /**
   * The order of the servers in a round, from 1: the list as given, reversed every other round, and
   * rotated by one every two rounds, so that with two servers the rounds read A B, B A, B A, A B,
   * and each server runs before and after each other as often.
   */
  static List<Integer> order(int servers, int round) {
    List<Integer> order = new ArrayList<>();
    int k = round - 1;
    for (int i = 0; i < servers; i++) {
      order.add((i + k / 2) % servers);
    }
    if (k % 2 == 1) {
      Collections.reverse(order);
    }
    return order;
  }

  /**
   * Loads the server at the comparison's rate in 2 s slices until one in which its JIT compiler
   * threads used less than {@code --jit-share} of the slice, after {@code --warmup} seconds at
   * least, {@code --max-warmup} at most; writes each slice to {@code trace}, returns a summary.
   */
  private String warmUp(Server server, List<String> trace) throws Exception {
    trace.add("seconds\tpages/s\tJIT CPU ms\twork µs/page");
    double seconds = 0;
    while (true) {
      Bounds bounds = new Bounds(server.process().pid(), ticksPerSecond);
      OpenLoopLoad.Result r = load(server, WARMUP_SLICE_SECONDS, bounds);
      ThreadCpu.Used used = bounds.used();
      seconds += WARMUP_SLICE_SECONDS;
      double slicePages = options.rate() * WARMUP_SLICE_SECONDS;
      trace.add(
          String.format(
              "%.0f\t%.0f\t%d\t%.0f",
              seconds, r.achievedRate(), used.jit() / 1_000_000, used.work() / 1e3 / slicePages));
      double jitShare = used.jit() / (WARMUP_SLICE_SECONDS * 1e9);
      if (seconds >= options.warmupSeconds() && jitShare < options.settledJitShare()) {
        return String.format(
            "settled after %.0f s (JIT %.1f%% of the last slice)", seconds, jitShare * 100);
      }
      if (seconds >= options.maxWarmupSeconds()) {
        return String.format(
            "**not settled** after %.0f s (JIT %.1f%% of the last slice)", seconds, jitShare * 100);
      }
    }
  }

  /** One measured window: the lead-in, then the window at the fixed rate. */
  private CpuWindow measure(
      Server server, int round, int position, double leadInSeconds, double seconds)
      throws InterruptedException {
    Bounds bounds = new Bounds(server.process().pid(), ticksPerSecond);
    OpenLoopLoad.Result r =
        new OpenLoopLoad(server.process().port(), server.pages(), options.connections())
            .run(options.rate(), leadInSeconds, seconds, bounds);
    return new CpuWindow(
        server.variant().label(),
        server.replica(),
        round,
        position,
        r.fromDue().length,
        r.failures(),
        r.achievedRate(),
        bounds.used(),
        r.percentileFromDue(50),
        r.percentileFromDue(99));
  }

  /** {@code seconds} at the fixed rate, measured between {@code bounds} if given. */
  private OpenLoopLoad.Result load(Server server, double seconds, Bounds bounds)
      throws InterruptedException {
    return new OpenLoopLoad(server.process().port(), server.pages(), options.connections())
        .run(options.rate(), 0, seconds, bounds);
  }

  private static void log(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** Reads a server's CPU at a window's bounds. */
  private static final class Bounds implements OpenLoopLoad.Window {
    private final long pid;
    private final long ticksPerSecond;
    private ThreadCpu begin;
    private ThreadCpu end;

    Bounds(long pid, long ticksPerSecond) {
      this.pid = pid;
      this.ticksPerSecond = ticksPerSecond;
    }

    @Override
    public void begin() {
      begin = read();
    }

    @Override
    public void end() {
      end = read();
    }

    private ThreadCpu read() {
      try {
        return ThreadCpu.read(pid, ticksPerSecond);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    ThreadCpu.Used used() {
      return end.since(begin);
    }
  }
}
