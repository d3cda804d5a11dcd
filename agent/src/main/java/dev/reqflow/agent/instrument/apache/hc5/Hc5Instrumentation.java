package dev.reqflow.agent.instrument.apache.hc5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Apache HttpClient 5.x (with HttpCore 5): the classic client ({@code CloseableHttpClient}, its
 * {@code PoolingHttpClientConnectionManager}) and the async one ({@code CloseableHttpAsyncClient},
 * its {@code PoolingAsyncClientConnectionManager}). One advice class per target type.
 */
public final class Hc5Instrumentation {
  private static final String CLASSIC = "org.apache.hc.client5.http.impl.classic.";
  private static final String ASYNC = "org.apache.hc.client5.http.impl.async.";
  private static final String CORE = "org.apache.hc.core5.";

  private Hc5Instrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    return async(classic(b, agentLoader), agentLoader);
  }

  private static AgentBuilder classic(AgentBuilder b, ClassLoader agentLoader) {
    return b.type(named(CLASSIC + "InternalHttpClient").or(named(CLASSIC + "MinimalHttpClient")))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("doExecute").and(takesArguments(3)),
                    ClassicClientAdvice.class.getName() + "$DoExecute"))
        .type(named(CLASSIC + "CloseableHttpClient"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("execute")
                        .and(takesArguments(4))
                        .and(takesArgument(0, named(CORE + "http.HttpHost"))),
                    ResponseHandlerAdvice.class.getName() + "$Execute"))
        .type(named(CLASSIC + "InternalExecRuntime"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("acquireEndpoint").and(takesArguments(4)),
                    ExecRuntimeAdvice.class.getName() + "$Acquire")
                .advice(
                    named("releaseEndpoint")
                        .or(named("discardEndpoint"))
                        .or(named("cancel"))
                        .and(takesArguments(0)),
                    ExecRuntimeAdvice.class.getName() + "$Release"))
        .type(named("org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("connect").and(takesArguments(3)),
                    ConnectionManagerAdvice.class.getName() + "$Connect"))
        .type(named(CORE + "http.impl.io.DefaultBHttpClientConnection"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("receiveResponseHeader").and(takesArguments(0)),
                    ConnectionAdvice.class.getName() + "$ReceiveResponseHeader"));
  }

  private static AgentBuilder async(AgentBuilder b, ClassLoader agentLoader) {
    return b.type(named(ASYNC + "InternalAbstractHttpAsyncClient"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("doExecute").and(takesArguments(6)),
                    AsyncClientAdvice.class.getName() + "$DoExecute"))
        .type(named(CORE + "http.nio.support.BasicRequestProducer"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("sendRequest").and(takesArguments(2)),
                    RequestProducerAdvice.class.getName() + "$SendRequest"))
        .type(named("org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("lease").and(takesArguments(5)),
                    AsyncConnectionManagerAdvice.class.getName() + "$Lease")
                .advice(
                    named("connect").and(takesArguments(6)),
                    AsyncConnectionManagerAdvice.class.getName() + "$Connect"))
        .type(
            named(CORE + "http.nio.support.AbstractAsyncResponseConsumer")
                .or(named(CORE + "http.nio.support.BasicResponseConsumer")))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("consumeResponse").and(takesArguments(4)),
                    ResponseConsumerAdvice.class.getName() + "$ConsumeResponse"))
        .type(named(CORE + "concurrent.BasicFuture"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(
                    named("completed").and(takesArguments(1)),
                    BasicFutureAdvice.class.getName() + "$Completed")
                .advice(
                    named("failed").and(takesArguments(1)),
                    BasicFutureAdvice.class.getName() + "$Failed")
                .advice(
                    named("cancel").and(takesArguments(boolean.class)),
                    BasicFutureAdvice.class.getName() + "$Cancel")
                .advice(
                    named("get").and(takesArguments(0).or(takesArguments(2))),
                    BasicFutureAdvice.class.getName() + "$Get"));
  }
}
