package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.PhaseKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a flow got no suggestion: a silent "nothing" reads as an all-clear, and it may only mean that
 * reqflow could not tell. The first that applies: no waits recorded, no calls, the page never
 * waited on a call, it answered without calls it gave up on (a timeout), its waits are one chain of
 * calls each needing the one before (data or callback links), its calls queued behind other flows'
 * work that was not analysed with it, what could change saves too little (the change named), it
 * waited on something no recorded call released (which calls, and their queues, unknown), it issued
 * its calls together and none queued, or, when none of these applies, that no rule matched its
 * waits. Every output (text, Markdown, JSON, the viewer) shows this one sentence, through {@link
 * FlowReport#noSuggestionsLine()}.
 */
final class WhyNone {
  private WhyNone() {}

  /** For a flow that had not ended: the reports list it with the stalled flows. */
  static final String IN_PROGRESS =
      "it had not ended when the trace was written (see the stalled flows, first)";

  /** For a flow that stalled on a deadlock and ended later: the deadlock's fix comes first. */
  static final String DEADLOCKED_THEN_ENDED =
      "it stalled on a deadlock and ended only later, so its times are the deadlock's (see the"
          + " stalled flows, first)";

  /** For a flow that stalled and ended later, before the reason it got no suggestion. */
  static final String STALLED_THEN_ENDED =
      "it stalled and ended only later (see the stalled flows, first)";

  /** The reason, given the best saving any rule found (0 when none found anything). */
  static String of(FlowContext ctx, Suggestion best, long minSavingNanos) {
    if (!ctx.flow.waitsRecorded()) {
      return "no waits recorded (not traced by the reqflow agent), so not which calls held the page"
          + " up";
    }
    if (ctx.flow.calls().isEmpty()) {
      return "no outbound calls recorded";
    }
    if (ctx.path.blockedNanos() == 0) {
      return "the page never waited on a call";
    }
    String gaveUp = gaveUp(ctx);
    if (!gaveUp.isEmpty()) {
      return gaveUp;
    }
    List<Call> chain = dependentChain(ctx);
    if (chain.size() >= 2) {
      StringBuilder names = new StringBuilder();
      for (Call c : chain) {
        names.append(names.length() == 0 ? "" : " -> ").append(Explain.shortName(c));
      }
      return "the waits are one dependent chain, each call needing the one before it: " + names;
    }
    String behind = queuedBehindOthers(ctx);
    if (!behind.isEmpty()) {
      return behind;
    }
    if (best != null && best.savingNanos() > 0) {
      return "the best change found ("
          + best.kind().id()
          + ": "
          + best.title()
          + ") would save "
          + Durations.format(best.savingNanos())
          + ", under the threshold of "
          + Durations.format(minSavingNanos)
          + " ("
          + Math.round(100 * Suggestions.MIN_SAVING_SHARE)
          + "% of the flow, and at least "
          + Durations.format(Suggestions.MIN_SAVING_NANOS)
          + ")";
    }
    String unlinked = unlinkedWait(ctx);
    if (!unlinked.isEmpty()) {
      return unlinked;
    }
    if (ctx.flow.calls().size() == 1 && issuedTogether(ctx)) {
      // One call: nothing to issue together, and "the slowest" of one reads oddly.
      return "it made one call and waited on it: that call's time sets its own";
    }
    if (issuedTogether(ctx)) {
      return "it issued the calls it waited for together, before waiting, and none of them"
          + " queued: the slowest sets its time";
    }
    return "no rule matched its waits (none of the patterns reqflow knows)";
  }

  /**
   * When the page answered while calls it issued ran on (a timeout, a result it gave up on): its
   * time was that limit, not its calls', and no replay of its calls can say what a change would
   * save. {@code ""} otherwise.
   */
  private static String gaveUp(FlowContext ctx) {
    java.util.Map<String, Long> ranOn = ctx.flow.callsRunOn();
    if (ranOn.isEmpty()) {
      return "";
    }
    long longest = 0;
    for (long nanos : ranOn.values()) {
      longest = Math.max(longest, nanos);
    }
    return "it answered without waiting for "
        + Explain.plural(ranOn.size(), "call", "calls")
        + " it issued, which ran on up to "
        + Durations.format(longest)
        + " after it (a timeout, or a result it gave up on): its time is that limit, not its"
        + " calls'; see which calls it gave up on";
  }

  /**
   * When calls of the flow queued in a pool longer than its own calls explain, by more than a
   * suggestion must save: they waited behind other flows' work, and the flows that filled the pool
   * were not analysed with this one (else the pool-limit rule would size it). {@code ""} otherwise.
   */
  private static String queuedBehindOthers(FlowContext ctx) {
    long external = 0;
    String pool = "";
    int limit = 0;
    for (Call c : ctx.flow.calls()) {
      long e = ctx.externalQueueNanos(c);
      if (e > 0) {
        external += e;
        if (pool.isEmpty()) {
          pool = c.pool().name();
          limit = c.pool().effectiveLimit();
        }
      }
    }
    if (external < Suggestions.minSaving(ctx)) {
      return "";
    }
    return "its calls queued behind other flows: "
        + Durations.format(external)
        + " in '"
        + pool
        + "'"
        // A limit the trace does not give is not "at most 0" (Reactor Netty's pool records only
        // its per-host limit).
        + (limit > 0 ? " (at most " + limit + " at once)" : "")
        + " that its own calls do not explain, and the flows that filled it were not"
        + " analysed with it; report them together to size the pool";
  }

  /**
   * When the page waited on something no recorded call released (a {@code Mono.zip} of blocking
   * calls moved to {@code Schedulers.boundedElastic()}, seen on a real service): which calls it
   * waited for, and whether they queued, is unknown, so "issued together, none queued" would be an
   * all-clear said blind. Names the longest queue of the flow's calls, which may be what the page
   * waited for. {@code ""} when every wait was released by a call, or the others were too short to
   * hide a saving worth suggesting.
   */
  private static String unlinkedWait(FlowContext ctx) {
    long unlinked = 0;
    for (Segment s : ctx.path.segments()) {
      if (s.kind() == Kind.BLOCKED && s.releasedBy() == null && s.chain().isEmpty()) {
        unlinked += s.durationNanos();
      }
    }
    // A wait too short to hide a saving worth suggesting leaves the sentence about the rest true.
    if (unlinked == 0 || unlinked < Suggestions.minSaving(ctx)) {
      return "";
    }
    Call queued = null;
    for (Call c : ctx.flow.calls()) {
      if (queued == null || c.phaseNanos(PhaseKind.QUEUED) > queued.phaseNanos(PhaseKind.QUEUED)) {
        queued = c;
      }
    }
    long longest = queued == null ? 0 : queued.phaseNanos(PhaseKind.QUEUED);
    return "the page waited "
        + Durations.format(unlinked)
        + " on something no recorded call released, so reqflow cannot tell which of its calls it"
        + " waited for, nor whether they were issued together"
        + (longest > Suggestions.MIN_SAVING_NANOS
            ? "; its calls queued up to "
                + Durations.format(longest)
                + (queued.pool().name().isEmpty() ? "" : " in '" + queued.pool().name() + "'")
                + " before they ran, which the page may have waited for"
            : "");
  }

  /**
   * True when every call the page waited for was issued before its first wait and did not queue
   * (beyond a client's dispatch, a few milliseconds).
   */
  private static boolean issuedTogether(FlowContext ctx) {
    long firstWait = Long.MAX_VALUE;
    for (Segment s : ctx.path.segments()) {
      if (s.kind() == Kind.BLOCKED) {
        firstWait = Math.min(firstWait, s.startNanos());
      }
    }
    for (Segment s : ctx.path.segments()) {
      Call c = s.releasedBy();
      if (c != null
          && (c.issueNanos() > firstWait
              || c.phaseNanos(PhaseKind.QUEUED) > Suggestions.MIN_SAVING_NANOS)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The calls the page waited for, in order, when each needs the one before it (a data or callback
   * dependency, directly or through the calls in between); empty otherwise.
   */
  static List<Call> dependentChain(FlowContext ctx) {
    List<Call> waited = new ArrayList<>();
    for (Segment s : ctx.path.segments()) {
      if (s.kind() != Kind.BLOCKED) {
        continue;
      }
      for (Call c :
          s.chain().isEmpty() && s.releasedBy() != null ? List.of(s.releasedBy()) : s.chain()) {
        if (waited.stream().noneMatch(x -> x == c)) {
          waited.add(c);
        }
      }
    }
    if (waited.size() < 2) {
      return List.of();
    }
    for (int i = 1; i < waited.size(); i++) {
      if (!needs(ctx, waited.get(i), waited.get(i - 1), 0)) {
        return List.of();
      }
    }
    return waited;
  }

  /** True when {@code later} depends on {@code earlier} in data or by callback, transitively. */
  private static boolean needs(FlowContext ctx, Call later, Call earlier, int depth) {
    if (depth > 16) {
      return false;
    }
    for (Dependency d : later.dependencies()) {
      if (d.type() == DependencyType.AFTER_WAIT) {
        continue;
      }
      Call dep = ctx.flow.call(d.spanId());
      if (dep == earlier || (dep != null && dep != later && needs(ctx, dep, earlier, depth + 1))) {
        return true;
      }
    }
    return false;
  }
}
