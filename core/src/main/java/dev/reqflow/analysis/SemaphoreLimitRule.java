package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls that queued for the permits of a {@code java.util.concurrent.Semaphore}. A semaphore is a
 * limit someone sized (to protect a backend, to bound memory), not a lock to take away: the change
 * is its number of permits, and the suggestion is a {@code raise-pool-limit} like an executor's.
 * The permits are not in the trace; the limit shown is the most calls that ran at once behind it.
 * The replay gives it as many permits as the page's calls through it, so that none waits.
 */
final class SemaphoreLimitRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    List<Suggestion> out = new ArrayList<>();
    for (LockWaits g : LockWaits.of(ctx.flow)) {
      List<Call> calls = g.calls();
      int limit = g.observedLimit();
      if (!g.isSemaphore() || g.delayed.isEmpty() || calls.size() <= Math.max(1, limit)) {
        continue;
      }
      String where = g.site.isKnown() ? " at " + g.site.label() : "";
      String from = limit > 0 ? " from " + limit : "";
      String title =
          "Raise the permits of the Semaphore acquired" + where + from + " to " + calls.size();
      String explanation =
          Explain.plural(g.delayed.size(), "call", "calls")
              + " waited "
              + Durations.format(g.waitedNanos())
              + " in total for a permit of the "
              + LockWaits.SEMAPHORE
              + " acquired"
              + where
              + (limit > 0 ? ", which let at most " + limit + " of them run at once" : "")
              + ":"
              + LockWaits.bullets(g, calls)
              + "\nTo run all "
              + calls.size()
              + " of this page's calls at once, give it "
              + calls.size()
              + " permits (new Semaphore("
              + calls.size()
              + ")). If it protects a backend that cannot take more, the page's time is the price"
              + " of that limit.";
      List<String> ids = new ArrayList<>(g.blockIds());
      for (Call c : calls) {
        ids.add(c.spanId());
      }
      out.add(
          Suggestions.make(
              ctx,
              SuggestionKind.RAISE_POOL_LIMIT,
              title,
              explanation,
              ids,
              List.of(new Change.RemoveLockWaits(g.blockIds()), ConnectionsNeeded.of(ctx))));
    }
    return out;
  }
}
