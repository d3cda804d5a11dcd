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
            + advice(ctx, fresh)
            + unknownHandshake(ctx, fresh);
    return List.of(
        Suggestions.make(
            ctx,
            SuggestionKind.REUSE_CONNECTIONS,
            title,
            explanation,
            ids,
            List.of(new Change.ReuseConnections(ids, handshakes))));
  }

  /**
   * What the prediction leaves out for new connections to hosts where the recordings did not
   * compare new and reused connections (keep-alive off everywhere, say, or too few calls): whatever
   * a new connection costs a first response beyond the phases the client shows, which only that
   * comparison measures; empty when every host's was compared.
   */
  static String unknownHandshake(FlowContext ctx, List<Call> fresh) {
    Set<String> neverReused = new java.util.TreeSet<>();
    Set<String> tooFew = new java.util.TreeSet<>();
    for (Call c : fresh) {
      if (c.connectionReuse() != dev.reqflow.flow.ConnectionReuse.NEW
          || ctx.stats.handshakeKnown(ctx.flow, c)) {
        continue;
      }
      (ctx.stats.reuseSeen(ctx.flow, c) ? tooFew : neverReused).add(c.hostPort());
    }
    if (neverReused.isEmpty() && tooFew.isEmpty()) {
      return "";
    }
    List<String> why = new java.util.ArrayList<>();
    if (!neverReused.isEmpty()) {
      why.add("no recorded call to " + String.join(", ", neverReused) + " reused a connection");
    }
    if (!tooFew.isEmpty()) {
      why.add(
          "no request to "
              + String.join(", ", tooFew)
              + " was recorded "
              + CallStats.MIN_HANDSHAKE_SAMPLES
              + " times on new and on reused connections");
    }
    return "\nThe prediction leaves out what else a new connection costs a first response (a remote"
        + " host's handshake, a server's accept): "
        + String.join(", and ", why)
        + ", so there is nothing to compare with. The page may take less than predicted.";
  }

  /** The JDK's keep-alive cache keeps at most this many idle connections per host by default. */
  static final int JDK_KEEP_ALIVE_DEFAULT = 5;

  /**
   * What makes connections reusable with each client these calls went through, one paragraph per
   * client (the client ids of {@code TraceContract.Client}; the sources are each client's
   * documentation: OkHttp's {@code OkHttpClient} and {@code ConnectionPool}, {@code
   * java.net.http.HttpClient}, Apache HttpClient's connection management, Reactor Netty's {@code
   * ConnectionProvider}, and the JDK's networking properties for {@code HttpURLConnection}).
   */
  static String advice(FlowContext ctx, List<Call> fresh) {
    Set<String> clients = new java.util.TreeSet<>();
    for (Call c : fresh) {
      clients.add(c.client());
    }
    StringBuilder out = new StringBuilder();
    for (String client : clients) {
      out.append('\n').append(adviceFor(client, ctx));
    }
    return out.toString();
  }

  private static String adviceFor(String client, FlowContext ctx) {
    switch (client) {
      case "okhttp":
        return "OkHttp: create one OkHttpClient for the application and share it (derive variants"
            + " with newBuilder(), which keeps its connection pool); a client made per call cannot"
            + " reuse its connections. Close each Response (or its body) so that the connection"
            + " goes back to the pool.";
      case "jdk-httpclient":
        return "java.net.http.HttpClient: create one HttpClient for the application and share it;"
            + " each HttpClient has a connection pool of its own, so one made per call cannot"
            + " reuse its connections.";
      case "apache-httpclient5":
      case "apache-httpclient5-async":
      case "apache-httpclient4":
        return "Apache HttpClient: create one client with a pooling connection manager and share"
            + " it; consume each response's entity to its end (EntityUtils.consume) and close the"
            + " response, so that its connection goes back to the pool.";
      case "reactor-netty":
        return "Reactor Netty / WebClient: build one WebClient (one HttpClient with its"
            + " ConnectionProvider) and share it; a client built per call, or"
            + " ConnectionProvider.newConnection(), opens a connection for each call.";
      case "httpurlconnection":
        int perHost = maxConcurrentPerHost(ctx, "httpurlconnection");
        return "HttpURLConnection (RestTemplate's default) shares the JDK's keep-alive cache, so"
            + " there is no client to share: read each response body to its end and close its"
            + " stream (the error stream too, on 4xx/5xx) instead of calling disconnect(), so that"
            + " the connection goes back to the cache, and leave http.keepAlive on."
            + (perHost > JDK_KEEP_ALIVE_DEFAULT
                ? " This page had "
                    + perHost
                    + " calls to one host at once: the cache keeps "
                    + JDK_KEEP_ALIVE_DEFAULT
                    + " idle connections per host unless the system property http.maxConnections"
                    + " says more (-Dhttp.maxConnections="
                    + perHost
                    + ")."
                : "");
      default:
        return "Create one HTTP client for the application and share it, and keep its connections"
            + " alive: a client made per call cannot reuse its connections.";
    }
  }

  /** The most calls of that client to one host the flow had in flight at once. */
  private static int maxConcurrentPerHost(FlowContext ctx, String client) {
    dev.reqflow.flow.Flow.Builder only =
        dev.reqflow.flow.Flow.builder(ctx.flow.traceId(), ctx.flow.spanId())
            .time(ctx.flow.startNanos(), ctx.flow.endNanos());
    for (Call c : ctx.flow.calls()) {
      if (c.client().equals(client)) {
        only.addCall(c);
      }
    }
    int max = 0;
    for (int n : CallStats.concurrency(only.build()).values()) {
      max = Math.max(max, n);
    }
    return max;
  }
}
