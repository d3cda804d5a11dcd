package dev.reqflow.agent.instrument.executor;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import java.util.concurrent.Callable;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Context through executor hand-offs: {@code FutureTask} (every {@code submit}, scheduled and
 * virtual-thread executors), plain runnables given to thread pools and fork-join pools.
 */
public final class ExecutorInstrumentation {
  private ExecutorInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String advice = ExecutorAdvice.class.getName();
    return b.type(named("java.util.concurrent.FutureTask"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(isConstructor(), advice + "$TaskCreated")
                .advice(named("run").and(takesArguments(0)), advice + "$TaskRun"))
        .type(
            namedOneOf(
                "java.util.concurrent.ThreadPoolExecutor",
                "java.util.concurrent.ForkJoinPool",
                "java.util.concurrent.ThreadPerTaskExecutor",
                // supplyAsync's default when the common pool has a single thread (2 cores).
                "java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor"))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(
                    namedOneOf("execute", "submit")
                        .and(takesArgument(0, Runnable.class))
                        .and(takesArguments(1).or(takesArguments(2))),
                    advice + "$ExecuteRunnable")
                .advice(
                    named("submit").and(takesArguments(1)).and(takesArgument(0, Callable.class)),
                    advice + "$SubmitCallable")
                // The constructor every other one of ThreadPoolExecutor's ends in (JDK 17 to 25):
                // once per pool, its subclasses' (ScheduledThreadPoolExecutor) included.
                .advice(
                    isConstructor()
                        .and(isDeclaredBy(named("java.util.concurrent.ThreadPoolExecutor")))
                        .and(takesArguments(7)),
                    advice + "$ExecutorCreated"));
  }
}
