package dev.reqflow.bench.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The agent overhead benchmark: the sample app's page server with no agent, with the reqflow agent
 * and with the OpenTelemetry Java agent, interleaved in one run, each in fresh JVMs, under loopback
 * load; prints a markdown report and writes it to {@code --out}. See {@link Options#USAGE}. With
 * {@code cpu} first, the CPU comparison instead: {@link CpuBenchmark}, {@link CpuOptions#USAGE}.
 */
public final class OverheadBenchmark {
  private OverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    if (args.length > 0 && args[0].equals("cpu")) {
      CpuBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Options options;
    try {
      options = Options.parse(args);
      options.jars().check();
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println(e.getMessage());
      }
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    String command =
        "java -jar bench/overhead/target/reqflow-bench-overhead.jar " + String.join(" ", args);
    String started =
        LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    Machine machine = Machine.describe(options.java());
    String loadBefore = Machine.loadAverage();
    Path work =
        options
            .workDir()
            .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(work);
    options.cpus().pinThisProcess();

    List<RunResult> runs = new ArrayList<>();
    double rate = options.rate();
    double firstThroughput = Double.NaN;
    try (OtlpSink sink = OtlpSink.start();
        SampleBackends backends =
            SampleBackends.start(
                options.java(), options.jars(), options.cpus(), work.resolve("backends.log"))) {
      Measurement measurement =
          new Measurement(options, backends.url(), sink, Measurement.ticksPerSecond());
      List<Variant> variants = options.variants();
      for (int round = 1; round <= options.rounds(); round++) {
        for (int i = 0; i < variants.size(); i++) {
          Variant v = variants.get((i + round - 1) % variants.size());
          RunResult r = measurement.run(v, round, rate, work.resolve(round + "-" + v.id()));
          runs.add(r);
          log(r.summary());
          if (rate == 0) {
            // The first run is without agent: its throughput sets the rate for all.
            rate = r.targetRate();
            firstThroughput = r.pagesPerSecond();
          }
        }
      }
    }
    String loadAfter = Machine.loadAverage();

    Report report = new Report(runs, options.variants());
    StringBuilder md = new StringBuilder();
    md.append("### Run of ").append(started).append(" UTC\n\n");
    md.append("- Machine: ").append(machine.summary()).append('\n');
    md.append("- Load average (1, 5, 15 min): ")
        .append(loadBefore)
        .append(" before, ")
        .append(loadAfter)
        .append(" after\n");
    md.append("- Command: `").append(command).append("`\n");
    md.append("- Page server JVM: `")
        .append(options.java())
        .append(options.jvmOptions().isEmpty() ? "" : " " + String.join(" ", options.jvmOptions()))
        .append("` (")
        .append(machine.javaVersion())
        .append("), collectors picked: ")
        .append(runs.isEmpty() ? "?" : runs.get(0).collectors())
        .append('\n');
    md.append("- CPUs: ")
        .append(
            options.cpus().isPinned()
                ? "page server on CPU "
                    + options.cpus().server()
                    + " from its start; load driver, OTLP sink and backends on CPU "
                    + options.cpus().others()
                    + " (taskset)"
                : "not pinned")
        .append('\n');
    md.append("- Pages: `")
        .append(String.join("`, `", options.pages()))
        .append(
            "` in turn; backends in their own JVM, no agent, `--latency-scale 0 --connect-ms 0`\n");
    md.append(
        String.format(
            "- %d rounds, each variant once per round in rotated order, a fresh page server JVM"
                + " each run: warm-up until the JIT compilers have caught up (150 pages/s, then"
                + " saturating, each in 2 s slices until one ends with at most 2"
                + " methods queued for compilation and under 5%% of its CPU spent compiling; %.0f s"
                + " at least, %.0f s at most), then %.0f s measured at saturation (%d keep-alive"
                + " connections), then 2 s unrecorded and %.0f s recorded at a fixed %.0f pages/s"
                + " (%s) with up to %d connections, latency counted from each page's due time\n",
            options.rounds(),
            options.warmupSeconds(),
            options.maxWarmupSeconds(),
            options.measureSeconds(),
            options.connections(),
            options.latencySeconds(),
            rate,
            Double.isNaN(firstThroughput)
                ? "--rate"
                : String.format(
                    "%.0f%% of the %.0f pages/s of the first run, without agent",
                    options.rateFraction() * 100, firstThroughput),
            options.latencyConnections()));
    md.append("- Variants:\n");
    for (Variant v : options.variants()) {
      md.append("  - ").append(v.id()).append(": ").append(v.settings()).append('\n');
    }
    md.append("\nPer variant, median over the rounds (min – max):\n\n").append(report.perVariant());
    md.append("\nEach agent against no agent: per-round differences, median (min – max):\n\n")
        .append(report.againstNoAgent());
    md.append("\nThreads each agent adds (live at the end of a run, absent without agent):\n\n")
        .append(report.agentThreadNames());
    md.append("\nOTLP/HTTP that reached the sink per run (median):\n\n").append(report.exported());
    md.append("\nEvery run:\n\n").append(report.everyRun());

    System.out.println();
    System.out.print(md);
    Files.createDirectories(options.out().toAbsolutePath().getParent());
    Files.writeString(options.out(), md, StandardCharsets.UTF_8);
    log("report written to " + options.out() + "; each run's output is in " + work);
  }

  private static void log(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** What the figures were taken on. */
  record Machine(String summary, String javaVersion) {
    static Machine describe(String java) throws IOException, InterruptedException {
      String model = "?";
      int cpus = 0;
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("processor")) {
          cpus++;
        } else if (line.startsWith("model name") && model.equals("?")) {
          model = line.substring(line.indexOf(':') + 1).trim();
        }
      }
      long memKib = 0;
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKib = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
      List<String> version =
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      p.waitFor();
      String javaVersion = version.size() > 1 ? version.get(1).trim() : String.join(" ", version);
      return new Machine(
          String.format(
              "%d CPUs (%s), %.0f GiB, %s %s",
              cpus,
              model,
              memKib / 1024.0 / 1024.0,
              System.getProperty("os.name"),
              System.getProperty("os.version")),
          javaVersion);
    }

    static String loadAverage() throws IOException {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + ", " + f[1] + ", " + f[2];
    }
  }
}
