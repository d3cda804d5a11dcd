package dev.reqflow.agent.instrument.reactor;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import net.bytebuddy.asm.Advice;

/**
 * Reactor's blocking subscribers ({@code Mono.block/blockOptional}, {@code
 * Flux.blockFirst/blockLast}): the wait in {@code blockingGet}, and the signal that ends it, which
 * carries the calls the signalling thread's work followed (as a completed future does).
 */
final class ReactorBlockAdvice {
  private ReactorBlockAdvice() {}

  /** {@code blockingGet()} and {@code blockingGet(timeout, unit)}. */
  static final class BlockingGet {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object subscriber) {
      return Bridge.blockEnter(subscriber);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This Object subscriber) {
      if (start != 0L) {
        String type = subscriber.getClass().getName();
        Bridge.blockExit(
            start,
            subscriber,
            type.endsWith("BlockingFirstSubscriber")
                ? BlockKind.FLUX_BLOCK_FIRST
                : type.endsWith("BlockingLastSubscriber")
                    ? BlockKind.FLUX_BLOCK_LAST
                    : BlockKind.MONO_BLOCK);
      }
    }
  }

  /** {@code onNext}, {@code onError}, {@code onComplete}: before the waiter is released. */
  static final class Signal {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object subscriber) {
      Bridge.futureCompleted(subscriber);
    }
  }
}
