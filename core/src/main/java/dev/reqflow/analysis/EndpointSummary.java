package dev.reqflow.analysis;

import java.util.List;

/**
 * The flows of one endpoint (same service and flow name) together.
 *
 * @param blockedShare the render threads' waiting time over their total time, 0..1
 * @param topBlockers the calls that held pages up longest in total, longest first
 * @param suggestions how often each kind of suggestion applied, most frequent first
 */
public record EndpointSummary(
    String service,
    String name,
    int flowCount,
    long p50Nanos,
    long p95Nanos,
    long maxNanos,
    double blockedShare,
    List<Blocker> topBlockers,
    List<SuggestionCount> suggestions) {
  public EndpointSummary {
    topBlockers = List.copyOf(topBlockers);
    suggestions = List.copyOf(suggestions);
  }

  /** A call (by site, method and URL path) that held pages up. */
  public record Blocker(String call, long totalBlockedNanos, int flows) {}

  /** One kind of suggestion: in how many flows it applied, and its median saving there. */
  public record SuggestionCount(SuggestionKind kind, int flows, long medianSavingNanos) {}
}
