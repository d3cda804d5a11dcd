package dev.reqflow.bench.jmh;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the application's thread pays for what the agent records inside a flow: one call span and
 * one block span, through the same bridge methods the advice calls, spans ended into the real
 * export pipeline. Needs the agent (run only in the agent's forks); the network and the wait
 * themselves are not part of it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Recording {

  private static final String URL = "http://127.0.0.1:8080/user?session=abc123";

  /** Never completed: a wait on it is one the agent records (with {@code block.threshold=0}). */
  private final CompletableFuture<String> pending = new CompletableFuture<>();

  private Object flow;

  @Setup(Level.Iteration)
  public void enterFlow() {
    flow = AgentFlow.enter();
    Object call = callRecorded();
    if (call == null) {
      throw new IllegalStateException("the agent recorded no call inside the flow");
    }
    long start = Bridge.blockEnter(pending);
    Bridge.blockExit(start, pending, BlockKind.COMPLETABLE_JOIN);
    if (start == 0L) {
      throw new IllegalStateException("the agent recorded no wait inside the flow");
    }
  }

  @TearDown(Level.Iteration)
  public void exitFlow() {
    AgentFlow.exit(flow);
  }

  /**
   * A synchronous JDK client call as {@code HttpClient.send}'s advice reports it: the call span
   * starts (call site, redacted URL, thread) and ends when the method returns.
   */
  @Benchmark
  public Object callRecorded() {
    Object call =
        Bridge.callEnter(null, Client.JDK_HTTP_CLIENT, true, "GET", URL, "127.0.0.1", 8080);
    Bridge.callIssued(call, null, null);
    return call;
  }

  /**
   * A wait on a pending future as {@code join}'s advice reports it around the wait: the block span
   * with its waiting line.
   */
  @Benchmark
  public long blockRecorded() {
    long start = Bridge.blockEnter(pending);
    Bridge.blockExit(start, pending, BlockKind.COMPLETABLE_JOIN);
    return start;
  }
}
