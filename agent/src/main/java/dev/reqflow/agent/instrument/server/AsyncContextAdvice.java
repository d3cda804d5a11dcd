package dev.reqflow.agent.instrument.server;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * The container's {@code AsyncContext}: {@code dispatch} and {@code complete} are where an async
 * request's result is ready (called on the thread that produced it: an executor's, a client's
 * callback), so the flow's response wait ends there, linked to the calls that thread's work
 * followed. {@code complete()} from a thread outside the flow's dispatches also ends the flow.
 */
final class AsyncContextAdvice {
  private AsyncContextAdvice() {}

  /** {@code jakarta.servlet.AsyncContext.dispatch(...)}. */
  static final class JakartaDispatch {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This jakarta.servlet.AsyncContext context) {
      Object flow = context.getRequest().getAttribute(ServletAdvice.FLOW);
      if (!ServletAdvice.LEFT_OUT.equals(flow)) {
        Bridge.flowReleased(flow);
      }
    }
  }

  /** {@code jakarta.servlet.AsyncContext.complete()}. */
  static final class JakartaComplete {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object[] enter(@Advice.This jakarta.servlet.AsyncContext context) {
      Object flow = context.getRequest().getAttribute(ServletAdvice.FLOW);
      if (flow == null || ServletAdvice.LEFT_OUT.equals(flow)) {
        return null;
      }
      Bridge.flowReleased(flow);
      if (!Bridge.flowCompleting(flow)) {
        return null;
      }
      int status = 0;
      if (context.getResponse() instanceof jakarta.servlet.http.HttpServletResponse) {
        status = ((jakarta.servlet.http.HttpServletResponse) context.getResponse()).getStatus();
      }
      return new Object[] {flow, status};
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object[] ending, @Advice.Thrown Throwable error) {
      if (ending != null) {
        Bridge.flowEnd(ending[0], (Integer) ending[1], error);
      }
    }
  }

  /** {@code javax.servlet.AsyncContext.dispatch(...)}. */
  static final class JavaxDispatch {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This javax.servlet.AsyncContext context) {
      Object flow = context.getRequest().getAttribute(ServletAdvice.FLOW);
      if (!ServletAdvice.LEFT_OUT.equals(flow)) {
        Bridge.flowReleased(flow);
      }
    }
  }

  /** {@code javax.servlet.AsyncContext.complete()}. */
  static final class JavaxComplete {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object[] enter(@Advice.This javax.servlet.AsyncContext context) {
      Object flow = context.getRequest().getAttribute(ServletAdvice.FLOW);
      if (flow == null || ServletAdvice.LEFT_OUT.equals(flow)) {
        return null;
      }
      Bridge.flowReleased(flow);
      if (!Bridge.flowCompleting(flow)) {
        return null;
      }
      int status = 0;
      if (context.getResponse() instanceof javax.servlet.http.HttpServletResponse) {
        status = ((javax.servlet.http.HttpServletResponse) context.getResponse()).getStatus();
      }
      return new Object[] {flow, status};
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object[] ending, @Advice.Thrown Throwable error) {
      if (ending != null) {
        Bridge.flowEnd(ending[0], (Integer) ending[1], error);
      }
    }
  }
}
