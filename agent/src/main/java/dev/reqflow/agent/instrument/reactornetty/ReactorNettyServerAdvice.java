package dev.reqflow.agent.instrument.reactornetty;

import dev.reqflow.agent.bootstrap.Bridge;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import net.bytebuddy.asm.Advice;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.channel.ChannelOperations;
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
              request.requestHeaders().get("traceparent"),
              request.requestHeaders().get("tracestate"));
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
   * {@code HttpServerOperations.onOutboundComplete}: the handler's publisher completed, which
   * releases the flow's wait if the response's write ({@link LastContentWrite}) has not ended the
   * flow already; the last frame is written here when it was not yet, and the flow ends once it is
   * out (when nothing wrote a last content: an empty or failed response).
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
        int status = ((HttpServerResponse) operations).status().code();
        Channel channel = ((Connection) operations).channel();
        EventLoop loop = null;
        try {
          loop = channel.isRegistered() ? channel.eventLoop() : null;
        } catch (IllegalStateException deregistered) {
          // Closed meanwhile (Netty 4.2 forgets the loop of a deregistered channel).
        }
        if (loop == null || loop.inEventLoop()) {
          // The last frame went out in the call above (or the connection is already closed).
          Bridge.flowEnd(flow, status, error);
        } else {
          // Queued on the connection's loop, behind the write that the call above queued.
          loop.execute(Bridge.flowEndTask(flow, status, error));
        }
      }
    }
  }

  /**
   * {@code HttpTrafficHandler.write}, on the connection's loop: the response's last content (a full
   * response, or the last chunk) goes out, and its flow ends.
   */
  static final class LastContentWrite {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.Argument(0) ChannelHandlerContext context, @Advice.Argument(1) Object message) {
      if (!(message instanceof LastHttpContent)) {
        return;
      }
      Object operations = ChannelOperations.get(context.channel());
      Object flow = Bridge.flowFor(operations);
      if (flow != null) {
        int status =
            message instanceof HttpResponse
                ? ((HttpResponse) message).status().code()
                : ((HttpServerResponse) operations).status().code();
        Bridge.flowEnd(flow, status, null);
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
