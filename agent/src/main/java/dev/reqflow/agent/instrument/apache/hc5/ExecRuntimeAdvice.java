package dev.reqflow.agent.instrument.apache.hc5;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.PoolKind;
import net.bytebuddy.asm.Advice;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;

/**
 * Advice woven into Apache HttpClient 5.x's {@code InternalExecRuntime}, which holds one classic
 * call's connection: it leases it ({@code acquireEndpoint}, on the thread that issues the call) and
 * gives it back ({@code releaseEndpoint} when the response body was read to its end, {@code
 * discardEndpoint} when the response was closed before or the call failed, {@code cancel}). The
 * runtime stands for the lease.
 */
final class ExecRuntimeAdvice {
  private ExecRuntimeAdvice() {}

  /**
   * {@code acquireEndpoint(String, HttpRoute, Object, HttpClientContext)}: leases a connection from
   * the runtime's manager, waiting while the pool has none for the route; on return the queued
   * phase ends. The pool's limits and which one held the call are read then, under the pool's lock,
   * for a recorded call only: a lease that took over a millisecond waited for a connection to come
   * back (an immediate one takes microseconds), held by the per-route limit when the route is full,
   * else by the total.
   */
  static final class Acquire {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
      return Bridge.issuingCall() == null ? 0L : System.nanoTime();
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.Enter long start,
        @Advice.This ExecRuntime runtime,
        @Advice.Argument(1) HttpRoute route,
        @Advice.FieldValue("manager") Object manager) {
      Object rec = start == 0L ? null : Bridge.issuingCall();
      if (rec == null) {
        return;
      }
      boolean waited = System.nanoTime() - start > 1_000_000L;
      if (manager instanceof PoolingHttpClientConnectionManager) {
        try {
          PoolingHttpClientConnectionManager pool = (PoolingHttpClientConnectionManager) manager;
          int perRoute = pool.getMaxPerRoute(route);
          int total = pool.getMaxTotal();
          // The limit the route is the fuller of held it: the counts move as other calls end.
          String kind =
              waited
                      && (long) pool.getStats(route).getLeased() * total
                          >= (long) pool.getTotalStats().getLeased() * perRoute
                  ? PoolKind.PER_ROUTE
                  : PoolKind.CONNECTION_POOL;
          Bridge.callQueued(rec, kind, pool, total, perRoute);
        } catch (RuntimeException e) {
          // The pool's limits stay unknown; the lease is still the end of the queued phase.
        }
      }
      Bridge.callLeased(rec, runtime, runtime.isEndpointConnected());
    }
  }

  /** {@code releaseEndpoint}, {@code discardEndpoint}, {@code cancel}. */
  static final class Release {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object runtime) {
      Bridge.callReleased(runtime);
    }
  }
}
