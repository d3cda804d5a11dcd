package dev.reqflow.agent.instrument.urlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * {@code java.net.HttpURLConnection} as the JDK implements it (bootstrap class loader, checked on
 * JDK 17 and 25): {@code sun.net.www.protocol.http.HttpURLConnection}, which https reaches through
 * {@code HttpsURLConnectionImpl} and its {@code DelegateHttpsURLConnection} (a subclass that only
 * overrides {@code connect}, to add the handshake); its response stream; and the client under it
 * ({@code sun.net.www.http.HttpClient}, {@code HttpsClient}), for the phases and the body's end.
 * Other implementations of {@code HttpURLConnection} (OkHttp's {@code okhttp-urlconnection}) are
 * not these classes and are not recorded as such.
 */
public final class UrlConnectionInstrumentation {
  private UrlConnectionInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String advice = UrlConnectionAdvice.class.getName();
    return b.type(named("sun.net.www.protocol.http.HttpURLConnection"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(named("connect").and(takesArguments(0)), advice + "$Connect")
                .advice(named("getOutputStream").and(takesArguments(0)), advice + "$Output")
                .advice(named("getInputStream").and(takesArguments(0)), advice + "$Input")
                .advice(named("disconnect").and(takesArguments(0)), advice + "$Disconnect")
                .advice(named("writeRequests").and(takesArguments(0)), advice + "$Write"))
        .type(named("sun.net.www.protocol.https.AbstractDelegateHttpsURLConnection"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(named("connect").and(takesArguments(0)), advice + "$Connect"))
        .type(named("sun.net.www.protocol.http.HttpURLConnection$HttpInputStream"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(named("read").and(returns(int.class)), advice + "$StreamRead")
                .advice(named("close").and(takesArguments(0)), advice + "$StreamClose"))
        .type(named("sun.net.www.http.HttpClient"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(named("openServer").and(takesArguments(0)), advice + "$OpenServer")
                .advice(named("parseHTTP"), advice + "$ParseHttp")
                .advice(named("finished").and(takesArguments(0)), advice + "$Finished"))
        .type(named("sun.net.www.protocol.https.HttpsClient"))
        .transform(
            Advices.transformer(agentLoader)
                .advice(named("afterConnect").and(takesArguments(0)), advice + "$Handshake"));
  }
}
