package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calls that opened a new connection where a client shared by the service would have had one free:
 * a connection an earlier call of the flow had finished with, or one of those earlier flows of the
 * service kept open (as many as they had calls to that host in flight at once). A cold pool's first
 * connections, and a page that needs more connections at once than any before it, are not avoidable
 * and are not counted.
 */
final class ReuseConnectionsRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    Set<Call> avoidable = avoidable(ctx);
    List<Call> fresh = new ArrayList<>();
    Map<String, Long> handshakes = new HashMap<>();
    long setup = 0;
    long handshake = 0;
    for (Call c : ctx.flow.calls()) {
      if (!avoidable.contains(c)) {
        continue;
      }
      long h =
          c.connectionReuse() == ConnectionReuse.NEW ? ctx.stats.handshakeNanos(ctx.flow, c) : 0;
      if (c.connectionSetupNanos() + h > 0) {
        fresh.add(c);
        setup += c.connectionSetupNanos();
        if (h > 0) {
          handshakes.put(c.spanId(), h);
          handshake += h;
        }
      }
    }
    if (fresh.isEmpty()) {
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Call c : fresh) {
      ids.add(c.spanId());
    }
    String title =
        "Reuse connections: " + Explain.plural(fresh.size(), "call", "calls") + " opened a new one";
    String explanation =
        "Opening connections (DNS, TCP connect, TLS) took "
            + Durations.format(setup)
            + " in total"
            + (handshake > 0
                ? ", and first responses on new connections came "
                    + Durations.format(handshake)
                    + " later in total than on reused ones (medians over the recordings)"
                : "")
            + ", where a connection opened before was free:"
            + Explain.bullets(fresh)
            + "\nCreate one HTTP client (OkHttpClient, HttpClient) for the application and share it,"
            + " and keep its connections alive: a client made per call cannot reuse its"
            + " connections.";
    return List.of(
        Suggestions.make(
            ctx,
            SuggestionKind.REUSE_CONNECTIONS,
            title,
            explanation,
            ids,
            List.of(new Change.ReuseConnections(ids, handshakes))));
  }

  /** Calls that opened a connection while a shared pool would have had one idle for their host. */
  private static Set<Call> avoidable(FlowContext ctx) {
    Set<Call> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    Map<String, List<Call>> byHost = new HashMap<>();
    for (Call c : ctx.flow.calls()) {
      byHost.computeIfAbsent(c.hostPort(), h -> new ArrayList<>()).add(c);
    }
    byHost.forEach(
        (host, calls) -> {
          // Acquire when the call leaves its queue, release at its end; a release first on a tie.
          List<Object[]> events = new ArrayList<>();
          for (Call c : calls) {
            long[] t = CallStats.connectionTime(c);
            events.add(new Object[] {t[0], 1, c});
            events.add(new Object[] {t[1], 0, c});
          }
          events.sort(
              Comparator.<Object[]>comparingLong(e -> (Long) e[0])
                  .thenComparingInt(e -> (Integer) e[1]));
          int idle = ctx.stats.pooledAtStart(ctx.flow, host);
          for (Object[] e : events) {
            Call c = (Call) e[2];
            if ((Integer) e[1] == 0) {
              idle++;
            } else if (idle > 0) {
              idle--;
              if (opened(c)) {
                out.add(c);
              }
            }
          }
        });
    return out;
  }

  private static boolean opened(Call c) {
    return c.connectionReuse() == ConnectionReuse.NEW
        || (c.connectionReuse() == ConnectionReuse.UNKNOWN && c.connectionSetupNanos() > 0);
  }
}
