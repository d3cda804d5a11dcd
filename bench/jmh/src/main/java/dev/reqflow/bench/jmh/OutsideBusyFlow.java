package dev.reqflow.bench.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link JdkHooks} on a thread outside any flow while another thread is inside one, with an
 * asynchronous call in flight and a task waiting for a worker: a server under load, where the
 * agent's maps of futures and tasks are not empty. Without the agent this measures the same as
 * {@link OutsideFlow}: the baseline.
 */
public class OutsideBusyFlow extends JdkHooks {

  private BusyFlow busy;

  @Setup(Level.Trial)
  public void startBusyFlow() throws InterruptedException {
    busy = AgentFlow.isLoaded() ? BusyFlow.start() : null;
  }

  @TearDown(Level.Trial)
  public void stopBusyFlow() throws InterruptedException {
    if (busy != null) {
      busy.stop();
    }
  }
}
