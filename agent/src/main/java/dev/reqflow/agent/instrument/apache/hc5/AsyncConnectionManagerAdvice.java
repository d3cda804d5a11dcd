package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.PoolKind;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.pool.PoolStats;

/**
 * Advice woven into Apache HttpClient 5.x's {@code PoolingAsyncClientConnectionManager}. The lease
 * is requested on the thread that issues the call, and granted later on whatever thread released a
 * connection: the lease's callback stands for it until then ({@link BasicFutureAdvice} sees the
 * future that calls it complete). The connect of a new connection is found by its endpoint.
 */
final class AsyncConnectionManagerAdvice {
  private AsyncConnectionManagerAdvice() {}

  /** {@code lease(String, HttpRoute, Object, Timeout, FutureCallback)}. */
  static final class Lease {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This PoolingAsyncClientConnectionManager manager,
        @Advice.Argument(1) HttpRoute route,
        @Advice.Argument(4) FutureCallback<?> callback) {
      Object rec = Bridge.issuingCall();
      if (rec == null) {
        return;
      }
      int perRoute = manager.getMaxPerRoute(route);
      PoolStats stats = manager.getStats(route);
      String kind =
          stats.getAvailable() == 0 && stats.getLeased() + stats.getPending() >= perRoute
              ? PoolKind.PER_ROUTE
              : PoolKind.CONNECTION_POOL;
      Bridge.callQueued(rec, kind, manager, manager.getMaxTotal(), perRoute);
      Bridge.callAwaits(rec, callback, Event.DISPATCHED);
    }
  }

  /** {@code connect(endpoint, initiator, Timeout, attachment, HttpContext, FutureCallback)}. */
  static final class Connect {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.Argument(0) AsyncConnectionEndpoint endpoint,
        @Advice.Argument(5) FutureCallback<?> callback) {
      Object rec = Bridge.callFor(endpoint);
      if (rec != null && !endpoint.isConnected()) {
        Bridge.callEvent(rec, Event.CONNECT_START);
        Bridge.callAwaits(rec, callback, Event.CONNECT_END);
      }
    }
  }
}
