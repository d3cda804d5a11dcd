package dev.reqflow.flow;

import dev.reqflow.contract.TraceContract;

/** What kind of concurrency limit applied to a call, from {@link TraceContract.Attr#POOL_KIND}. */
public enum PoolKind {
  /** A {@code java.util.concurrent} executor that ran the task making the call. */
  EXECUTOR,
  /** An HTTP client's own dispatcher (OkHttp {@code Dispatcher.maxRequests}). */
  DISPATCHER,
  /** A per-host limit (OkHttp {@code Dispatcher.maxRequestsPerHost}). */
  PER_HOST,
  /** A client's connection pool, limited per remote address (Reactor Netty). */
  CONNECTION_POOL,
  OTHER;

  public static PoolKind of(String value) {
    if (value == null) {
      return OTHER;
    }
    switch (value) {
      case TraceContract.PoolKind.EXECUTOR:
        return EXECUTOR;
      case TraceContract.PoolKind.DISPATCHER:
        return DISPATCHER;
      case TraceContract.PoolKind.PER_HOST:
        return PER_HOST;
      case TraceContract.PoolKind.CONNECTION_POOL:
        return CONNECTION_POOL;
      default:
        return OTHER;
    }
  }
}
