package dev.reqflow.analysis;

import dev.reqflow.analysis.IdleConnections.Model;
import dev.reqflow.contract.TraceContract.Incomplete;
import dev.reqflow.flow.Call;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Responses the application never closed: it had them (checked a status, say) but neither read
 * their bodies to the end nor closed them, so the client kept each one's connection and later calls
 * to the same host opened new ones. The agent exports such calls incomplete ({@code
 * reqflow.call.incomplete} {@code unreachable} or {@code unclosed}). The classic OkHttp leak: a
 * {@code Response} of {@code execute()} dropped after {@code isSuccessful()} (OkHttp then logs "A
 * connection to ... was leaked. Did you forget to close a response body?").
 *
 * <p>The replay closes each of those responses where the application last used it: the calls that
 * then find a connection idle ({@link IdleConnections}, {@link Model#CLOSED}) reuse it, losing
 * their connection setup and the handshake the recordings show. On a page that leaks, every
 * connection a call could have reused is this suggestion's, not {@link ReuseConnectionsRule}'s: the
 * analysis cannot tell one client from another, and the leak is why the page's client had none
 * free. A defect as well as a cost: {@link SuggestionKind#isDefect} ranks it first.
 */
final class CloseResponseBodyRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    List<Call> notClosed = new ArrayList<>();
    for (Call c : ctx.flow.calls()) {
      if (c.responseNotClosed()) {
        notClosed.add(c);
      }
    }
    if (notClosed.isEmpty()) {
      return List.of();
    }
    Set<Call> avoidable = IdleConnections.avoidable(ctx, Model.CLOSED);
    Map<String, Long> handshakes = new HashMap<>();
    List<Call> fresh = IdleConnections.savers(ctx, avoidable, handshakes);
    if (fresh.isEmpty()) {
      return List.of();
    }
    // Closing costs what is left of each body: OkHttp's close() reads it to the end (to keep the
    // connection), and the application waits for that where it closes the response.
    Map<String, Long> rest = new HashMap<>();
    int unknownRest = 0;
    int guessedRest = 0;
    long guessedNanos = 0;
    for (Call c : notClosed) {
      long body = ctx.stats.bodyNanos(ctx.flow, c);
      if (body < 0) {
        unknownRest++;
      } else {
        if (!ctx.stats.bodyOfSameRequestSeen(ctx.flow, c)) {
          guessedRest++;
          guessedNanos += body;
        }
        if (body > 0) {
          rest.put(c.spanId(), body);
        }
      }
    }
    Set<String> sites = new LinkedHashSet<>();
    boolean dropped = false;
    for (Call c : notClosed) {
      sites.add(c.callSite().isKnown() ? c.callSite().label() : "an unknown line");
      dropped |= Incomplete.UNREACHABLE.equals(c.incomplete());
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Call c : fresh) {
      ids.add(c.spanId());
    }
    for (Call c : notClosed) {
      ids.add(c.spanId());
    }
    // The title is all a summary shows: it says the responses were never closed, and where.
    String title =
        "Close the responses at "
            + String.join(", ", sites)
            + ": never closed, so "
            + Explain.plural(fresh.size(), "call", "calls")
            + " opened a new connection";
    String explanation =
        "The page never closed "
            + Explain.plural(notClosed.size(), "response", "responses")
            + ": it neither read the body to its end nor closed it ("
            + (dropped
                ? "the agent found responses dropped unclosed"
                : "the agent found them still open after the page ended")
            + "), so the client kept each one's connection and no later call could use it:"
            + Explain.bullets(notClosed)
            + "\nThat is why "
            + Explain.plural(fresh.size(), "call", "calls")
            + " opened a new connection where a closed response's would have been free:"
            + Explain.bullets(fresh)
            + "\nClose every response, also when only its status is checked: try (Response r ="
            + " call.execute()) { ... } with OkHttp; read a JDK HttpClient body stream to its end"
            + " or close it; close an HttpURLConnection's input stream; close Apache HttpClient's"
            + " response (or EntityUtils.consume its entity). Connections that are never given"
            + " back pile up until the garbage collector finds them (OkHttp then logs \"A"
            + " connection ... was leaked\")."
            + (unknownRest > 0
                ? "\nThe prediction leaves out reading the rest of "
                    + Explain.plural(unknownRest, "body", "bodies")
                    + " on close (OkHttp's close() reads what is left of a body): no recorded call"
                    + " to that host read one to its end, so its time is not known. The page may"
                    + " take longer than predicted."
                : guessedRest > 0
                    ? "\nThe prediction leaves out reading the rest of "
                        + Explain.plural(guessedRest, "body", "bodies")
                        + " on close (OkHttp's close() reads what is left of a body) but for what"
                        + " other requests to that host took to download theirs ("
                        + Durations.format(guessedNanos)
                        + " in total): no recorded call of the same request read its body to the"
                        + " end, and another request's body says nothing of this one's size. The"
                        + " page may take longer than predicted."
                    : rest.isEmpty()
                        ? ""
                        : "\nThe prediction counts the rest of each body, read on close (OkHttp's"
                            + " close() reads what is left of a body so that the connection can be"
                            + " reused), as long as the same request's body took where it was"
                            + " read.")
            + ReuseConnectionsRule.unknownHandshake(ctx, fresh);
    return List.of(
        Suggestions.make(
            ctx,
            SuggestionKind.CLOSE_RESPONSE_BODY,
            title,
            explanation,
            ids,
            List.of(
                new Change.ReuseConnections(idsOf(fresh), handshakes),
                new Change.CloseResponses(rest))));
  }

  private static Set<String> idsOf(List<Call> calls) {
    Set<String> ids = new LinkedHashSet<>();
    for (Call c : calls) {
      ids.add(c.spanId());
    }
    return ids;
  }
}
