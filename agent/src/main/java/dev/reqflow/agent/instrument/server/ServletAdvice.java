package dev.reqflow.agent.instrument.server;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * {@code HttpServlet.service(ServletRequest, ServletResponse)} of {@code jakarta.servlet} and
 * {@code javax.servlet}: the outermost on a thread is one flow. The servlet API is not a dependency
 * of the agent; the request is read through {@link ServletRequests}.
 */
final class ServletAdvice {
  private ServletAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.Argument(0) Object request) {
    String[] r = ServletRequests.describe(request);
    return r == null ? null : Bridge.flowEnter(r[0] + " " + r[1], r[0], r[2], r[3]);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object token,
      @Advice.Argument(1) Object response,
      @Advice.Thrown Throwable error) {
    if (token != null) {
      Bridge.flowExit(token, ServletRequests.status(response), error);
    }
  }
}
