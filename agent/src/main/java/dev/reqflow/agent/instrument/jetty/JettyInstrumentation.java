package dev.reqflow.agent.instrument.jetty;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Jetty's {@code InputStreamResponseListener} (12.x; 9.4 to 11.x under {@code client.util}): the
 * wait of a thread for a response of Jetty's client, which the agent does not record as a call.
 * Spring's {@code JettyClientHttpRequestFactory} waits there under {@code RestTemplate} and {@code
 * RestClient}, and so does Jetty's own streaming idiom ({@code request.send(listener)}, then {@code
 * listener.get(...)}). Jetty's I/O thread, working for no flow, releases it: the wait becomes the
 * flow's unseen wait ({@code reqflow.unseen.wait_ns}), so that the report says what it did not see.
 */
public final class JettyInstrumentation {
  private JettyInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String advice = JettyWaitAdvice.class.getName();
    return b.type(
            namedOneOf(
                "org.eclipse.jetty.client.InputStreamResponseListener",
                "org.eclipse.jetty.client.util.InputStreamResponseListener"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(namedOneOf("get", "await").and(takesArguments(2)), advice + "$Wait")
                .advice(
                    namedOneOf("onHeaders", "onComplete").and(takesArguments(1)),
                    advice + "$Release"));
  }
}
