package dev.reqflow.analysis;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.whatif.Change;
import java.util.ArrayList;
import java.util.List;

/**
 * A retry that waited first: a call failed, and the same thread made the same request again (same
 * request hash, or URL in clear) only after a pause in which it neither waited on a call nor made
 * one: a back-off ({@code Thread.sleep} in a retry library) on the page's path. Retry libraries
 * default to such pauses (Resilience4j: 500 ms, Spring Retry: 1 s) to spare a struggling server; a
 * page pays them in full.
 */
final class RetryBackoffRule implements Rule {
  /** Pauses shorter than this are the thread's own work, not a back-off. */
  static final long MIN_PAUSE_NANOS = 10_000_000L;

  @Override
  public List<Suggestion> apply(FlowContext ctx) {
    List<Suggestion> out = new ArrayList<>();
    List<Call> calls = ctx.flow.calls();
    for (Call retry : calls) {
      Call failed = attemptBefore(ctx, retry);
      if (failed == null) {
        continue;
      }
      long pause = retry.issueNanos() - failed.endNanos();
      String site = retry.callSite().isKnown() ? " at " + retry.callSite().label() : "";
      String status = failed.status() > 0 ? "with " + failed.status() : failed.error();
      String title =
          "Retry "
              + Explain.shortName(retry)
              + " without the "
              + Durations.format(pause)
              + " back-off, or fall back";
      String explanation =
          Explain.shortName(failed)
              + " failed ("
              + status
              + ") after "
              + Durations.format(failed.durationNanos())
              + site
              + ", and the page waited "
              + Durations.format(pause)
              + " before it tried again:"
              + Explain.bullets(List.of(failed, retry))
              + "\nA back-off spares a struggling server, but a page pays it in full: on the"
              + " page's path, retry at once (another replica, a hedged request) or use a fallback,"
              + " and leave back-offs to background work (Resilience4j waitDuration, Spring Retry"
              + " @Backoff).";
      out.add(
          Suggestions.make(
              ctx,
              SuggestionKind.RETRY_BACKOFF,
              title,
              explanation,
              List.of(failed.spanId(), retry.spanId()),
              List.of(new Change.RetrySooner(retry.spanId(), failed.spanId(), 0))));
    }
    return out;
  }

  /**
   * The failed attempt {@code retry} repeats: the latest earlier call of the same request, on the
   * same thread, that failed, after which the thread paused at least {@link #MIN_PAUSE_NANOS}
   * without waiting on or making another call; null when there is none.
   */
  private static Call attemptBefore(FlowContext ctx, Call retry) {
    if (!retry.requestKnown() || !retry.thread().isKnown()) {
      return null;
    }
    Call failed = null;
    for (Call c : ctx.flow.calls()) {
      if (c != retry
          && c.failed()
          && c.endNanos() <= retry.issueNanos()
          && c.thread().sameThread(retry.thread())
          && c.requestKey().equals(retry.requestKey())
          && (failed == null || c.endNanos() > failed.endNanos())) {
        failed = c;
      }
    }
    if (failed == null || retry.issueNanos() - failed.endNanos() < MIN_PAUSE_NANOS) {
      return null;
    }
    for (Call c : ctx.flow.calls()) {
      if (c.thread().sameThread(retry.thread())
          && c.issueNanos() > failed.endNanos()
          && c.issueNanos() < retry.issueNanos()) {
        return null;
      }
    }
    for (Block b : ctx.flow.blocks()) {
      if (b.thread().sameThread(retry.thread())
          && b.endNanos() > failed.endNanos() + MIN_PAUSE_NANOS / 2
          && b.startNanos() < retry.issueNanos()) {
        return null;
      }
    }
    return failed;
  }
}
