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
      default:
        return OTHER;
    }
  }
}
