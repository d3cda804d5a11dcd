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
  /** A client's connection pool: its maximum in total (Apache HttpClient {@code setMaxTotal}). */
  CONNECTION_POOL,
  /** A connection pool's limit per route (Apache HttpClient {@code setDefaultMaxPerRoute}). */
  PER_ROUTE,
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
      case TraceContract.PoolKind.PER_ROUTE:
        return PER_ROUTE;
      default:
        return OTHER;
    }
  }

  /**
   * True for a limit per destination ({@link #PER_HOST}, {@link #PER_ROUTE}): it is the pool's
   * {@link Pool#limitPerHost()}, counted per host and port.
   */
  public boolean perDestination() {
    return this == PER_HOST || this == PER_ROUTE;
  }

  /** The kind of the whole pool that a per-destination limit belongs to; itself otherwise. */
  public PoolKind whole() {
    switch (this) {
      case PER_HOST:
        return DISPATCHER;
      case PER_ROUTE:
        return CONNECTION_POOL;
      default:
        return this;
    }
  }
}
