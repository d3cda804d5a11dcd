package dev.reqflow.agent.instrument.server;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * {@code HttpServlet.service(ServletRequest, ServletResponse)}: the outermost on a thread is one
 * flow. Compiled against the servlet APIs (which the application brings) and woven into the
 * application's own {@code HttpServlet}, so it reads the request directly and names no agent class
 * but the bridge: it works in whatever loader the servlet API is, a fat jar's or a container's.
 */
final class ServletAdvice {
  private ServletAdvice() {}

  /** {@code jakarta.servlet}: Servlet 5 and later. */
  static final class Jakarta {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) jakarta.servlet.ServletRequest request) {
      if (!(request instanceof jakarta.servlet.http.HttpServletRequest)) {
        return null;
      }
      jakarta.servlet.http.HttpServletRequest r = (jakarta.servlet.http.HttpServletRequest) request;
      String method = r.getMethod();
      String path = r.getRequestURI();
      String query = r.getQueryString();
      return Bridge.flowEnter(
          method + " " + path,
          method,
          query == null ? path : path + "?" + query,
          r.getHeader("traceparent"));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object token,
        @Advice.Argument(1) jakarta.servlet.ServletResponse response,
        @Advice.Thrown Throwable error) {
      if (token != null) {
        int status = 0;
        if (response instanceof jakarta.servlet.http.HttpServletResponse) {
          status = ((jakarta.servlet.http.HttpServletResponse) response).getStatus();
        }
        Bridge.flowExit(token, status, error);
      }
    }
  }

  /** {@code javax.servlet}: Servlet 4 and earlier (before 3.0 without the status). */
  static final class Javax {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) javax.servlet.ServletRequest request) {
      if (!(request instanceof javax.servlet.http.HttpServletRequest)) {
        return null;
      }
      javax.servlet.http.HttpServletRequest r = (javax.servlet.http.HttpServletRequest) request;
      String method = r.getMethod();
      String path = r.getRequestURI();
      String query = r.getQueryString();
      return Bridge.flowEnter(
          method + " " + path,
          method,
          query == null ? path : path + "?" + query,
          r.getHeader("traceparent"));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object token,
        @Advice.Argument(1) javax.servlet.ServletResponse response,
        @Advice.Thrown Throwable error) {
      if (token != null) {
        int status = 0;
        try {
          if (response instanceof javax.servlet.http.HttpServletResponse) {
            status = ((javax.servlet.http.HttpServletResponse) response).getStatus();
          }
        } catch (LinkageError servlet25) {
          // No getStatus before Servlet 3.0: the flow still ends, without its status.
        }
        Bridge.flowExit(token, status, error);
      }
    }
  }
}
