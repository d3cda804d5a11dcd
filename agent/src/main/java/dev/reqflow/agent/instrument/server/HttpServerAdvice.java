package dev.reqflow.agent.instrument.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.reqflow.agent.bootstrap.Bridge;
import java.net.URI;
import java.util.ListIterator;
import net.bytebuddy.asm.Advice;

/**
 * The JDK {@code HttpServer}'s filter chains, which run every handler: a flow starts at the first
 * {@code doFilter} on a thread that hands over to the application (its filter or its handler). The
 * JDK's own filters and the link to the user chain run first, and so does an OpenTelemetry filter
 * (the OpenTelemetry Java agent adds one to every context): its server span is then current and the
 * flow's parent.
 */
final class HttpServerAdvice {
  private HttpServerAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(
      @Advice.Argument(0) HttpExchange exchange,
      @Advice.FieldValue("iter") ListIterator<?> filters,
      @Advice.FieldValue("handler") HttpHandler handler) {
    if (filters.hasNext()) {
      Object next = filters.next();
      filters.previous();
      String type = next.getClass().getName();
      // Two literals, not "io.opentelemetry.": shading would relocate that one.
      if (type.startsWith("sun.net.httpserver.")
          || (type.startsWith("io.") && type.startsWith("opentelemetry.", 3))) {
        return null;
      }
    } else if (handler.getClass().getName().startsWith("sun.net.httpserver.ServerImpl$")) {
      // The system chain's link to the user chain, where the application's filters are.
      return null;
    }
    Object skipped = Bridge.flowSkipped();
    if (skipped != null) {
      // Left out by sampling: nothing of the request is read.
      return skipped;
    }
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    String path = uri.getRawPath();
    String query = uri.getRawQuery();
    return Bridge.flowEnter(
        method + " " + path,
        method,
        query == null ? path : path + "?" + query,
        exchange.getRequestHeaders().getFirst("traceparent"),
        exchange.getRequestHeaders().getFirst("tracestate"));
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object token,
      @Advice.Argument(0) HttpExchange exchange,
      @Advice.Thrown Throwable error) {
    if (token != null) {
      Bridge.flowExit(token, exchange.getResponseCode(), error);
    }
  }
}
