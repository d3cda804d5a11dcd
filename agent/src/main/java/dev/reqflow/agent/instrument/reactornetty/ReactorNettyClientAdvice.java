package dev.reqflow.agent.instrument.reactornetty;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.PoolKind;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.util.concurrent.CancellationException;
import net.bytebuddy.asm.Advice;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClientConfig;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.client.HttpClientState;
import reactor.netty.resources.ConnectionProvider;

/**
 * Advice woven into Reactor Netty's HTTP client (1.x; also under Spring's {@code WebClient}). One
 * call per subscription of the request's {@code Mono} (redirects and Reactor Netty's own retries
 * inside it), issued at subscribe, its phases from the connection observer Reactor Netty notifies,
 * completed when the response's last content arrives. Only the bridge and Reactor Netty's public
 * types are named; the client's package-private objects are keys.
 */
final class ReactorNettyClientAdvice {
  private ReactorNettyClientAdvice() {}

  /** {@code MonoHttpConnect}'s constructor: where the application built the request. */
  static final class Built {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object connect) {
      Bridge.siteMark(connect);
    }
  }

  /** {@code MonoHttpConnect.subscribe}: the call is issued. */
  static final class Subscribe {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(
        @Advice.This Object connect, @Advice.FieldValue("config") HttpClientConfig config) {
      Bridge.siteDefault(connect);
      String uri = config.uri();
      String base = config.baseUrl();
      String url =
          uri == null
              ? base
              : base != null && !uri.contains("://")
                  ? (base.endsWith("/") && uri.startsWith("/")
                      ? base + uri.substring(1)
                      : base + uri)
                  : uri;
      String host = null;
      int port = -1;
      if (url != null && url.contains("://")) {
        URI u = URI.create(url);
        host = u.getHost();
        port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
      }
      return Bridge.callEnter(
          null, Client.REACTOR_NETTY, false, config.method().name(), url, host, port);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object call, @Advice.Thrown Throwable error) {
      if (call != null) {
        Bridge.callIssued(call, null, error);
      }
    }
  }

  /** {@code HttpClientHandler}'s constructor, inside the subscribe: the call's own object. */
  static final class Handler {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object handler) {
      Bridge.callKey(Bridge.issuingCall(), handler);
    }
  }

  /**
   * {@code HttpClientHandler.test(Throwable)}, Reactor Netty's retry filter: an error it does not
   * retry (nor redirect) ends the call.
   */
  static final class RetryFilter {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object handler,
        @Advice.Argument(0) Throwable error,
        @Advice.Return boolean retried) {
      if (!retried) {
        Bridge.callEnd(Bridge.callFor(handler), error);
      }
    }
  }

  /** {@code PooledConnectionProvider.acquire}: the pool the call waits in, and its limits. */
  static final class Acquire {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This ConnectionProvider provider,
        @Advice.Argument(2) Object remote,
        @Advice.FieldValue("defaultPoolFactory") Object poolFactory) {
      Object call = Bridge.callFor(remote);
      if (call == null) {
        return;
      }
      int max = provider.maxConnections();
      int pending = Bridge.intField(poolFactory, "pendingAcquireMaxCount", -1);
      // Not specified: twice the connections (ConnectionProvider.ConnectionPoolSpec).
      Bridge.callPool(
          call, PoolKind.CONNECTION_POOL, provider.name(), max, pending == -2 ? 2 * max : pending);
    }
  }

  /** {@code TransportConnector.connect}, inside the pool's acquire: a new connection. */
  static final class Connect {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
      Object call = Bridge.issuingCall();
      if (call != null) {
        // The pool had room: the call leaves its queue as the connection starts.
        Bridge.callEvent(call, Event.DISPATCHED);
        Bridge.callEvent(call, Event.CONNECT_START);
      }
    }
  }

  /** {@code HttpObserver.onStateChange}: what Reactor Netty tells of the call's connection. */
  static final class StateChange {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("handler") Object handler,
        @Advice.Argument(0) Connection connection,
        @Advice.Argument(1) ConnectionObserver.State state) {
      Object call = Bridge.callFor(handler);
      if (call == null) {
        return;
      }
      if (state == ConnectionObserver.State.ACQUIRED) {
        // A pooled connection: the wait for it was the queue.
        Bridge.callEvent(call, Event.DISPATCHED);
        Bridge.callEvent(call, Event.CONNECTION_ACQUIRED);
      } else if (state == ConnectionObserver.State.CONNECTED) {
        Bridge.callEvent(call, Event.CONNECT_END);
      } else if (state == ConnectionObserver.State.CONFIGURED) {
        // The request's own operations: the inbound side finds the call through them.
        Bridge.callKey(call, connection);
        Bridge.callEvent(call, Event.CONNECTION_ACQUIRED);
      } else if (state == HttpClientState.REQUEST_PREPARED
          && connection instanceof HttpClientRequest) {
        // Its default headers are set, the application's come next (WebClient's among them).
        String[] trace = Bridge.traceHeaders(call);
        HttpHeaders headers = ((HttpClientRequest) connection).requestHeaders();
        if (trace != null && !headers.contains(trace[0])) {
          for (int i = 0; i + 1 < trace.length; i += 2) {
            headers.set(trace[i], trace[i + 1]);
          }
        }
      } else if (state == HttpClientState.REQUEST_SENT) {
        Bridge.callEvent(call, Event.REQUEST_SENT);
      } else if (state == HttpClientState.RESPONSE_RECEIVED) {
        Bridge.callEvent(call, Event.RESPONSE_FIRST_BYTE);
        if (connection instanceof HttpClientResponse) {
          Bridge.callStatus(call, ((HttpClientResponse) connection).status().code());
        }
      }
    }
  }

  /**
   * {@code HttpClientOperations.onInboundNext}: the response's last content completes the call;
   * what the application does with the response (its operators, its next calls, its waits) runs
   * inside, as the call's callback.
   */
  static final class InboundNext {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(
        @Advice.This Object operations,
        @Advice.Argument(1) Object message,
        @Advice.FieldValue("redirecting") Object redirecting) {
      Object call = Bridge.callFor(operations);
      if (call == null) {
        return null;
      }
      if (message instanceof LastHttpContent
          && redirecting == null
          && !(message instanceof FullHttpResponse
              && ((FullHttpResponse) message).status().code() / 100 == 3)) {
        Bridge.callEvent(call, Event.RESPONSE_BODY_DONE);
        Bridge.callEnd(call, null);
      }
      return Bridge.callbackEnter(call);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
      Bridge.callbackExit(token);
    }
  }

  /** {@code ChannelOperations.onInboundError}: a response that broke off ends its call. */
  static final class InboundError {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object operations, @Advice.Argument(0) Throwable error) {
      Object call = Bridge.callFor(operations);
      if (call != null) {
        Bridge.callEnd(call, error);
      }
    }
  }

  /** {@code HttpClientOperations.onInboundCancel}: the application stopped listening. */
  static final class InboundCancel {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object operations) {
      Object call = Bridge.callFor(operations);
      if (call != null) {
        Bridge.callEnd(call, new CancellationException("response cancelled"));
      }
    }
  }
}
