package dev.reqflow.agent.instrument.server;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Inbound requests as flows: the JDK {@code HttpServer} and servlets. */
public final class ServerInstrumentation {
  private ServerInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    return b.type(named("com.sun.net.httpserver.Filter$Chain"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("doFilter").and(takesArguments(1)), HttpServerAdvice.class.getName()))
        .type(named("jakarta.servlet.http.HttpServlet"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(
                    service("jakarta.servlet.ServletRequest"),
                    ServletAdvice.class.getName() + "$Jakarta"))
        .type(named("javax.servlet.http.HttpServlet"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(
                    service("javax.servlet.ServletRequest"),
                    ServletAdvice.class.getName() + "$Javax"));
  }

  /** {@code service(ServletRequest, ServletResponse)}, which every request goes through. */
  private static ElementMatcher.Junction<MethodDescription> service(String requestType) {
    return named("service").and(takesArguments(2)).and(takesArgument(0, named(requestType)));
  }
}
