package dev.reqflow.analysis;

import dev.reqflow.analysis.IdleConnections.Model;
import dev.reqflow.flow.Call;
import dev.reqflow.whatif.Change;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calls that opened a new connection where a client shared by the service would have had one free
 * (see {@link IdleConnections}). Connections that responses never closed kept are not free here,
 * and on a page with such responses the calls that closing them would let reuse a connection are
 * {@link CloseResponseBodyRule}'s: no client setting frees a leaked connection.
 */
final class ReuseConnectionsRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    Set<Call> avoidable = IdleConnections.avoidable(ctx, Model.AS_RECORDED);
    if (ctx.flow.calls().stream().anyMatch(Call::responseNotClosed)) {
      avoidable.removeAll(IdleConnections.avoidable(ctx, Model.CLOSED));
    }
    Map<String, Long> handshakes = new HashMap<>();
    List<Call> fresh = IdleConnections.savers(ctx, avoidable, handshakes);
    if (fresh.isEmpty()) {
      return List.of();
    }
    long setup = 0;
    long handshake = 0;
    Set<String> ids = new LinkedHashSet<>();
    for (Call c : fresh) {
      ids.add(c.spanId());
      setup += c.connectionSetupNanos();
      handshake += handshakes.getOrDefault(c.spanId(), 0L);
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
}
