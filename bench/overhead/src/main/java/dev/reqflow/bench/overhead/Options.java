package dev.reqflow.bench.overhead;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line: {@code --name value} pairs and a few flags. */
record Options(
    int rounds,
    double warmupSeconds,
    double maxWarmupSeconds,
    double measureSeconds,
    double latencySeconds,
    int connections,
    int warmupConnections,
    int latencyConnections,
    double rate,
    double rateFraction,
    List<String> pages,
    List<Variant> variants,
    Cpus cpus,
    String java,
    List<String> jvmOptions,
    boolean jfr,
    String asyncProfiler,
    Jars jars,
    Path out,
    Path workDir) {

  static final String USAGE =
      "usage: java -jar bench/overhead/target/reqflow-bench-overhead.jar [options]\n"
          + "  (or `cpu --help`: the CPU a page costs, servers side by side in alternated rounds)\n"
          + "  --rounds N              rounds; each runs every variant once, in rotated order (3)\n"
          + "  --warmup S              at least this many seconds of gentle load before\n"
          + "                          measuring, more until the JIT has settled (10)\n"
          + "  --max-warmup S          but no more than this (45)\n"
          + "  --measure S             seconds of saturating load measured: throughput,\n"
          + "                          allocation and CPU per page (6)\n"
          + "  --latency S             seconds at a fixed rate measured: p50/p99 (6)\n"
          + "  --connections N         connections of the saturating load (16)\n"
          + "  --warmup-connections N  connections of the warm-up load (as --connections)\n"
          + "  --latency-connections N connections available to the fixed-rate load (32)\n"
          + "  --rate R                the fixed rate in pages/s (default: --rate-fraction of\n"
          + "                          the throughput of the first run, without agent)\n"
          + "  --rate-fraction F       (0.3)\n"
          + "  --pages P,P             pages the load cycles through\n"
          + "                          (/home?strategy=async,/home?strategy=async-okhttp)\n"
          + "  --variants V,V          of none, reqflow, reqflow-nojfr, reqflow-sampled\n"
          + "                          (sample=0.1,keep.slow), reqflow-sample (sample=0.1), otel,\n"
          + "                          glowroot (its agent, collector refused),\n"
          + "                          reqflow-file\n"
          + "                          (none,reqflow,reqflow-nojfr,otel)\n"
          + "  --no-pin                do not pin CPUs; else the page server runs on\n"
          + "  --server-cpus L         these CPUs (1) and everything else on\n"
          + "  --other-cpus L          these (0), as taskset lists\n"
          + "  --java PATH             java of the page server (this JVM's)\n"
          + "  --jvm-opts 'A B'        extra options of the page server JVM, for every variant\n"
          + "  --jfr                   record each page server with JFR (profile settings) into\n"
          + "                          its run folder, for finding where an agent's time goes\n"
          + "  --async-profiler LIB    profile the measured window of each run with\n"
          + "                          async-profiler (LIB: libasyncProfiler.so), CPU samples\n"
          + "                          per thread into RUN/measured-cpu.collapsed\n"
          + "  --sample-app JAR, --agent JAR, --otel-agent JAR   (found beside this build)\n"
          + "  --out FILE              the markdown report (bench/overhead/target/overhead.md)\n"
          + "  --work DIR              each run's output and recordings\n"
          + "                          (bench/overhead/target/overhead-runs)\n";

  private static final Set<String> FLAGS = Set.of("no-pin", "jfr", "help");

  /**
   * {@code --name value} pairs (and {@code flags} without a value) by name without the dashes.
   *
   * @throws IllegalArgumentException with a message for a malformed command line, with none for
   *     {@code --help} (the caller prints the usage)
   */
  static Map<String, String> read(String[] args, Set<String> flags) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected '" + args[i] + "'");
      }
      String name = args[i].substring(2);
      if (flags.contains(name)) {
        m.put(name, "true");
      } else if (i + 1 < args.length) {
        m.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
    }
    if (m.containsKey("help")) {
      throw new IllegalArgumentException("");
    }
    return m;
  }

  static Options parse(String[] args) {
    Map<String, String> m = read(args, FLAGS);
    Set<String> known =
        Set.of(
            "rounds",
            "warmup",
            "max-warmup",
            "measure",
            "latency",
            "connections",
            "warmup-connections",
            "latency-connections",
            "rate",
            "rate-fraction",
            "pages",
            "variants",
            "no-pin",
            "server-cpus",
            "other-cpus",
            "java",
            "jvm-opts",
            "jfr",
            "async-profiler",
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
    List<Variant> variants = new ArrayList<>();
    for (String id : m.getOrDefault("variants", "none,reqflow,reqflow-nojfr,otel").split(",")) {
      variants.add(
          Variant.byId(id).orElseThrow(() -> new IllegalArgumentException("no variant " + id)));
    }
    if (!variants.contains(Variant.NONE)) {
      throw new IllegalArgumentException("--variants must include none: it is the baseline");
    }
    // The baseline first: the first round starts with it, and without --rate it sets the rate.
    variants.remove(Variant.NONE);
    variants.add(0, Variant.NONE);
    Path target = jars.otelAgent().toAbsolutePath().getParent();
    Cpus cpus =
        m.containsKey("no-pin")
            ? Cpus.unpinned()
            : Cpus.pinned(m.getOrDefault("server-cpus", "1"), m.getOrDefault("other-cpus", "0"));
    String java =
        m.getOrDefault("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> jvmOptions =
        m.containsKey("jvm-opts")
            ? Arrays.asList(m.get("jvm-opts").trim().split("\\s+"))
            : List.of();
    return new Options(
        positiveInt(m, "rounds", 3),
        positive(m, "warmup", 10),
        positive(m, "max-warmup", 45),
        positive(m, "measure", 6),
        positive(m, "latency", 6),
        positiveInt(m, "connections", 16),
        positiveInt(m, "warmup-connections", positiveInt(m, "connections", 16)),
        positiveInt(m, "latency-connections", 32),
        m.containsKey("rate") ? positive(m, "rate", 0) : 0,
        positive(m, "rate-fraction", 0.3),
        List.of(
            m.getOrDefault("pages", "/home?strategy=async,/home?strategy=async-okhttp").split(",")),
        List.copyOf(variants),
        cpus,
        java,
        jvmOptions,
        m.containsKey("jfr"),
        m.get("async-profiler"),
        jars,
        Path.of(m.getOrDefault("out", target.resolve("overhead.md").toString())),
        Path.of(m.getOrDefault("work", target.resolve("overhead-runs").toString())));
  }

  static double positive(Map<String, String> m, String name, double fallback) {
    if (!m.containsKey(name)) {
      return fallback;
    }
    try {
      double v = Double.parseDouble(m.get(name));
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--" + name + " takes a number > 0, not " + m.get(name));
  }

  static int positiveInt(Map<String, String> m, String name, int fallback) {
    double v = positive(m, name, fallback);
    if (v != Math.rint(v)) {
      throw new IllegalArgumentException("--" + name + " takes a whole number");
    }
    return (int) v;
  }
}
