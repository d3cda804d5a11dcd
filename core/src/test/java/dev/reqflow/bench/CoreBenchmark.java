package dev.reqflow.bench;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.AnalysisResult;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CallMode;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.PhaseKind;
import dev.reqflow.flow.Pool;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.flow.ThreadRef;
import dev.reqflow.flow.ThreadRole;
import dev.reqflow.otlp.Flows;
import dev.reqflow.otlp.OtlpJsonLines;
import dev.reqflow.otlp.ReadResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Not a test: the core's budgets, measured. Analyses 100,000 generated flows (budget 2 s) and reads
 * a file of 1,000,000 spans in OTLP JSON lines (the viewer's budget: 3 s). Run:
 *
 * <pre>
 * mvn -B -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx4g -cp core/target/classes:core/target/test-classes:$(cat core/target/cp.txt) \
 *     dev.reqflow.bench.CoreBenchmark [flows] [spans]
 * </pre>
 */
public final class CoreBenchmark {
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final ThreadRef RENDER = new ThreadRef(1, "http-1", ThreadRole.RENDER);
  private static final String[] HOSTS = {"users", "recs", "reviews", "cart", "ads", "promo"};

  private CoreBenchmark() {}

  public static void main(String[] args) throws IOException {
    int flowCount = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long spanTarget = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;

    List<Flow> flows = generate(flowCount, 42);
    long spans = 0;
    for (Flow f : flows) {
      spans += 1 + f.calls().size() + f.blocks().size();
    }
    System.out.printf("generated %,d flows (%,d spans)%n", flows.size(), spans);

    for (int round = 1; round <= 3; round++) {
      long t = System.nanoTime();
      long cpu = cpuNanos();
      AnalysisResult r = Analysis.analyse(flows);
      long took = System.nanoTime() - t;
      cpu = cpuNanos() - cpu;
      int suggestions = 0;
      for (FlowReport fr : r.flows()) {
        suggestions += fr.suggestions().size();
      }
      System.out.printf(
          "analyse %,d flows: %,d ms, %,d ms CPU (round %d; %,d suggestions, %d endpoints)%n",
          flows.size(), took / MS, cpu / MS, round, suggestions, r.endpoints().size());
    }

    Path dir = Files.createDirectories(Path.of("core/target/bench"));
    Path file = dir.resolve("spans.jsonl");
    long written = 0;
    int i = 0;
    OtlpJsonLines otlp = new OtlpJsonLines();
    try (Writer w = Files.newBufferedWriter(file)) {
      while (written < spanTarget) {
        Flow f = flows.get(i++ % flows.size());
        otlp.write(f, w);
        written += 1 + f.calls().size() + f.blocks().size();
      }
    }
    System.out.printf(
        "wrote %,d spans in %,d requests, %,d MB: %s%n", written, i, Files.size(file) >> 20, file);
    for (int round = 1; round <= 3; round++) {
      long t = System.nanoTime();
      long cpu = cpuNanos();
      ReadResult read = Flows.read(file);
      long took = System.nanoTime() - t;
      cpu = cpuNanos() - cpu;
      System.out.printf(
          "read %,d spans into %,d flows: %,d ms, %,d ms CPU (round %d)%n",
          read.spanCount(), read.flows().size(), took / MS, cpu / MS, round);
    }
    System.out.printf("load average at the end: %.2f%n", loadAverage());
  }

  /** CPU time of the whole process (all threads, GC included): comparable on a busy machine. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Flows in the seed scenarios' shapes, with random latencies. */
  static List<Flow> generate(int count, long seed) {
    Random rnd = new Random(seed);
    List<Flow> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long start = T0 + i * 5 * MS;
      Flow.Builder b =
          Flow.builder(String.format("%032x", i + 1), "f" + i).service("home").renderThread(RENDER);
      long end;
      switch (i % 5) {
        case 0:
          b.name("GET /serial");
          end = serial(b, start, rnd);
          break;
        case 1:
          b.name("GET /async");
          end = async(b, start, rnd, 0);
          break;
        case 2:
          b.name("GET /pool-2");
          end = pool(b, start, rnd, 2);
          break;
        case 3:
          b.name("GET /late");
          end = async(b, start, rnd, 3);
          break;
        default:
          b.name("GET /slow");
          end = async(b, start, rnd, 0) + (rnd.nextInt(20) == 0 ? 900 * MS : 0);
          break;
      }
      out.add(b.time(start, end).waitsRecorded(true).build());
    }
    return out;
  }

  private static long latency(Random rnd) {
    return (20 + rnd.nextInt(180)) * MS;
  }

  private static Call call(
      int n,
      long issue,
      long dispatch,
      long connect,
      long end,
      CallMode mode,
      Pool pool,
      ThreadRef thread,
      List<Dependency> deps) {
    List<Phase> phases = new ArrayList<>();
    if (dispatch > issue) {
      phases.add(new Phase(PhaseKind.QUEUED, issue, dispatch));
    }
    if (connect > 0) {
      phases.add(new Phase(PhaseKind.CONNECT, dispatch, dispatch + connect));
    }
    long server = dispatch + connect;
    long firstByte = server + (end - server) * 9 / 10;
    phases.add(new Phase(PhaseKind.SERVER, server, firstByte));
    phases.add(new Phase(PhaseKind.DOWNLOAD, firstByte, end));
    String host = HOSTS[n % HOSTS.length];
    return new Call(
        "c" + n,
        "GET",
        "http://" + host + ":8080/" + host,
        host,
        8080,
        200,
        "",
        "okhttp",
        mode,
        issue,
        end,
        phases,
        connect > 0 ? ConnectionReuse.NEW : ConnectionReuse.REUSED,
        pool,
        new CodeLocation("app.Home.render", "Home.java", 30 + n),
        thread,
        deps);
  }

  private static Block block(int n, long from, long to, String... calls) {
    return new Block(
        "b" + n,
        RENDER,
        "future.get",
        from,
        to,
        new CodeLocation("app.Home.render", "Home.java", 60 + n),
        Arrays.asList(calls));
  }

  /** Six synchronous calls one after another, the first on a new connection. */
  private static long serial(Flow.Builder b, long start, Random rnd) {
    long t = start + MS;
    for (int n = 0; n < 6; n++) {
      long connect = n == 0 ? 3 * MS : 0;
      long end = t + connect + latency(rnd);
      List<Dependency> deps =
          n == 0 ? List.of() : List.of(new Dependency("c" + (n - 1), DependencyType.AFTER_WAIT));
      b.addCall(call(n, t, t, connect, end, CallMode.SYNC, Pool.NONE, RENDER, deps));
      b.addBlock(block(n, t, end, "c" + n));
      t = end + MS;
    }
    return t + 2 * MS;
  }

  /** Six async calls issued together (or `late` of them after the first wait), then waited on. */
  private static long async(Flow.Builder b, long start, Random rnd, int late) {
    long issue = start + MS;
    long[] ends = new long[6];
    for (int n = 0; n < 6 - late; n++) {
      ends[n] = issue + latency(rnd);
      b.addCall(call(n, issue, issue, 0, ends[n], CallMode.ASYNC, Pool.NONE, RENDER, List.of()));
    }
    long t = issue + MS;
    for (int n = 0; n < 6; n++) {
      if (late > 0 && n == 6 - late) {
        long lateIssue = t;
        for (int k = n; k < 6; k++) {
          ends[k] = lateIssue + latency(rnd);
          b.addCall(
              call(
                  k,
                  lateIssue,
                  lateIssue,
                  0,
                  ends[k],
                  CallMode.ASYNC,
                  Pool.NONE,
                  RENDER,
                  List.of(new Dependency("c0", DependencyType.AFTER_WAIT))));
        }
        t += MS;
      }
      if (ends[n] > t) {
        b.addBlock(block(n, t, ends[n], "c" + n));
        t = ends[n];
      }
      t += MS;
    }
    return t + MS;
  }

  /** Six sync calls run by an executor of `limit` workers; the page waits for all. */
  private static long pool(Flow.Builder b, long start, Random rnd, int limit) {
    Pool pool = new Pool("pool-1-thread", PoolKind.EXECUTOR, limit, 0);
    long issue = start + MS;
    long[] free = new long[limit];
    Arrays.fill(free, issue);
    long last = issue;
    String[] ids = new String[6];
    for (int n = 0; n < 6; n++) {
      int w = 0;
      for (int k = 1; k < limit; k++) {
        if (free[k] < free[w]) {
          w = k;
        }
      }
      long dispatch = Math.max(issue, free[w]);
      long end = dispatch + latency(rnd);
      free[w] = end;
      last = Math.max(last, end);
      ThreadRef worker = new ThreadRef(10 + w, "pool-1-thread-" + (w + 1), ThreadRole.EXECUTOR);
      b.addCall(call(n, issue, dispatch, 0, end, CallMode.SYNC, pool, worker, List.of()));
      ids[n] = "c" + n;
    }
    b.addBlock(block(0, issue + MS, last, ids));
    return last + 2 * MS;
  }
}
