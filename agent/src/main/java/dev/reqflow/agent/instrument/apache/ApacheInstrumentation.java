package dev.reqflow.agent.instrument.apache;

import dev.reqflow.agent.instrument.apache.hc4.Hc4Instrumentation;
import dev.reqflow.agent.instrument.apache.hc5.Hc5Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Apache HttpClient, 5.x ({@code org.apache.hc.client5}, classic and async) and 4.x ({@code
 * org.apache.http}): calls issued when the application asked, the wait to lease a connection from
 * the connection pool as their queued phase (with the pool's limits per route and in total), and
 * complete when the response is read or closed.
 */
public final class ApacheInstrumentation {
  private ApacheInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    return Hc4Instrumentation.apply(Hc5Instrumentation.apply(b, agentLoader), agentLoader);
  }
}
