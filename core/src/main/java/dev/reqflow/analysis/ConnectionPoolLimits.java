package dev.reqflow.analysis;

import dev.reqflow.contract.TraceContract;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Pool;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The raise-pool-limit suggestion for a client's connection pool, where a call waits to lease a
 * connection: the pool allows so many connections per route ({@link Pool#limitPerHost()}) and so
 * many in total ({@link Pool#limit()}), and both bind. The per-route limit is raised to the number
 * of the page's calls to its busiest route, the total to the number of its calls through the pool
 * when that is more than the pool holds.
 *
 * <p>Defaults named in the advice: Apache HttpClient 5.x {@code PoolingHttpClientConnectionManager}
 * and {@code PoolingAsyncClientConnectionManager} allow 5 connections per route and 25 in total
 * ({@code DEFAULT_MAX_CONNECTIONS_PER_ROUTE}, {@code DEFAULT_MAX_TOTAL_CONNECTIONS}); 4.x's {@code
 * PoolingHttpClientConnectionManager} 2 and 20 ({@code HttpClients.createSystem()}: the system
 * property {@code http.maxConnections}, 5, and twice that).
 */
final class ConnectionPoolLimits {
  private ConnectionPoolLimits() {}

  /** The suggestion for this pool, or null when neither of its limits queued the page's calls. */
  static Suggestion suggest(
      FlowContext ctx, Pool pool, List<Call> calls, List<Call> waited, long queued) {
    int perRoute = pool.limitPerHost();
    int total = pool.limit();
    int routeNeed = RaisePoolLimitRule.maxPerHost(calls);
    int totalNeed = calls.size();
    boolean raiseRoute = perRoute > 0 && routeNeed > perRoute;
    boolean raiseTotal = total > 0 && totalNeed > total;
    if (!raiseRoute && !raiseTotal) {
      return null;
    }
    String manager = managerClass(pool.name());
    List<Change> changes = new ArrayList<>(2);
    List<String> what = new ArrayList<>(2);
    List<String> setters = new ArrayList<>(2);
    List<String> how = new ArrayList<>(2);
    if (raiseRoute && calls.get(0).client().equals(TraceContract.Client.REACTOR_NETTY)) {
      // Reactor Netty's ConnectionProvider: one limit, per remote address, and no total.
      changes.add(new Change.SetPoolLimit(pool.name(), PoolKind.PER_ROUTE, routeNeed));
      what.add("max connections from " + perRoute + " to " + routeNeed);
      setters.add("ConnectionProvider maxConnections");
      how.add(
          "ConnectionProvider.builder(\""
              + pool.name()
              + "\").maxConnections("
              + routeNeed
              + ") for the HttpClient's provider");
      manager = "";
    } else if (raiseRoute) {
      changes.add(new Change.SetPoolLimit(pool.name(), PoolKind.PER_ROUTE, routeNeed));
      what.add("max per route from " + perRoute + " to " + routeNeed);
      setters.add("setDefaultMaxPerRoute/setMaxPerRoute");
      how.add(
          "setDefaultMaxPerRoute("
              + routeNeed
              + ") (or setMaxPerRoute(route, "
              + routeNeed
              + ") for "
              + busiestRoute(calls)
              + " alone; builders: setMaxConnPerRoute)");
    }
    if (raiseTotal) {
      changes.add(new Change.SetPoolLimit(pool.name(), PoolKind.CONNECTION_POOL, totalNeed));
      what.add("max total from " + total + " to " + totalNeed);
      setters.add("setMaxTotal");
      how.add("setMaxTotal(" + totalNeed + ") (builders: setMaxConnTotal)");
    }
    String title =
        "Raise the connection pool's "
            + String.join(" and ", what)
            + " ("
            + (manager.isEmpty() ? "" : manager + " ")
            + String.join(", ", setters)
            + ")";
    String limits =
        (perRoute > 0 ? perRoute + " connections per route" : "")
            + (perRoute > 0 && total > 0 ? " and " : "")
            + (total > 0 ? total + " in total" : "");
    String explanation =
        Explain.plural(waited.size(), "call", "calls")
            + " waited "
            + Durations.format(queued)
            + " in total to lease a connection from the connection pool '"
            + pool.name()
            + "', which allows "
            + limits
            + ":"
            + Explain.queuedBullets(waited)
            + "\nTo run all "
            + calls.size()
            + " of this page's calls at once, call "
            + String.join(", and ", how)
            + " on the "
            + (manager.isEmpty() ? "connection manager" : manager)
            + "."
            + defaults(calls);
    List<String> ids = new ArrayList<>();
    for (Call c : calls) {
      ids.add(c.spanId());
    }
    return Suggestions.make(
        ctx, SuggestionKind.RAISE_POOL_LIMIT, title, explanation, ids, List.copyOf(changes));
  }

  /**
   * The connection manager's class from the pool's name as the agent writes it ({@code
   * PoolingHttpClientConnectionManager@1b2c3d4e}); empty when the name is not one.
   */
  static String managerClass(String poolName) {
    int at = poolName.indexOf('@');
    String cls = at < 0 ? poolName : poolName.substring(0, at);
    if (cls.isEmpty() || !Character.isUpperCase(cls.charAt(0))) {
      return "";
    }
    for (int i = 0; i < cls.length(); i++) {
      if (!Character.isJavaIdentifierPart(cls.charAt(i))) {
        return "";
      }
    }
    return cls;
  }

  private static String busiestRoute(List<Call> calls) {
    Map<String, Integer> n = new HashMap<>();
    String best = "";
    int max = 0;
    for (Call c : calls) {
      int k = n.merge(c.hostPort(), 1, Integer::sum);
      if (k > max) {
        max = k;
        best = c.hostPort();
      }
    }
    return best;
  }

  private static String defaults(List<Call> calls) {
    String client = calls.get(0).client();
    if (Client.APACHE_HTTPCLIENT4.equals(client)) {
      return " Apache HttpClient 4.x allows 2 per route and 20 in total by default.";
    }
    if (Client.APACHE_HTTPCLIENT5.equals(client)
        || Client.APACHE_HTTPCLIENT5_ASYNC.equals(client)) {
      return " Apache HttpClient 5.x allows 5 per route and 25 in total by default.";
    }
    return "";
  }
}
