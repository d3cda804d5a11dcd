package dev.reqflow.agent.instrument.apache.hc4;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Apache HttpClient 4.x (with HttpCore 4.4): {@code CloseableHttpClient} and its {@code
 * PoolingHttpClientConnectionManager}. One advice class per target type.
 */
public final class Hc4Instrumentation {
  private static final String CLIENT = "org.apache.http.impl.client.";

  private Hc4Instrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String manager = ConnectionManagerAdvice.class.getName();
    return b.type(named(CLIENT + "InternalHttpClient").or(named(CLIENT + "MinimalHttpClient")))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("doExecute").and(takesArguments(3)),
                    ClientAdvice.class.getName() + "$DoExecute"))
        .type(named(CLIENT + "CloseableHttpClient"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("execute")
                        .and(takesArguments(4))
                        .and(takesArgument(2, named("org.apache.http.client.ResponseHandler"))),
                    ResponseHandlerAdvice.class.getName() + "$Execute"))
        .type(named("org.apache.http.impl.conn.PoolingHttpClientConnectionManager"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(named("leaseConnection").and(takesArguments(3)), manager + "$Lease")
                .advice(named("connect").and(takesArguments(4)), manager + "$Connect")
                .advice(named("releaseConnection").and(takesArguments(4)), manager + "$Release"))
        .type(named("org.apache.http.protocol.HttpRequestExecutor"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("doReceiveResponse").and(takesArguments(3)),
                    RequestExecutorAdvice.class.getName() + "$ReceiveResponse"));
  }
}
