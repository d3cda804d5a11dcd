package dev.reqflow.agent.instrument.webclient;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/** Spring's {@code WebClient} (Spring Framework 5 to 7): where a request was built. */
public final class WebClientInstrumentation {
  private WebClientInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String advice = WebClientAdvice.class.getName();
    return b.type(
            named("org.springframework.web.reactive.function.client.DefaultClientRequestBuilder"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(isConstructor().and(takesArguments(2)), advice + "$Created")
                .advice(named("build").and(takesArguments(0)), advice + "$Build"));
  }
}
