package dev.reqflow.agent.instrument.lock;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.reqflow.agent.instrument.Advices;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Waits for locks that bytecode advice can see: a thread acquiring a {@code java.util.concurrent}
 * lock or semaphore that another holds ({@code AbstractQueuedSynchronizer.acquire(node, arg,
 * shared, interruptible, timed, time)}, the contended path of every {@code ReentrantLock}, {@code
 * ReentrantReadWriteLock} and {@code Semaphore}: one wait per acquisition however often it parks,
 * on platform and virtual threads alike, where JDK Flight Recorder's {@code jdk.ThreadPark} is one
 * event per park and none at all for virtual threads), and, on JDK 24 and later, a virtual thread
 * blocked entering a monitor, which unmounts from its carrier instead of blocking it and for which
 * JDK Flight Recorder emits no {@code jdk.JavaMonitorEnter} (measured on 25.0.3). Monitors of
 * platform threads are JDK Flight Recorder's ({@code dev.reqflow.agent.jfr}).
 */
public final class LockInstrumentation {
  static final String VIRTUAL_THREAD = "java.lang.VirtualThread";

  private LockInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder b, ClassLoader agentLoader) {
    String advice = LockAdvice.class.getName();
    AgentBuilder.Identified.Extendable out =
        b.type(
                namedOneOf(
                    "java.util.concurrent.locks.AbstractQueuedSynchronizer",
                    "java.util.concurrent.locks.AbstractQueuedLongSynchronizer"))
            .transform(
                Advices.transformer(agentLoader)
                    .include(agentLoader)
                    .advice(named("acquire").and(takesArguments(6)), advice + "$Acquire"));
    if (!virtualThreadsUnmountOnMonitors()) {
      return out;
    }
    return out.type(named(VIRTUAL_THREAD))
        .transform(
            Advices.transformer(agentLoader)
                .include(agentLoader)
                .advice(named("afterYield").and(takesArguments(0)), advice + "$AfterYield")
                .advice(named("unblock").and(takesArguments(0)), advice + "$Unblock"));
  }

  /**
   * True on JDKs whose virtual threads unmount when they block entering a monitor (JEP 491, JDK
   * 24): {@code VirtualThread} then has the {@code unblock()} its monitor's owner triggers.
   */
  public static boolean virtualThreadsUnmountOnMonitors() {
    try {
      Class<?> vt = Class.forName(VIRTUAL_THREAD);
      vt.getDeclaredMethod("unblock");
      vt.getDeclaredMethod("afterYield");
      return true;
    } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
      return false;
    }
  }
}
