package dev.reqflow.analysis;

import dev.reqflow.contract.TraceContract;
import dev.reqflow.flow.Call;
import dev.reqflow.whatif.Change;
import java.util.HashMap;
import java.util.Map;

/**
 * The connections a flow's calls would need if they ran together: a change that takes away what
 * serialized them (a lock, a semaphore) also makes them open connections the recording never paid
 * for, when the client keeps fewer idle than the page then has calls in flight to a host. Each such
 * call pays what opening one cost the calls recorded opening one ({@link CallStats#openNanos}).
 */
final class ConnectionsNeeded {
  /**
   * Idle connections OkHttp keeps when the application did not configure its {@code
   * ConnectionPool}: {@code new ConnectionPool()} is 5 idle connections kept 5 minutes (OkHttp 4.x
   * {@code okhttp3.ConnectionPool}). The agent does not record a configured pool's figure.
   */
  static final int OKHTTP_DEFAULT_MAX_IDLE = 5;

  private ConnectionsNeeded() {}

  /** The connection count for the flow's hosts whose connection cost the recordings show. */
  static Change.OpenConnections of(FlowContext ctx) {
    Map<String, Change.HostConnections> hosts = new HashMap<>();
    for (Call c : ctx.flow.calls()) {
      String host = c.hostPort();
      if (host.isEmpty() || hosts.containsKey(host)) {
        continue;
      }
      long open = ctx.stats.openNanos(ctx.flow, c);
      if (open > 0) {
        hosts.put(
            host,
            new Change.HostConnections(ctx.stats.pooledAtStart(ctx.flow, host), maxIdle(c), open));
      }
    }
    return new Change.OpenConnections(hosts);
  }

  /** Idle connections the call's client keeps, 0 when unknown. */
  static int maxIdle(Call c) {
    return TraceContract.Client.OKHTTP.equals(c.client()) ? OKHTTP_DEFAULT_MAX_IDLE : 0;
  }
}
