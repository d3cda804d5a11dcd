package dev.reqflow.bench.overhead;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line of {@code cpu}, the CPU comparison (see {@link #USAGE}). */
record CpuOptions(
    int rounds,
    double windowSeconds,
    double leadInSeconds,
    double rate,
    int connections,
    double warmupSeconds,
    double maxWarmupSeconds,
    double settledJitShare,
    int replicas,
    List<String> pages,
    List<CpuVariant> variants,
    Cpus cpus,
    String java,
    List<String> jvmOptions,
    Path out,
    Path workDir) {

  static final String USAGE =
      "usage: java -jar bench/overhead/target/reqflow-bench-overhead.jar cpu [options]\n"
          + "  Every variant's page server runs at once (all on the server CPUs); after each has\n"
          + "  warmed up, rounds of short windows at a fixed rate alternate between them\n"
          + "  (A B, B A, ...), each window measuring the CPU a page cost its page server's\n"
          + "  threads, the JIT's and the GC's apart. Differences to the first variant are taken\n"
          + "  within a round; their median and a bootstrap 95% interval are reported.\n"
          + "  --variants V,V          VARIANT[@JAR][#TAG], the first is the baseline; JAR: another\n"
          + "                          reqflow agent jar; #TAG tells apart two servers of the same\n"
          + "                          (none,none#2,reqflow,reqflow-sampled,otel)\n"
          + "  --rounds N              rounds of one window per variant (20)\n"
          + "  --window S              seconds measured per window (4)\n"
          + "  --lead-in S             seconds of load before each window, unmeasured (1)\n"
          + "  --rate R                pages/s in every window and in the warm-up (200)\n"
          + "  --connections N         connections the fixed-rate load may use (32)\n"
          + "  --warmup S              at least this many seconds of warm-up per server (10),\n"
          + "                          then 2 s slices until one in which the JIT compiler threads\n"
          + "  --jit-share F           used less than this share of the slice (0.02)\n"
          + "  --max-warmup S          but no more than this (60)\n"
          + "  --replicas N            page servers (JVMs) per variant, each measured in every\n"
          + "                          round; a variant's figure in a round is their mean (1)\n"
          + "  --pages P,P             (/home?strategy=async,/home?strategy=async-okhttp)\n"
          + "  --no-pin, --server-cpus L, --other-cpus L, --java PATH, --jvm-opts 'A B',\n"
          + "  --sample-app JAR, --agent JAR, --otel-agent JAR   as without `cpu`\n"
          + "  --out FILE              the markdown report (bench/overhead/target/cpu.md)\n"
          + "  --work DIR              each server's output (bench/overhead/target/cpu-runs)\n";

  static CpuOptions parse(String[] args) {
    Map<String, String> m = Options.read(args, Set.of("no-pin", "help"));
    Set<String> known =
        Set.of(
            "variants",
            "rounds",
            "window",
            "lead-in",
            "rate",
            "connections",
            "warmup",
            "jit-share",
            "max-warmup",
            "pages",
            "no-pin",
            "replicas",
            "server-cpus",
            "other-cpus",
            "java",
            "jvm-opts",
            "sample-app",
            "agent",
            "otel-agent",
            "out",
            "work");
    for (String name : m.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    Jars jars = Jars.fromOptions(m);
    List<CpuVariant> variants = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    for (String spec :
        m.getOrDefault("variants", "none,none#2,reqflow,reqflow-sampled,otel").split(",")) {
      CpuVariant v = CpuVariant.parse(spec, jars);
      if (!labels.add(v.label())) {
        throw new IllegalArgumentException(
            "--variants names " + v.label() + " twice: tell them apart with #TAG");
      }
      variants.add(v);
    }
    if (variants.size() < 2) {
      throw new IllegalArgumentException("--variants needs two at least: a baseline and another");
    }
    double share = Options.positive(m, "jit-share", 0.02);
    if (share >= 1) {
      throw new IllegalArgumentException("--jit-share is a share of a slice, below 1");
    }
    Path target = jars.otelAgent().toAbsolutePath().getParent();
    return new CpuOptions(
        Options.positiveInt(m, "rounds", 20),
        Options.positive(m, "window", 4),
        Options.positive(m, "lead-in", 1),
        Options.positive(m, "rate", 200),
        Options.positiveInt(m, "connections", 32),
        Options.positive(m, "warmup", 10),
        Options.positive(m, "max-warmup", 60),
        share,
        Options.positiveInt(m, "replicas", 1),
        List.of(
            m.getOrDefault("pages", "/home?strategy=async,/home?strategy=async-okhttp").split(",")),
        List.copyOf(variants),
        m.containsKey("no-pin")
            ? Cpus.unpinned()
            : Cpus.pinned(m.getOrDefault("server-cpus", "1"), m.getOrDefault("other-cpus", "0")),
        m.getOrDefault("java", Path.of(System.getProperty("java.home"), "bin", "java").toString()),
        m.containsKey("jvm-opts")
            ? Arrays.asList(m.get("jvm-opts").trim().split("\\s+"))
            : List.of(),
        Path.of(m.getOrDefault("out", target.resolve("cpu.md").toString())),
        Path.of(m.getOrDefault("work", target.resolve("cpu-runs").toString())));
  }

  /** The default jars (the sample app, the OpenTelemetry agent) and every variant's. */
  void checkJars() {
    for (CpuVariant v : variants) {
      v.jars().check();
    }
  }
}
