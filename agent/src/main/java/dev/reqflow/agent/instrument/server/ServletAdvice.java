package dev.reqflow.agent.instrument.server;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * {@code HttpServlet.service(ServletRequest, ServletResponse)}: the outermost on a thread is one
 * flow. Compiled against the servlet APIs (which the application brings) and woven into the
 * application's own {@code HttpServlet}, so it reads the request directly and names no agent class
 * but the bridge: it works in whatever loader the servlet API is, a fat jar's or a container's.
 *
 * <p>Servlet async ({@code startAsync}, and Spring MVC's {@code DeferredResult}, {@code Callable}
 * and {@code CompletableFuture} on it) is one flow: the request carries the flow's handle in the
 * attribute {@value #FLOW}; a request still async when the first {@code service} returns detaches
 * the flow from its thread; an async dispatch attaches to it again; the last dispatch to return
 * with the request no longer async, or {@code AsyncContext.complete()} from another thread ({@link
 * AsyncContextAdvice}), ends it.
 */
final class ServletAdvice {
  /** Request attribute holding the flow's handle while the request lives. */
  static final String FLOW = "dev.reqflow.flow";

  /**
   * The value of {@link #FLOW} on a request whose flow sampling left out ({@code sample=RATIO}):
   * its async dispatches and completion are not recorded either.
   */
  static final String LEFT_OUT = "dev.reqflow.flow.left-out";

  /**
   * Spring MVC's request attribute with the handler's path pattern ({@code /product/{id}}), the
   * value of {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}: the flow's {@code http.route}.
   */
  static final String SPRING_ROUTE =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  private ServletAdvice() {}

  /** {@code jakarta.servlet}: Servlet 5 and later. */
  static final class Jakarta {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) jakarta.servlet.ServletRequest request) {
      if (!(request instanceof jakarta.servlet.http.HttpServletRequest)) {
        return null;
      }
      jakarta.servlet.http.HttpServletRequest r = (jakarta.servlet.http.HttpServletRequest) request;
      Object flow = r.getAttribute(FLOW);
      if (LEFT_OUT.equals(flow)) {
        // A dispatch of a request that sampling left out: the rest of it is left out too, or the
        // dispatch alone would be recorded as the request (a flow of a fraction of its time).
        return null;
      }
      if (flow != null) {
        // A dispatch of a request whose flow started earlier (async, or an error dispatch).
        Object attached = Bridge.flowAttach(flow);
        return attached == null ? null : new Object[] {attached, flow};
      }
      String method = r.getMethod();
      String path = r.getRequestURI();
      String query = r.getQueryString();
      Object token =
          Bridge.flowEnter(
              method + " " + path,
              method,
              query == null ? path : path + "?" + query,
              r.getHeader("traceparent"),
              r.getHeader("tracestate"));
      Object handle = Bridge.flowHandle(token);
      if (handle != null) {
        r.setAttribute(FLOW, handle);
      } else if (token != null) {
        r.setAttribute(FLOW, LEFT_OUT);
      }
      return token;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object token,
        @Advice.Argument(0) jakarta.servlet.ServletRequest request,
        @Advice.Argument(1) jakarta.servlet.ServletResponse response,
        @Advice.Thrown Throwable error) {
      if (token == null) {
        return;
      }
      int status = 0;
      if (response instanceof jakarta.servlet.http.HttpServletResponse) {
        status = ((jakarta.servlet.http.HttpServletResponse) response).getStatus();
      }
      boolean async = error == null && request.isAsyncStarted();
      Object route = request.getAttribute(SPRING_ROUTE);
      if (route instanceof String) {
        Bridge.flowRoute(
            token instanceof Object[] ? ((Object[]) token)[1] : Bridge.flowHandle(token),
            (String) route);
      }
      if (token instanceof Object[]) {
        Object[] attached = (Object[]) token;
        Bridge.flowAttachExit(attached[0]);
        if (!async || Bridge.flowCompleteRequested(attached[1])) {
          Bridge.flowEnd(attached[1], status, error);
        }
      } else if (async && !Bridge.flowCompleteRequested(Bridge.flowHandle(token))) {
        Bridge.flowDetach(token);
      } else {
        Bridge.flowExit(token, status, error);
      }
    }
  }

  /** {@code javax.servlet}: Servlet 4 and earlier (before 3.0 without the status nor async). */
  static final class Javax {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) javax.servlet.ServletRequest request) {
      if (!(request instanceof javax.servlet.http.HttpServletRequest)) {
        return null;
      }
      javax.servlet.http.HttpServletRequest r = (javax.servlet.http.HttpServletRequest) request;
      Object flow = r.getAttribute(FLOW);
      if (LEFT_OUT.equals(flow)) {
        // A dispatch of a request that sampling left out: the rest of it is left out too, or the
        // dispatch alone would be recorded as the request (a flow of a fraction of its time).
        return null;
      }
      if (flow != null) {
        Object attached = Bridge.flowAttach(flow);
        return attached == null ? null : new Object[] {attached, flow};
      }
      String method = r.getMethod();
      String path = r.getRequestURI();
      String query = r.getQueryString();
      Object token =
          Bridge.flowEnter(
              method + " " + path,
              method,
              query == null ? path : path + "?" + query,
              r.getHeader("traceparent"),
              r.getHeader("tracestate"));
      Object handle = Bridge.flowHandle(token);
      if (handle != null) {
        r.setAttribute(FLOW, handle);
      } else if (token != null) {
        r.setAttribute(FLOW, LEFT_OUT);
      }
      return token;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object token,
        @Advice.Argument(0) javax.servlet.ServletRequest request,
        @Advice.Argument(1) javax.servlet.ServletResponse response,
        @Advice.Thrown Throwable error) {
      if (token == null) {
        return;
      }
      int status = 0;
      boolean async = false;
      try {
        if (response instanceof javax.servlet.http.HttpServletResponse) {
          status = ((javax.servlet.http.HttpServletResponse) response).getStatus();
        }
        async = error == null && request.isAsyncStarted();
      } catch (LinkageError servlet25) {
        // No getStatus nor async before Servlet 3.0: the flow ends here, without its status.
      }
      Object route = request.getAttribute(SPRING_ROUTE);
      if (route instanceof String) {
        Bridge.flowRoute(
            token instanceof Object[] ? ((Object[]) token)[1] : Bridge.flowHandle(token),
            (String) route);
      }
      if (token instanceof Object[]) {
        Object[] attached = (Object[]) token;
        Bridge.flowAttachExit(attached[0]);
        if (!async || Bridge.flowCompleteRequested(attached[1])) {
          Bridge.flowEnd(attached[1], status, error);
        }
      } else if (async && !Bridge.flowCompleteRequested(Bridge.flowHandle(token))) {
        Bridge.flowDetach(token);
      } else {
        Bridge.flowExit(token, status, error);
      }
    }
  }
}
