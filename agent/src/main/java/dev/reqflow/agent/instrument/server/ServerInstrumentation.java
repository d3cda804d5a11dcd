package dev.reqflow.agent.instrument.server;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/** Inbound requests as flows: the JDK {@code HttpServer} and servlets. */
public final class ServerInstrumentation {
  private ServerInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    return b.type(named("com.sun.net.httpserver.Filter$Chain"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("doFilter").and(takesArguments(1)), HttpServerAdvice.class.getName()))
        .type(namedOneOf("jakarta.servlet.http.HttpServlet", "javax.servlet.http.HttpServlet"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(
                    named("service")
                        .and(takesArguments(2))
                        .and(
                            takesArgument(0, named("jakarta.servlet.ServletRequest"))
                                .or(takesArgument(0, named("javax.servlet.ServletRequest")))),
                    ServletAdvice.class.getName()));
  }
}
