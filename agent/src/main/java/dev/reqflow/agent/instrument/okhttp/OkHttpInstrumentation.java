package dev.reqflow.agent.instrument.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * OkHttp 4.x and 5.x: {@code RealCall.execute/enqueue}, its dispatcher, and the response body
 * source the application reads and closes.
 */
public final class OkHttpInstrumentation {
  private OkHttpInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String advice = OkHttpAdvice.class.getName();
    return b.type(named("okhttp3.internal.connection.RealCall"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("execute").and(takesArguments(0)), advice + "$Execute")
                .advice(named("enqueue").and(takesArguments(1)), advice + "$Enqueue"))
        .type(named("okhttp3.internal.connection.RealCall$AsyncCall"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("run").and(takesArguments(0)), advice + "$AsyncRun"))
        .type(named("okhttp3.internal.http.RealInterceptorChain"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("proceed").and(takesArguments(1)), advice + "$Propagate"))
        .type(named("okhttp3.internal.connection.Exchange$ResponseBodySource"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("read").and(takesArguments(2)), advice + "$ResponseBodyRead")
                .advice(named("close").and(takesArguments(0)), advice + "$ResponseBodyClose"));
  }
}
