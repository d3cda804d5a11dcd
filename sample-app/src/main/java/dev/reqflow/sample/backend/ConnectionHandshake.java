package dev.reqflow.sample.backend;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Simulates the handshake a remote host would cost: the first response on each new TCP connection
 * is delayed by the connection cost. Over loopback a connect is nearly free, which would hide the
 * price of a new client (and so a new connection) per call.
 *
 * <p>The JDK server does not expose its connections, but each one has its own client address and
 * port, so a remote address seen for the first time is a new connection. The server closes a
 * connection idle for 30 s (its default), after which the client's port may be reused by a new
 * connection: an address not seen for that long counts as new again.
 */
final class ConnectionHandshake {
  private static final long IDLE_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final int PRUNE_ABOVE = 10_000;

  private final long costMs;
  private final Map<InetSocketAddress, Long> lastSeenNanos = new ConcurrentHashMap<>();

  ConnectionHandshake(long costMs) {
    this.costMs = costMs;
  }

  /** The delay to add to this request: the handshake cost if its connection is new, else 0. */
  long delayMs(InetSocketAddress remote, long nowNanos) {
    Long previous = lastSeenNanos.put(remote, nowNanos);
    if (lastSeenNanos.size() > PRUNE_ABOVE) {
      lastSeenNanos.values().removeIf(seen -> nowNanos - seen > IDLE_CLOSE_NANOS);
    }
    boolean newConnection = previous == null || nowNanos - previous > IDLE_CLOSE_NANOS;
    return newConnection ? costMs : 0;
  }
}
