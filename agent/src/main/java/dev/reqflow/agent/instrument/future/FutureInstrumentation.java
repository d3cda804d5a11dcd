package dev.reqflow.agent.instrument.future;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/** Waits on futures, their completions, and the chains that carry a completion along. */
public final class FutureInstrumentation {
  private static final String UNI = "java.util.concurrent.CompletableFuture$UniCompletion";
  private static final String BI = "java.util.concurrent.CompletableFuture$BiCompletion";

  private FutureInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String advice = FutureAdvice.class.getName();
    return b.type(named("java.util.concurrent.FutureTask"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("get"), advice + "$FutureTaskGet")
                .advice(named("set").or(named("setException")), advice + "$FutureTaskSet"))
        .type(named("java.util.concurrent.CompletableFuture"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("get"), advice + "$CompletableGet")
                .advice(named("join").and(takesArguments(0)), advice + "$CompletableJoin")
                .advice(
                    named("completeValue")
                        .or(named("completeNull"))
                        .or(named("completeThrowable"))
                        .or(named("completeRelay"))
                        .or(named("internalComplete"))
                        .and(returns(boolean.class)),
                    advice + "$CompletableCompleted"))
        .type(
            nameStartsWith("java.util.concurrent.CompletableFuture$")
                .and(not(isAbstract()))
                .and(hasSuperType(named(UNI)))
                .and(not(hasSuperType(named(BI)))))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("tryFire").and(takesArguments(int.class)), advice + "$UniFire"))
        .type(
            nameStartsWith("java.util.concurrent.CompletableFuture$")
                .and(not(isAbstract()))
                .and(hasSuperType(named(BI))))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("tryFire").and(takesArguments(int.class)), advice + "$BiFire"));
  }
}
