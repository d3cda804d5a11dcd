package dev.reqflow.agent.instrument.reactor;

import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/** Reactor 3's blocking subscribers: waits through {@code block()} and friends. */
public final class ReactorInstrumentation {
  private ReactorInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String advice = ReactorBlockAdvice.class.getName();
    return b.type(nameStartsWith("reactor.core.publisher.Blocking").and(nameEndsWith("Subscriber")))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("blockingGet"), advice + "$BlockingGet")
                .advice(namedOneOf("onNext", "onError", "onComplete"), advice + "$Signal"));
  }
}
