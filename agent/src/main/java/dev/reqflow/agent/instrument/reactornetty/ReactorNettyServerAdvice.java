package dev.reqflow.agent.instrument.reactornetty;

import dev.reqflow.agent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerState;

/**
 * Advice woven into Reactor Netty's HTTP server (1.x; also under Spring WebFlux): a flow starts
 * when a request is received and the application's handler is applied, is detached from the event
 * loop when the handler's subscribe returns, and ends when the response is complete.
 */
final class ReactorNettyServerAdvice {
  private ReactorNettyServerAdvice() {}

  /** {@code HttpServerHandle.onStateChange(REQUEST_RECEIVED)}: the handler is applied. */
  static final class RequestReceived {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(
        @Advice.Argument(0) Connection connection,
        @Advice.Argument(1) ConnectionObserver.State state) {
      if (state != HttpServerState.REQUEST_RECEIVED || !(connection instanceof HttpServerRequest)) {
        return null;
      }
      HttpServerRequest request = (HttpServerRequest) connection;
      String method = request.method().name();
      String uri = request.uri();
      int q = uri.indexOf('?');
      Object token =
          Bridge.flowEnter(
              method + " " + (q < 0 ? uri : uri.substring(0, q)),
              method,
              uri,
              request.requestHeaders().get("traceparent"));
      Bridge.flowBind(Bridge.flowHandle(token), connection);
      return token;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
      if (token != null) {
        Bridge.flowDetach(token);
      }
    }
  }

  /**
   * {@code HttpServerOperations.onOutboundComplete}: the handler's publisher completed (on the
   * thread that produced the response: its completion releases the flow's wait); the last frame is
   * written, and the flow ends.
   */
  static final class OutboundComplete {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object operations) {
      Object flow = Bridge.flowFor(operations);
      Bridge.flowReleased(flow);
      return flow;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object flow, @Advice.This Object operations, @Advice.Thrown Throwable error) {
      if (flow != null) {
        Bridge.flowEnd(flow, ((HttpServerResponse) operations).status().code(), error);
      }
    }
  }

  /** {@code HttpServerOperations.onOutboundError}: the response failed; Reactor Netty sends 500. */
  static final class OutboundError {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object operations, @Advice.Argument(0) Throwable error) {
      Object flow = Bridge.flowFor(operations);
      if (flow != null) {
        Bridge.flowReleased(flow);
        Bridge.flowEnd(flow, 500, error);
      }
    }
  }

  /**
   * {@code HttpServerOperations.onInboundClose}: the connection closed; a flow whose response had
   * not completed ends with the error.
   */
  static final class InboundClose {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object operations) {
      Object flow = Bridge.flowFor(operations);
      if (flow != null) {
        Bridge.flowEnd(flow, 0, new java.io.EOFException("connection closed before the response"));
      }
    }
  }
}
