package dev.reqflow.bench.jmh;

import dev.reqflow.agent.benchclient.TwoFrameClient;
import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the application's thread pays per recorded call, per recorded wait, per hook outside a flow,
 * measured by that thread's own CPU time and allocation ({@code com.sun.management.ThreadMXBean})
 * rather than by the wall clock: on a shared, loaded machine the wall clock counts the time other
 * processes and the agent's export thread take the CPU away, this counts only what the thread
 * itself executes. The same calls as {@link Recording} and {@link SocketHook}. Run with the agent:
 *
 * <pre>
 * java -javaagent:agent/target/reqflow-agent.jar=endpoint=none,file=/dev/null,block.threshold=0 \
 *   -cp bench/jmh/target/reqflow-bench-jmh.jar dev.reqflow.bench.jmh.ThreadCpuCost [ROUNDS [OPS]]
 * </pre>
 *
 * Prints, per case, the median over rounds of CPU ns and allocated bytes per operation, with the
 * min and max.
 */
public final class ThreadCpuCost {
  private static final String URL = "http://127.0.0.1:8080/user?session=abc123";

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static final java.util.concurrent.CompletableFuture<String> PENDING =
      new java.util.concurrent.CompletableFuture<>();

  private static long sink;

  private ThreadCpuCost() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int ops = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
    if (!AgentFlow.isLoaded()) {
      throw new IllegalStateException("run with -javaagent:reqflow-agent.jar");
    }
    report("callRecorded", rounds, ops, true, ThreadCpuCost::call);
    report("callRecorded (2 client frames)", rounds, ops, true, ThreadCpuCost::callUnderClient);
    report("callRecorded with its wait (2 client frames)", rounds, ops, true, ThreadCpuCost::send);
    report("blockRecorded", rounds, ops, true, ThreadCpuCost::block);
    report("hookOutsideFlow (socket)", rounds, ops * 20, false, ThreadCpuCost::socketHook);
    report("hookOutsideFlow (join)", rounds, ops * 20, false, ThreadCpuCost::joinDone);
    System.out.println("sink " + sink);
  }

  private static void call() {
    Object call =
        Bridge.callEnter(null, Client.JDK_HTTP_CLIENT, true, "GET", URL, "127.0.0.1", 8080);
    Bridge.callIssued(call, null, null);
    sink += call == null ? 0 : 1;
  }

  /**
   * As {@link #call}, with two frames of a client between this frame and the hook, as under the
   * JDK's {@code HttpClient.send}: the call site is then the 6th frame the agent's walk fills.
   */
  private static void callUnderClient() {
    Object call = TwoFrameClient.send(URL);
    Bridge.callIssued(call, null, null);
    sink += call == null ? 0 : 1;
  }

  /** A synchronous call and the wait on it, as {@code HttpClient.send} reports them. */
  private static void send() {
    sink += TwoFrameClient.sendAndWait(URL) == null ? 0 : 1;
  }

  private static void block() {
    long start = Bridge.blockEnter(PENDING);
    Bridge.blockExit(start, PENDING, BlockKind.COMPLETABLE_JOIN);
    sink += start;
  }

  private static void socketHook() {
    long start = Bridge.socketEnter(null);
    Bridge.socketExit(start, BlockKind.SOCKET_READ);
    sink += start;
  }

  private static final java.util.concurrent.CompletableFuture<String> DONE =
      java.util.concurrent.CompletableFuture.completedFuture("x");

  private static void joinDone() {
    sink += DONE.join().length();
  }

  private static void report(String name, int rounds, int ops, boolean inFlow, Runnable op) {
    long tid = Thread.currentThread().getId();
    // Warm-up: as many operations again as all rounds, so that the JIT has compiled the path.
    for (int i = 0; i < rounds; i++) {
      runRound(ops, inFlow, op);
    }
    double[] cpu = new double[rounds];
    double[] bytes = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      long b0 = THREADS.getThreadAllocatedBytes(tid);
      runRound(ops, inFlow, op);
      cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / (double) ops;
      bytes[r] = (THREADS.getThreadAllocatedBytes(tid) - b0) / (double) ops;
    }
    Arrays.sort(cpu);
    Arrays.sort(bytes);
    System.out.println(
        String.format(
            Locale.ROOT,
            "| `%s` | %.1f (%.1f – %.1f) | %.0f (%.0f – %.0f) |",
            name,
            cpu[rounds / 2],
            cpu[0],
            cpu[rounds - 1],
            bytes[rounds / 2],
            bytes[0],
            bytes[rounds - 1]));
  }

  /** One round; inside a flow of its own when {@code inFlow} (entered and exited around it). */
  private static void runRound(int ops, boolean inFlow, Runnable op) {
    Object flow = inFlow ? AgentFlow.enter() : null;
    try {
      for (int i = 0; i < ops; i++) {
        op.run();
      }
    } finally {
      if (flow != null) {
        AgentFlow.exit(flow);
      }
    }
  }
}
