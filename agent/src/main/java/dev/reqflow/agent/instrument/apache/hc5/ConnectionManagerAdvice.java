package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.PoolKind;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.pool.PoolStats;

/**
 * Advice woven into Apache HttpClient 5.x's classic {@code PoolingHttpClientConnectionManager}, on
 * the thread that issues the call: the lease request (the pool's limits for the call's route, and
 * whether the per-route limit is what will hold it) and the connect of a new connection (TLS
 * included: the manager does both in one step).
 */
final class ConnectionManagerAdvice {
  private ConnectionManagerAdvice() {}

  /** {@code lease(String, HttpRoute, Timeout, Object)}. */
  static final class Lease {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This PoolingHttpClientConnectionManager manager,
        @Advice.Argument(1) HttpRoute route) {
      Object rec = Bridge.issuingCall();
      if (rec == null) {
        return;
      }
      // Reads the pool's state under its lock: only for a call being recorded.
      int perRoute = manager.getMaxPerRoute(route);
      PoolStats stats = manager.getStats(route);
      String kind =
          stats.getAvailable() == 0 && stats.getLeased() + stats.getPending() >= perRoute
              ? PoolKind.PER_ROUTE
              : PoolKind.CONNECTION_POOL;
      Bridge.callQueued(rec, kind, manager, manager.getMaxTotal(), perRoute);
    }
  }

  /** {@code connect(ConnectionEndpoint, TimeValue, HttpContext)}: a new connection. */
  static final class Connect {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter() {
      Object rec = Bridge.issuingCall();
      if (rec != null) {
        Bridge.callEvent(rec, Event.CONNECT_START);
      }
      return rec;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object rec, @Advice.Thrown Throwable error) {
      if (rec != null && error == null) {
        Bridge.callEvent(rec, Event.CONNECT_END);
      }
    }
  }
}
