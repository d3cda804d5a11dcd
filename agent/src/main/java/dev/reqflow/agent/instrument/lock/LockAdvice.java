package dev.reqflow.agent.instrument.lock;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/** Advice for lock waits; woven into {@code java.base}. */
final class LockAdvice {
  private LockAdvice() {}

  /** The contended acquisition of a synchronizer: it parks until the lock or a permit is free. */
  static final class Acquire {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object sync) {
      return Bridge.lockAcquireEnter(sync);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This Object sync) {
      Bridge.lockAcquireExit(start, sync);
    }
  }

  /** {@code VirtualThread.afterYield()}: on the carrier, once the virtual thread unmounted. */
  static final class AfterYield {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Thread vthread) {
      Bridge.virtualThreadYielded(vthread);
    }
  }

  /** {@code VirtualThread.unblock()}: the monitor it blocked on is handed to it. */
  static final class Unblock {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Thread vthread) {
      Bridge.virtualThreadUnblocked(vthread);
    }
  }
}
