package dev.reqflow.agent.instrument.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Reactor Netty 1.x: the HTTP client (calls, their pool wait, phases, callbacks) and the HTTP
 * server (flows). Tested with 1.3.7; the classes named here are Reactor Netty's own, so another
 * line of versions that renamed them is simply not instrumented.
 */
public final class ReactorNettyInstrumentation {
  private static final String CLIENT = "reactor.netty.http.client.";

  private ReactorNettyInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String client = ReactorNettyClientAdvice.class.getName();
    String server = ReactorNettyServerAdvice.class.getName();
    return b.type(named(CLIENT + "HttpClientConnect$MonoHttpConnect"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(isConstructor(), client + "$Built")
                .advice(named("subscribe").and(takesArguments(1)), client + "$Subscribe"))
        .type(named(CLIENT + "HttpClientConnect$HttpClientHandler"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(isConstructor(), client + "$Handler")
                .advice(named("test").and(takesArguments(1)), client + "$RetryFilter"))
        .type(named(CLIENT + "HttpClientConnect$HttpObserver"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("onStateChange").and(takesArguments(2)), client + "$StateChange"))
        .type(named(CLIENT + "HttpClientOperations"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("onInboundNext").and(takesArguments(2)), client + "$InboundNext")
                .advice(named("onInboundCancel").and(takesArguments(0)), client + "$InboundCancel"))
        .type(named("reactor.netty.channel.ChannelOperations"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("onInboundError").and(takesArguments(1)), client + "$InboundError"))
        .type(named("reactor.netty.resources.PooledConnectionProvider"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("acquire").and(takesArguments(4)), client + "$Acquire"))
        .type(named("reactor.netty.transport.TransportConnector"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(
                    named("connect").and(isStatic()).and(takesArguments(6)), client + "$Connect"))
        .type(named("reactor.netty.http.server.HttpServer$HttpServerHandle"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("onStateChange").and(takesArguments(2)), server + "$RequestReceived"))
        .type(named("reactor.netty.http.server.HttpTrafficHandler"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("write").and(takesArguments(3)), server + "$LastContentWrite"))
        .type(named("reactor.netty.http.server.HttpServerOperations"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(
                    named("onOutboundComplete").and(takesArguments(0)),
                    server + "$OutboundComplete")
                .advice(named("onOutboundError").and(takesArguments(1)), server + "$OutboundError")
                .advice(named("onInboundClose").and(takesArguments(0)), server + "$InboundClose"));
  }
}
