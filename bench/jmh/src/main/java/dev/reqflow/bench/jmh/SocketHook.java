package dev.reqflow.bench.jmh;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
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
 * The code the agent weaves into a socket read, on its own: {@code Bridge.socketEnter} and, when it
 * counted the read, {@code socketExit}, as the advice in {@code NioSocketImpl.read} calls them. A
 * real read is a system call of microseconds ({@link SocketHooks}), whose noise hides the hook;
 * this measures the hook. Needs the agent (run only in the agent's forks).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SocketHook {

  /** The hook on a thread outside any flow: a thread-local read, nothing counted. */
  @Benchmark
  public long outsideFlow() {
    long start = Bridge.socketEnter(null);
    Bridge.socketExit(start, BlockKind.SOCKET_READ);
    return start;
  }

  /** The hook inside a flow with no recorded call open: the read is counted on the flow. */
  @State(Scope.Thread)
  public static class InFlow {
    private Object flow;

    @Setup(Level.Iteration)
    public void enterFlow() {
      flow = AgentFlow.enter();
    }

    @TearDown(Level.Iteration)
    public void exitFlow() {
      AgentFlow.exit(flow);
    }
  }

  /**
   * Inside a flow: counted (the first {@code 64} reads of each iteration's flow also become block
   * spans at the benchmark's {@code block.threshold=0}; the rest are counted only).
   */
  @Benchmark
  public long insideFlow(InFlow inFlow) {
    long start = Bridge.socketEnter(null);
    Bridge.socketExit(start, BlockKind.SOCKET_READ);
    return start;
  }
}
