package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Calls that opened a new connection each, where a shared client would have reused one. */
final class ReuseConnectionsRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    List<Call> fresh = new ArrayList<>();
    Map<String, Long> handshakes = new HashMap<>();
    long setup = 0;
    long handshake = 0;
    for (Call c : ctx.flow.calls()) {
      boolean isNew =
          c.connectionReuse() == ConnectionReuse.NEW
              || (c.connectionReuse() == ConnectionReuse.UNKNOWN && c.connectionSetupNanos() > 0);
      long h = c.connectionReuse() == ConnectionReuse.NEW ? ctx.stats.handshakeNanos(c) : 0;
      if (isNew && c.connectionSetupNanos() + h > 0) {
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
    List<String> ids = new ArrayList<>();
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
            + ":"
            + Explain.bullets(fresh)
            + "\nCreate one HTTP client (OkHttpClient, HttpClient) for the application and share it:"
            + " a client made per call cannot reuse its connections.";
    return List.of(
        Suggestions.make(
            ctx,
            SuggestionKind.REUSE_CONNECTIONS,
            title,
            explanation,
            ids,
            List.of(new Change.ReuseConnections(handshakes))));
  }
}
