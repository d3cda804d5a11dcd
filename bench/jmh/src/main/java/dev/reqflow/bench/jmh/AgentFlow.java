package dev.reqflow.bench.jmh;

import dev.reqflow.agent.bootstrap.Bridge;

/**
 * Puts the calling thread inside a flow the way the agent's inbound-request advice does: through
 * the bridge on the bootstrap class path. Only this class (and {@link Recording}) refers to the
 * bridge, so that the benchmarks load without the agent.
 */
final class AgentFlow {

  private static final String BRIDGE = "dev.reqflow.agent.bootstrap.Bridge";

  private AgentFlow() {}

  /** Whether this JVM runs with the agent: its bridge is on the bootstrap class path. */
  static boolean isLoaded() {
    try {
      Class.forName(BRIDGE, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Starts a flow on this thread, as a servlet's {@code GET /jmh} would; fails if none started. */
  static Object enter() {
    Object flow = Bridge.flowEnter("GET /jmh", "GET", "/jmh", null);
    if (flow == null) {
      throw new IllegalStateException(
          "the agent did not start a flow on " + Thread.currentThread());
    }
    return flow;
  }

  static void exit(Object flow) {
    Bridge.flowExit(flow, 200, null);
  }
}
