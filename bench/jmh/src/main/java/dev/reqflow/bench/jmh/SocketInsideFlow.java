package dev.reqflow.bench.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link SocketHooks} on a thread inside a flow, with no recorded call open: each read is I/O the
 * agent does not see as a call, counted on the flow (and, at {@code block.threshold=0}, a block
 * span). Without the agent, the same as {@link SocketOutsideFlow}: the baseline.
 */
public class SocketInsideFlow extends SocketHooks {
  private Object flow;

  @Setup(Level.Iteration)
  public void enterFlow() {
    flow = AgentFlow.isLoaded() ? AgentFlow.enter() : null;
  }

  @TearDown(Level.Iteration)
  public void exitFlow() {
    if (flow != null) {
      AgentFlow.exit(flow);
      flow = null;
    }
  }
}
