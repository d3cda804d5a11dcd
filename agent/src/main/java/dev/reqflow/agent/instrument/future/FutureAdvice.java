package dev.reqflow.agent.instrument.future;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import net.bytebuddy.asm.Advice;

/** Advice for waits on and completions of JDK futures; woven into {@code java.base}. */
final class FutureAdvice {
  private FutureAdvice() {}

  /** {@code FutureTask.get}: a thread waits for a task. */
  static final class FutureTaskGet {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object future) {
      return Bridge.blockEnter(future);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This Object future) {
      Bridge.blockExit(start, future, BlockKind.FUTURE_GET);
    }
  }

  /** {@code CompletableFuture.get}. */
  static final class CompletableGet {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object future) {
      return Bridge.blockEnter(future);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This Object future) {
      Bridge.blockExit(start, future, BlockKind.COMPLETABLE_GET);
    }
  }

  /** {@code CompletableFuture.join}. */
  static final class CompletableJoin {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object future) {
      return Bridge.blockEnter(future);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This Object future) {
      Bridge.blockExit(start, future, BlockKind.COMPLETABLE_JOIN);
    }
  }

  /** {@code FutureTask.set/setException}: before waiters are released. */
  static final class FutureTaskSet {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object future) {
      Bridge.futureCompleted(future);
    }
  }

  /** The internal methods through which every {@code CompletableFuture} gets its result. */
  static final class CompletableCompleted {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object future, @Advice.Return boolean completed) {
      if (completed) {
        Bridge.futureCompleted(future);
      }
    }
  }

  /** A dependent action ({@code thenApply}, {@code thenCompose}, relays) fires. */
  static final class UniFire {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.FieldValue("src") Object src) {
      return Bridge.completionEnter(src, null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
      Bridge.completionExit(token);
    }
  }

  /** A two-source dependent action ({@code allOf} nodes, {@code thenCombine}) fires. */
  static final class BiFire {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(
        @Advice.FieldValue("src") Object src, @Advice.FieldValue("snd") Object snd) {
      return Bridge.completionEnter(src, snd);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
      Bridge.completionExit(token);
    }
  }
}
