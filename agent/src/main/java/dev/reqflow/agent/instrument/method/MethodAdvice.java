package dev.reqflow.agent.instrument.method;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/** A method named in {@code flows=} or {@code sections=}. */
final class MethodAdvice {
  private MethodAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.Origin("#t") String type, @Advice.Origin("#m") String method) {
    return Bridge.methodEnter(type, method);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object token, @Advice.Thrown Throwable error) {
    Bridge.methodExit(token, error);
  }
}
