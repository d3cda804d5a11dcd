package dev.reqflow.agent.instrument.apache.hc4;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.PoolKind;
import java.util.concurrent.Future;
import net.bytebuddy.asm.Advice;
import org.apache.http.HttpClientConnection;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.pool.PoolEntry;

/**
 * Advice woven into Apache HttpClient 4.x's {@code PoolingHttpClientConnectionManager}, on the
 * thread that issues the call: the lease granted (the pool's limits, which one held the call; the
 * connection proxy stands for the lease), the connect of a new connection (TLS included), and the
 * release of the connection (the response was read to its end or closed).
 */
final class ConnectionManagerAdvice {
  private ConnectionManagerAdvice() {}

  /**
   * {@code leaseConnection(Future, long, TimeUnit)}: waits for the pool to grant the lease the call
   * requested; on return its queued phase ends. The pool's limits for the route, and which one held
   * the call, are read then (under the pool's lock, for a recorded call only): a lease that took
   * over a millisecond waited for a connection to come back (an immediate one takes microseconds),
   * held by the per-route limit when the route is full, else by the total.
   */
  static final class Lease {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return Bridge.issuingCall() == null ? 0L : System.nanoTime();
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.Enter long start,
        @Advice.This PoolingHttpClientConnectionManager manager,
        @Advice.Argument(0) Future<?> lease,
        @Advice.Return HttpClientConnection connection) {
      Object rec = start == 0L ? null : Bridge.issuingCall();
      if (rec == null || connection == null) {
        return;
      }
      boolean waited = System.nanoTime() - start > 1_000_000L;
      try {
        // Done: the pool entry the lease got, and so the route.
        HttpRoute route = (HttpRoute) ((PoolEntry<?, ?>) lease.get()).getRoute();
        int perRoute = manager.getMaxPerRoute(route);
        int total = manager.getMaxTotal();
        // The limit the route is the fuller of held it: the counts move as other calls end.
        String kind =
            waited
                    && (long) manager.getStats(route).getLeased() * total
                        >= (long) manager.getTotalStats().getLeased() * perRoute
                ? PoolKind.PER_ROUTE
                : PoolKind.CONNECTION_POOL;
        Bridge.callQueued(rec, kind, manager, total, perRoute);
      } catch (Exception e) {
        // The pool's limits stay unknown; the lease is still the end of the queued phase.
      }
      Bridge.callLeased(rec, connection, connection.isOpen());
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
