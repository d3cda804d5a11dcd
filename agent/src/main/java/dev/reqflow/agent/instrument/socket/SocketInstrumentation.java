package dev.reqflow.agent.instrument.socket;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Blocking socket reads and connects of the JDK, where every client that uses sockets ends up
 * ({@code Socket} streams, SSL sockets over them, blocking {@code SocketChannel}s): so that the
 * time a flow's threads spend in I/O the agent does not see as calls is counted.
 *
 * <p>Why advice here rather than JDK Flight Recorder's {@code jdk.SocketRead} events: the advice
 * knows, on the thread and at the moment, which flow the thread works for and whether one of its
 * recorded calls is open, so the total is exact (no threshold: many short reads add up), includes
 * connects (JFR has no connect event on 17), and is on the flow span when the flow ends. JFR events
 * arrive about a second later, above a threshold, and would have to be matched after the fact
 * against a history of every thread's flows and calls. The cost outside flows is one thread-local
 * read per operation (measured in {@code bench/jmh}).
 *
 * <p>{@code sun.nio.ch.NioSocketImpl} is the only socket implementation on JDK 17 and later; its
 * {@code read(byte[],int,int)} and {@code connect(SocketAddress,int)} are what the streams and
 * {@code Socket.connect} call. {@code SocketChannelImpl}: {@code read} and {@code connect} when the
 * channel is blocking, and the socket adaptor's {@code blockingRead}/{@code blockingConnect}.
 */
public final class SocketInstrumentation {
  private SocketInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String advice = SocketAdvice.class.getName();
    return b.type(named("sun.nio.ch.NioSocketImpl"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(
                    named("read").and(takesArguments(byte[].class, int.class, int.class)),
                    advice + "$Read")
                .advice(
                    named("connect")
                        .and(takesArguments(2))
                        .and(takesArgument(0, named("java.net.SocketAddress"))),
                    advice + "$Connect"))
        .type(named("sun.nio.ch.SocketChannelImpl"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("read").and(takesArguments(1)), advice + "$ChannelRead")
                .advice(named("read").and(takesArguments(3)), advice + "$ChannelRead")
                .advice(named("connect").and(takesArguments(1)), advice + "$ChannelConnect")
                .advice(named("blockingRead"), advice + "$Read")
                .advice(named("blockingConnect"), advice + "$Connect"));
  }
}
