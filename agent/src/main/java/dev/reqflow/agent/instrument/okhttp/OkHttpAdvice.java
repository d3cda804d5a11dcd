package dev.reqflow.agent.instrument.okhttp;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.PoolKind;
import net.bytebuddy.asm.Advice;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.internal.connection.Exchange;
import okhttp3.internal.connection.RealCall;
import okio.Buffer;

/**
 * Advice woven into OkHttp 4.x and 5.x {@code RealCall}. It names only the bridge and OkHttp: the
 * phases come from a listener that the agent chains in front of the call's own when the call is
 * recorded ({@link OkHttpListeners}, through {@code Bridge.decorate}).
 */
final class OkHttpAdvice {
  private OkHttpAdvice() {}

  /** {@code execute()}: issue and wait on one call. */
  static final class Execute {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object[] enter(@Advice.This Call call) {
      Request r = call.request();
      HttpUrl u = r.url();
      Object rec =
          Bridge.callEnter(call, Client.OKHTTP, true, r.method(), u.toString(), u.host(), u.port());
      if (rec == null) {
        return null;
      }
      // Chains our event listener in front of the call's own (OkHttpListeners).
      Bridge.decorate(rec, call);
      return new Object[] {rec, Bridge.blockEnter(rec)};
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.This Call call,
        @Advice.Enter Object[] state,
        @Advice.Return Response response,
        @Advice.Thrown Throwable error) {
      if (state != null) {
        Bridge.blockExit((Long) state[1], state[0], BlockKind.OKHTTP_EXECUTE);
        if (response != null) {
          Bridge.callStatus(state[0], response.code());
        }
        Bridge.callIssued(state[0], response, error);
        if (response != null) {
          // The response and its body keep the call reachable, and nothing else of OkHttp does.
          Bridge.responseHeld(state[0], call);
        }
      }
    }
  }

  /** {@code enqueue(Callback)}: issue one call; the dispatcher may hold it back. */
  static final class Enqueue {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This RealCall call) {
      Request r = call.request();
      HttpUrl u = r.url();
      Object rec =
          Bridge.callEnter(
              call, Client.OKHTTP, false, r.method(), u.toString(), u.host(), u.port());
      if (rec != null) {
        Bridge.decorate(rec, call);
        // Decided before the call is handed over, as the dispatcher will: it may run at once.
        Dispatcher d = call.getClient().dispatcher();
        int max = d.getMaxRequests();
        // An executor of the application's with fewer threads runs fewer calls at once.
        if (d.executorService() instanceof java.util.concurrent.ThreadPoolExecutor) {
          max =
              Math.min(
                  max,
                  ((java.util.concurrent.ThreadPoolExecutor) d.executorService())
                      .getMaximumPoolSize());
        }
        int perHost = d.getMaxRequestsPerHost();
        int sameHost = 0;
        for (Call running : d.runningCalls()) {
          if (running.request().url().host().equals(u.host())) {
            sameHost++;
          }
        }
        String kind =
            d.runningCallsCount() < max && sameHost >= perHost
                ? PoolKind.PER_HOST
                : PoolKind.DISPATCHER;
        Bridge.callQueued(rec, kind, "okhttp-dispatcher", max, perHost);
      }
      return rec;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object rec, @Advice.Thrown Throwable error) {
      if (rec != null) {
        Bridge.callIssued(rec, null, error);
      }
    }
  }

  /**
   * {@code RealInterceptorChain.proceed(Request)} of the first chain, which the call runs with its
   * request before any interceptor of the application's: the request leaves with the call's
   * trace-context headers (an interceptor that sets its own {@code traceparent} replaces ours).
   */
  static final class Propagate {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("index") int index,
        @Advice.FieldValue("call") RealCall call,
        @Advice.Argument(value = 0, readOnly = false) Request request) {
      if (index != 0) {
        return;
      }
      String[] trace = Bridge.traceHeaders(Bridge.callFor(call));
      if (trace != null && request.header(trace[0]) == null) {
        Request.Builder b = request.newBuilder();
        for (int i = 0; i + 1 < trace.length; i += 2) {
          b.header(trace[i], trace[i + 1]);
        }
        request = b.build();
      }
    }
  }

  /**
   * The response body as the application reads it ({@code Exchange.ResponseBodySource.read}): a
   * flow's thread reading waits on the call (its download), and the body's tokens go to the data
   * dependencies of later calls (copied only while the recorder wants more).
   */
  static final class ResponseBodyRead {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.FieldValue("this$0") Exchange exchange) {
      return Bridge.bodyReadEnter(exchange.getCall$okhttp());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(
        @Advice.Enter long start,
        @Advice.FieldValue("this$0") Exchange exchange,
        @Advice.Argument(0) Buffer sink,
        @Advice.Return long read) {
      Bridge.bodyReadExit(start, read);
      if (read <= 0) {
        return;
      }
      Object rec = Bridge.callFor(exchange.getCall$okhttp());
      if (rec != null && Bridge.callContent(rec, Bridge.RESPONSE_BODY, null, 0, 0)) {
        int n = (int) Math.min(read, 16 * 1024);
        Buffer copy = new Buffer();
        sink.copyTo(copy, sink.size() - read, n);
        byte[] bytes = copy.readByteArray();
        Bridge.callContent(rec, Bridge.RESPONSE_BODY, bytes, 0, bytes.length);
      }
    }
  }

  /**
   * The application closes a response body: closing one not read to its end discards the rest of it
   * (HTTP/1.1's {@code FixedLengthSource}/{@code ChunkedSource.close()}, up to 100 ms, OkHttp 4.12
   * and 5.x) so that the connection can be reused, and the call ends inside it. That is a wait on
   * the call, as a read is. A close after the end of the body finds the call ended: nothing.
   */
  static final class ResponseBodyClose {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.FieldValue("this$0") Exchange exchange) {
      return Bridge.bodyReadEnter(exchange.getCall$okhttp());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start) {
      // The body is over (closed): the stretch ends here.
      Bridge.bodyReadExit(start, -1L);
    }
  }

  /** The dispatcher runs an enqueued call, then its callback, on one of its threads. */
  static final class AsyncRun {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This RealCall.AsyncCall async) {
      Object rec = Bridge.callFor(async.getCall());
      if (rec == null) {
        return null;
      }
      Bridge.callEvent(rec, Event.DISPATCHED);
      return Bridge.callbackEnter(rec);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This RealCall.AsyncCall async, @Advice.Enter Object token) {
      Bridge.callbackExit(token);
      if (token != null) {
        // A callback that neither read the body to its end nor closed it hands the response on,
        // or drops it.
        RealCall call = async.getCall();
        Bridge.responseHeld(Bridge.callFor(call), call);
      }
    }
  }
}
