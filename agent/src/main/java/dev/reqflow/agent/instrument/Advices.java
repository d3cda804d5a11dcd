package dev.reqflow.agent.instrument;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;

/** How every instrumentation applies its advice. */
public final class Advices {
  private Advices() {}

  /**
   * Advice found by class name in the agent's loader; a throwable that advice suppresses is handed
   * to {@link Bridge#adviceError}, which counts it and logs the first one.
   */
  public static AgentBuilder.Transformer.ForAdvice transformer(ClassLoader agentLoader) {
    return new AgentBuilder.Transformer.ForAdvice()
        .include(agentLoader)
        .with(ADVICE_POOLS)
        .withExceptionHandler(new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(ERROR)));
  }

  /**
   * The advice transformers' type pools: one per class loader for all of them while the install
   * runs (their class file locators are alike: the agent's loader, then the target's), ByteBuddy's
   * default after it ({@link #installed}).
   */
  private static final InstallTypePools ADVICE_POOLS = new InstallTypePools();

  /** The install is over: advice applied from now on gets ByteBuddy's default type pools. */
  public static void installed() {
    ADVICE_POOLS.installed();
  }

  private static final MethodDescription.InDefinedShape ERROR = errorMethod();

  private static MethodDescription.InDefinedShape errorMethod() {
    try {
      return new MethodDescription.ForLoadedMethod(
          Bridge.class.getMethod("adviceError", Throwable.class));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }
}
