package dev.reqflow.agent.instrument.apache.hc4;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.PoolKind;
import net.bytebuddy.asm.Advice;
import org.apache.http.HttpClientConnection;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.pool.PoolStats;

/**
 * Advice woven into Apache HttpClient 4.x's {@code PoolingHttpClientConnectionManager}, on the
 * thread that issues the call: the lease request (the pool's limits for the call's route, and
 * whether the per-route limit is what will hold it), the lease granted (the connection proxy stands
 * for it), the connect of a new connection (TLS included), and the release of the connection (the
 * response was read to its end or closed).
 */
final class ConnectionManagerAdvice {
  private ConnectionManagerAdvice() {}

  /** {@code requestConnection(HttpRoute, Object)}. */
  static final class Request {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This PoolingHttpClientConnectionManager manager,
        @Advice.Argument(0) HttpRoute route) {
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

  /** {@code leaseConnection(Future, long, TimeUnit)}: the pool granted the lease. */
  static final class Lease {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return HttpClientConnection connection) {
      Object rec = Bridge.issuingCall();
      if (rec != null && connection != null) {
        Bridge.callLeased(rec, connection, connection.isOpen());
      }
    }
  }

  /** {@code connect(HttpClientConnection, HttpRoute, int, HttpContext)}: a new connection. */
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

  /** {@code releaseConnection(HttpClientConnection, Object, long, TimeUnit)}. */
  static final class Release {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) HttpClientConnection connection) {
      Bridge.callReleased(connection);
    }
  }
}
