package dev.reqflow.agent.instrument.jdkhttp;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import net.bytebuddy.asm.Advice;

/** Advice woven into {@code jdk.internal.net.http.HttpClientImpl} (platform class loader). */
final class JdkHttpAdvice {
  private JdkHttpAdvice() {}

  /** {@code send}: issue and wait on one call. */
  static final class Send {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object[] enter(
        @Advice.This HttpClient client,
        @Advice.Argument(value = 0, readOnly = false) HttpRequest request,
        @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler<?> handler) {
      URI u = request.uri();
      int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
      Object rec =
          Bridge.callEnter(
              null,
              Client.JDK_HTTP_CLIENT,
              true,
              request.method(),
              u.toString(),
              u.getHost(),
              port);
      if (rec == null) {
        return null;
      }
      String[] trace = Bridge.traceHeaders(rec);
      if (trace != null && request.headers().firstValue(trace[0]).isEmpty()) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request, Bridge.ALL_HEADERS);
        for (int i = 0; i + 1 < trace.length; i += 2) {
          b.setHeader(trace[i], trace[i + 1]);
        }
        request = b.build();
      }
      Bridge.decorate(rec, request);
      handler = (HttpResponse.BodyHandler<?>) Bridge.decorate(rec, handler);
      Bridge.callExecutor(rec, client.executor().orElse(null));
      return new Object[] {rec, Bridge.blockEnter(rec)};
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object[] state,
        @Advice.Return(
                typing = net.bytebuddy.implementation.bytecode.assign.Assigner.Typing.DYNAMIC)
            Object response,
        @Advice.Thrown Throwable error) {
      if (state != null) {
        Bridge.blockExit((Long) state[1], state[0], BlockKind.HTTP_CLIENT_SEND);
        if (response instanceof HttpResponse) {
          Bridge.callStatus(state[0], ((HttpResponse<?>) response).statusCode());
        }
        Bridge.callIssued(state[0], response, error);
      }
    }
  }

  /** {@code sendAsync}: issue one call; its future completes with the whole response. */
  static final class SendAsync {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(
        @Advice.This HttpClient client,
        @Advice.Argument(value = 0, readOnly = false) HttpRequest request,
        @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler<?> handler) {
      URI u = request.uri();
      int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
      Object rec =
          Bridge.callEnter(
              null,
              Client.JDK_HTTP_CLIENT,
              false,
              request.method(),
              u.toString(),
              u.getHost(),
              port);
      if (rec != null) {
        String[] trace = Bridge.traceHeaders(rec);
        if (trace != null && request.headers().firstValue(trace[0]).isEmpty()) {
          HttpRequest.Builder b = HttpRequest.newBuilder(request, Bridge.ALL_HEADERS);
          for (int i = 0; i + 1 < trace.length; i += 2) {
            b.setHeader(trace[i], trace[i + 1]);
          }
          request = b.build();
        }
        Bridge.decorate(rec, request);
        handler = (HttpResponse.BodyHandler<?>) Bridge.decorate(rec, handler);
        Bridge.callExecutor(rec, client.executor().orElse(null));
      }
      return rec;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter Object rec,
        @Advice.Return(
                typing = net.bytebuddy.implementation.bytecode.assign.Assigner.Typing.DYNAMIC)
            Object future,
        @Advice.Thrown Throwable error) {
      if (rec != null) {
        Bridge.callIssued(rec, future, error);
      }
    }
  }

  /**
   * {@code ResponseSubscribers.HttpResponseInputStream.read}: the application reads a body the
   * client handed it as a stream ({@code BodyHandlers.ofInputStream}); a flow's thread reading
   * waits on the call.
   */
  static final class StreamRead {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object stream) {
      return Bridge.bodyReadEnter(stream);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Return int n) {
      Bridge.bodyReadExit(start, n);
    }
  }

  /** {@code HttpResponseInputStream.close}: the application is done with the body. */
  static final class StreamClose {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object stream) {
      Bridge.bodyClosed(stream);
    }
  }

  /** {@code ConnectionPool.getConnection}: a pooled connection, or null for a new one. */
  static final class PoolLookup {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.Return(
                typing = net.bytebuddy.implementation.bytecode.assign.Assigner.Typing.DYNAMIC)
            Object connection) {
      Bridge.connectionLookup(connection != null);
    }
  }
}
