package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls that queued on one monitor or lock: a thread held it for a whole call, so the calls the
 * page issued together ran one at a time (a client wrapper whose methods are {@code synchronized},
 * a {@code ReentrantLock} around the request). The replay takes the lock away: each call runs as
 * issued. Semaphores are limits, not locks: {@link SemaphoreLimitRule}.
 */
final class SerializedByLockRule implements Rule {
  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    List<Suggestion> out = new ArrayList<>();
    for (LockWaits g : LockWaits.of(ctx.flow)) {
      List<Call> calls = g.calls();
      if (g.isSemaphore() || g.delayed.isEmpty() || calls.size() < 2) {
        continue;
      }
      String where = g.site.isKnown() ? ", at " + g.site.label() : "";
      String title = "Do not hold " + shortLabel(g) + " while calling" + where;
      String explanation =
          Explain.plural(g.delayed.size(), "call", "calls")
              + " waited "
              + Durations.format(g.waitedNanos())
              + " in total for "
              + g.label
              + where
              + ", held by another call each time, so the page's calls ran one at a time:"
              + LockWaits.bullets(g, calls)
              + "\nThe lock is held from the request to the response. HTTP clients are safe to"
              + " share between threads: do not hold the lock around the call (drop synchronized"
              + " from the client's method, or lock only the shared state it guards).";
      List<String> ids = new ArrayList<>(g.blockIds());
      for (Call c : calls) {
        ids.add(c.spanId());
      }
      out.add(
          Suggestions.make(
              ctx,
              SuggestionKind.SERIALIZED_BY_LOCK,
              title,
              explanation,
              ids,
              List.of(new Change.RemoveLockWaits(g.blockIds()), ConnectionsNeeded.of(ctx))));
    }
    return out;
  }

  /** {@code the monitor of Client}: the lock with its class's simple name, for titles. */
  private static String shortLabel(LockWaits g) {
    if (g.lock.isEmpty()) {
      return g.label;
    }
    String simple = g.lock.substring(g.lock.lastIndexOf('.') + 1);
    return g.label.replace(g.lock, simple);
  }
}
