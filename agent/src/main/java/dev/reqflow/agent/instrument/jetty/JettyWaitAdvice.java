package dev.reqflow.agent.instrument.jetty;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import net.bytebuddy.asm.Advice;

/**
 * The listener is what the thread waits on, as a future would be: {@code get} (the response
 * headers) and {@code await} (the whole response) wait on its latches; {@code onHeaders} and {@code
 * onComplete} (also on failure) release them, on Jetty's thread.
 */
final class JettyWaitAdvice {
  private JettyWaitAdvice() {}

  /** {@code get(timeout, unit)} and {@code await(timeout, unit)}. */
  static final class Wait {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object listener) {
      return Bridge.blockEnter(listener);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This Object listener) {
      if (start != 0L) {
        Bridge.blockExit(start, listener, BlockKind.JETTY_RESPONSE);
      }
    }
  }

  /** {@code onHeaders} and {@code onComplete}: before the latch lets the waiter go. */
  static final class Release {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object listener) {
      Bridge.futureCompleted(listener);
    }
  }
}
