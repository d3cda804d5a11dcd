package dev.reqflow.agent.instrument.jdkhttp;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * {@code java.net.http.HttpClient}: the public {@code send} and {@code sendAsync} of the
 * implementation, its connection pool, and the body stream it hands the application ({@code
 * BodyHandlers.ofInputStream}). {@code send} goes through the private four-argument {@code
 * sendAsync}, which is not matched; the public two-argument one calls the three-argument one, which
 * the recorder's call-depth guard counts once.
 */
public final class JdkHttpInstrumentation {
  private JdkHttpInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String advice = JdkHttpAdvice.class.getName();
    return b.type(named("jdk.internal.net.http.HttpClientImpl"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("send").and(takesArguments(2)), advice + "$Send")
                .advice(
                    named("sendAsync").and(isPublic()).and(takesArguments(2).or(takesArguments(3))),
                    advice + "$SendAsync"))
        .type(named("jdk.internal.net.http.ConnectionPool"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(named("getConnection").and(takesArguments(3)), advice + "$PoolLookup"))
        .type(named("jdk.internal.net.http.ResponseSubscribers$HttpResponseInputStream"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(named("read").and(returns(int.class)), advice + "$StreamRead")
                .advice(named("close").and(takesArguments(0)), advice + "$StreamClose"));
  }
}
