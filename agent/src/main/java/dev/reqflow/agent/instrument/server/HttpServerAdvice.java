package dev.reqflow.agent.instrument.server;

import com.sun.net.httpserver.HttpExchange;
import dev.reqflow.agent.bootstrap.Bridge;
import java.net.URI;
import net.bytebuddy.asm.Advice;

/**
 * The JDK {@code HttpServer}'s filter chain, which runs every handler: the outermost {@code
 * doFilter} on a thread is one flow.
 */
final class HttpServerAdvice {
  private HttpServerAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.Argument(0) HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    String path = uri.getRawPath();
    String query = uri.getRawQuery();
    return Bridge.flowEnter(
        method + " " + path,
        method,
        query == null ? path : path + "?" + query,
        exchange.getRequestHeaders().getFirst("traceparent"));
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
