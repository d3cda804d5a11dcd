package dev.reqflow.bench.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link JdkHooks} on a thread that is inside a flow, as a page's render thread is. Without the
 * agent there is no flow and this measures the same as {@link OutsideFlow}: the baseline.
 */
public class InsideFlow extends JdkHooks {

  private Object flow;

  /** JMH runs iteration set-up on the benchmark's own thread: that thread enters the flow. */
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
