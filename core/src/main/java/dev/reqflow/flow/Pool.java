package dev.reqflow.flow;

import java.util.Objects;

/**
 * The executor, dispatcher or connection pool that queued a call, and its limits: {@code limit} for
 * the whole pool, {@code limitPerHost} per destination (OkHttp's per-host limit, a connection
 * pool's maximum per route). A limit of 0 means the trace did not say. {@code createdAt}: the
 * application's line that created the executor ({@code reqflow.pool.code.*}), {@link
 * CodeLocation#UNKNOWN} when the trace does not say.
 */
public record Pool(
    String name, PoolKind kind, int limit, int limitPerHost, CodeLocation createdAt) {
  /** No pool: the call ran on the thread that asked, or the trace did not say. */
  public static final Pool NONE = new Pool("", PoolKind.OTHER, 0, 0);

  public Pool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A pool whose creation the trace does not show. */
  public Pool(String name, PoolKind kind, int limit, int limitPerHost) {
    this(name, kind, limit, limitPerHost, CodeLocation.UNKNOWN);
  }

  /** The limit that queues calls to one host: the per-host one when it applies, else the pool's. */
  public int effectiveLimit() {
    if (limitPerHost > 0 && (limit <= 0 || limitPerHost < limit)) {
      return limitPerHost;
    }
    return limit;
  }
}
