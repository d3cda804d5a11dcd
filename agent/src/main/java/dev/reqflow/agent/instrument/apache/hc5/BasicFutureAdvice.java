package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import java.util.concurrent.CancellationException;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;

/**
 * Advice woven into Apache HttpCore 5's {@code BasicFuture} (and so {@code ComplexFuture}), the
 * futures of its async client, which call their callback when they complete:
 *
 * <ul>
 *   <li>the future of a recorded call: completing it ends the call, and its callback runs as the
 *       call's completion (calls issued there are linked {@code callback}); waits in {@code get}
 *       are block spans linked to it;
 *   <li>a future whose callback stands for a step of a call (a connection lease, a connect): that
 *       step is recorded.
 * </ul>
 */
final class BasicFutureAdvice {
  private BasicFutureAdvice() {}

  /** {@code completed(T)}. */
  static final class Completed {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(
        @Advice.This Object future,
        @Advice.FieldValue("callback") Object callback,
        @Advice.Argument(0) Object result) {
      Object rec = Bridge.callFor(future);
      if (rec == null) {
        Bridge.callAwaited(callback, result);
        return null;
      }
      if (result instanceof HttpResponse) {
        Bridge.callStatus(rec, ((HttpResponse) result).getCode());
      } else if (result instanceof Message
          && ((Message<?, ?>) result).getHead() instanceof HttpResponse) {
        Bridge.callStatus(rec, ((HttpResponse) ((Message<?, ?>) result).getHead()).getCode());
      }
      Bridge.callEnd(rec, null);
      return Bridge.callbackEnter(rec);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
      Bridge.callbackExit(token);
    }
  }

  /** {@code failed(Exception)}. */
  static final class Failed {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object future, @Advice.Argument(0) Exception error) {
      Object rec = Bridge.callFor(future);
      if (rec == null) {
        return null;
      }
      Bridge.callEnd(rec, error);
      return Bridge.callbackEnter(rec);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
      Bridge.callbackExit(token);
    }
  }

  /** {@code cancel(boolean)}. */
  static final class Cancel {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object future) {
      Object rec = Bridge.callFor(future);
      if (rec == null) {
        return null;
      }
      Bridge.callEnd(rec, new CancellationException());
      return Bridge.callbackEnter(rec);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
      Bridge.callbackExit(token);
    }
  }

  /** {@code get()} and {@code get(long, TimeUnit)}: a wait on the future. */
  static final class Get {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object future) {
      return Bridge.blockEnter(future);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.This Object future) {
      Bridge.blockExit(start, future, BlockKind.FUTURE_GET);
    }
  }
}
