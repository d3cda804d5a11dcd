package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.analysis.EndpointSummary.Blocker;
import dev.reqflow.analysis.EndpointSummary.SuggestionCount;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis: pure functions from flows to findings. Deterministic; safe to call from any thread.
 */
public final class Analysis {
  /** Top blockers listed per endpoint. */
  static final int TOP_BLOCKERS = 5;

  private Analysis() {}

  /** The render thread's running and blocked segments. Memoised per flow instance. */
  public static CriticalPath criticalPath(Flow flow) {
    return CriticalPaths.of(flow);
  }

  /**
   * As {@link #criticalPath}, not memoised: for callers that keep each path themselves (a {@link
   * FlowReport} per flow of a file). The memo's weak keys let a flow go, but its path stays in the
   * memo until the memo is next used: the paths of a million-span file (326 of the 541 MB its open
   * left live, measured) stayed live after the viewer let its flows go.
   */
  public static CriticalPath criticalPathUnmemoised(Flow flow) {
    return CriticalPaths.compute(flow);
  }

  /**
   * Suggestions for one flow on its own, best saving first. Without other flows there is no history
   * of its calls, so no {@code timeout-slow-call}: use {@link #analyse} for that.
   */
  public static List<Suggestion> suggest(Flow flow) {
    return Suggestions.of(new FlowContext(flow, CallStats.of(List.of(flow))));
  }

  /**
   * Suggestions for one flow, with other flows as the history of its calls: the flows of its
   * endpoint for timeouts (from their distribution), those of its service for connections
   * (handshakes learned from reused connections, connections a shared client would have kept). The
   * result depends on which flows the history holds, not on their order, nor on flows of other
   * services or endpoints in it. For many flows at once, {@link #analyse} computes the history
   * once.
   */
  public static List<Suggestion> suggest(Flow flow, List<Flow> history) {
    List<Flow> all = new ArrayList<>(history);
    if (!history.contains(flow)) {
      all.add(flow);
    }
    return Suggestions.of(new FlowContext(flow, CallStats.of(all)));
  }

  /**
   * Suggestions for each flow, with the flows as each other's history (see {@link #suggest(Flow,
   * List)}: a flow's suggestions are the same whichever other services' flows come with it, and in
   * whatever order), and a summary per endpoint. Uses the common pool for large inputs; the result
   * does not depend on it.
   */
  public static AnalysisResult analyse(List<Flow> flows) {
    CallStats stats = CallStats.of(flows);
    List<FlowReport> reports =
        (flows.size() > 1000 ? flows.parallelStream() : flows.stream())
            .map(f -> Suggestions.report(new FlowContext(f, stats)))
            .toList();
    return new AnalysisResult(reports, endpoints(reports));
  }

  /**
   * The reports of some flows with a larger set as their history: what {@link #analyse} of {@code
   * history} gives for them, without analysing the rest. Lets a viewer analyse huge flows after the
   * others and still give them exactly the suggestions the report gives. {@code flows} not in
   * {@code history} are added to it.
   */
  public static List<FlowReport> reports(List<Flow> flows, List<Flow> history) {
    List<Flow> all = history;
    java.util.Set<Flow> known =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    known.addAll(history);
    for (Flow f : flows) {
      if (!known.contains(f)) {
        if (all == history) {
          all = new ArrayList<>(history);
        }
        all.add(f);
      }
    }
    CallStats stats = CallStats.of(all);
    return (flows.size() > 1000 ? flows.parallelStream() : flows.stream())
        .map(f -> Suggestions.report(new FlowContext(f, stats)))
        .toList();
  }

  /**
   * The result of reports already made (by {@link #analyse} or {@link #reports}): adds the
   * summaries per endpoint.
   */
  public static AnalysisResult result(List<FlowReport> reports) {
    return new AnalysisResult(reports, endpoints(reports));
  }

  static List<EndpointSummary> endpoints(List<FlowReport> reports) {
    Map<String, List<FlowReport>> byEndpoint = new LinkedHashMap<>();
    for (FlowReport r : reports) {
      byEndpoint
          .computeIfAbsent(r.flow().service() + "\u0000" + r.flow().name(), k -> new ArrayList<>())
          .add(r);
    }
    List<EndpointSummary> out = new ArrayList<>();
    for (List<FlowReport> group : byEndpoint.values()) {
      out.add(summarise(group));
    }
    out.sort(Comparator.comparing(EndpointSummary::service).thenComparing(EndpointSummary::name));
    return out;
  }

  private static EndpointSummary summarise(List<FlowReport> group) {
    long[] durations = new long[group.size()];
    long total = 0;
    long blocked = 0;
    Map<CallStats.Key, long[]> blockers = new HashMap<>();
    Map<SuggestionKind, List<Long>> kinds = new EnumMap<>(SuggestionKind.class);
    for (int i = 0; i < group.size(); i++) {
      FlowReport r = group.get(i);
      durations[i] = r.flow().durationNanos();
      total += durations[i];
      blocked += r.criticalPath().blockedNanos();
      Map<CallStats.Key, Boolean> seen = new HashMap<>();
      for (Segment s : r.criticalPath().segments()) {
        if (s.kind() == Kind.BLOCKED && s.releasedBy() != null) {
          CallStats.Key key = CallStats.key(r.flow(), s.releasedBy());
          long[] acc = blockers.computeIfAbsent(key, k -> new long[2]);
          acc[0] += s.durationNanos();
          if (seen.put(key, true) == null) {
            acc[1]++;
          }
        }
      }
      Map<SuggestionKind, Long> best = new EnumMap<>(SuggestionKind.class);
      for (Suggestion s : r.suggestions()) {
        best.merge(s.kind(), s.savingNanos(), Math::max);
      }
      best.forEach((k, v) -> kinds.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    Arrays.sort(durations);
    List<Blocker> top = new ArrayList<>();
    blockers.forEach((k, v) -> top.add(new Blocker(k.toString(), v[0], (int) v[1])));
    top.sort(
        Comparator.comparingLong(Blocker::totalBlockedNanos)
            .reversed()
            .thenComparing(Blocker::call));
    List<SuggestionCount> counts = new ArrayList<>();
    kinds.forEach(
        (k, savings) -> {
          long[] s = savings.stream().mapToLong(Long::longValue).sorted().toArray();
          counts.add(new SuggestionCount(k, s.length, Percentiles.nearestRank(s, 0.5)));
        });
    counts.sort(
        Comparator.comparing((SuggestionCount c) -> !c.kind().isDefect())
            .thenComparing(Comparator.comparingInt(SuggestionCount::flows).reversed())
            .thenComparing(SuggestionCount::kind));
    Flow first = group.get(0).flow();
    return new EndpointSummary(
        first.service(),
        first.name(),
        group.size(),
        Percentiles.nearestRank(durations, 0.5),
        Percentiles.nearestRank(durations, 0.95),
        durations[durations.length - 1],
        total == 0 ? 0 : (double) blocked / total,
        top.subList(0, Math.min(TOP_BLOCKERS, top.size())),
        counts);
  }
}
