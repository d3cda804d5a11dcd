package dev.reqflow.agent.instrument.server;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Inbound requests as flows: the JDK {@code HttpServer}, servlets and their async requests. */
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
                    ServletAdvice.class.getName() + "$Javax"))
        .type(asyncContext("jakarta.servlet.AsyncContext"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("dispatch"), AsyncContextAdvice.class.getName() + "$JakartaDispatch")
                .advice(
                    named("complete").and(takesArguments(0)),
                    AsyncContextAdvice.class.getName() + "$JakartaComplete"))
        .type(asyncContext("javax.servlet.AsyncContext"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("dispatch"), AsyncContextAdvice.class.getName() + "$JavaxDispatch")
                .advice(
                    named("complete").and(takesArguments(0)),
                    AsyncContextAdvice.class.getName() + "$JavaxComplete"));
  }

  /**
   * The containers' {@code AsyncContext} (Tomcat's {@code AsyncContextImpl}, Jetty's {@code
   * AsyncContextState}, Undertow's {@code AsyncContextImpl}): the name filter keeps the hierarchy
   * walk off every other class the application loads.
   */
  private static ElementMatcher.Junction<TypeDescription> asyncContext(String api) {
    return nameContains("AsyncContext").and(not(isInterface())).and(hasSuperType(named(api)));
  }

  /** {@code service(ServletRequest, ServletResponse)}, which every request goes through. */
  private static ElementMatcher.Junction<MethodDescription> service(String requestType) {
    return named("service").and(takesArguments(2)).and(takesArgument(0, named(requestType)));
  }
}
