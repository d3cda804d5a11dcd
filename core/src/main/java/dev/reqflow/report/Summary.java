package dev.reqflow.report;

import dev.reqflow.analysis.AnalysisResult;
import dev.reqflow.analysis.EndpointSummary;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Ranking;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.analysis.SuggestionKind;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.CodeLocation;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "What to change first": one item per endpoint and kind of suggestion, defects first ({@link
 * SuggestionKind#isDefect}: a response never closed), then most time saved first.
 *
 * <p>The rank is the saving per page of the endpoint: the median saving where the suggestion
 * applies times the share of the endpoint's flows where it applies. A change that saves a lot on
 * every page thus comes before one that saves as much on one cold page out of ten, and an endpoint
 * with many flows does not outrank one with few just by being called more.
 */
record Summary(List<Summary.Item> items, List<EndpointSummary> unchanged, boolean oneService) {
  /** Items shown in text and Markdown; the rest are counted. */
  static final int SHOWN = 15;

  /**
   * One kind of suggestion on one endpoint.
   *
   * @param flows flows of the endpoint where it applies
   * @param medianSavingNanos median over those flows of the best saving of this kind
   * @param medianBeforeNanos median duration of those flows as recorded
   * @param medianAfterNanos median predicted duration of those flows with the change. Both are over
   *     the flows it applies to, not the whole endpoint: a change that applies to one cold flow of
   *     ten would otherwise show as no change of the median, or as making it worse.
   * @param title the title in the flow with the median saving
   * @param where where to change it: the code lines of the calls and waits that flow's suggestion
   *     names, in its order
   */
  record Item(
      EndpointSummary endpoint,
      SuggestionKind kind,
      int flows,
      long medianSavingNanos,
      long medianBeforeNanos,
      long medianAfterNanos,
      String title,
      Where where) {
    /** The rank: saving per flow of the endpoint. */
    long perFlowNanos() {
      return Math.round((double) medianSavingNanos * flows / endpoint.flowCount());
    }

    String endpointName() {
      return endpoint.service() + " " + endpoint.name();
    }
  }

  static Summary of(AnalysisResult analysis) {
    List<Item> items = new ArrayList<>();
    List<EndpointSummary> unchanged = new ArrayList<>();
    for (EndpointSummary e : analysis.endpoints()) {
      List<FlowReport> mine = new ArrayList<>();
      for (FlowReport r : analysis.flows()) {
        if (r.flow().service().equals(e.service()) && r.flow().name().equals(e.name())) {
          mine.add(r);
        }
      }
      Map<SuggestionKind, List<Best>> byKind = new EnumMap<>(SuggestionKind.class);
      for (FlowReport r : mine) {
        Map<SuggestionKind, Suggestion> best = new EnumMap<>(SuggestionKind.class);
        for (Suggestion s : r.suggestions()) {
          best.merge(s.kind(), s, (a, b) -> b.savingNanos() > a.savingNanos() ? b : a);
        }
        best.forEach(
            (k, s) -> byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(new Best(r, s)));
      }
      if (byKind.isEmpty()) {
        unchanged.add(e);
        continue;
      }
      byKind.forEach((k, bests) -> items.add(item(e, k, bests)));
    }
    // A defect (a response never closed) first whatever it saves; then, ties within an endpoint go
    // in kind order (Ranking); across endpoints, the larger first.
    List<Item> ranked =
        Ranking.defectsFirst(
            items,
            i -> i.kind().isDefect(),
            Item::perFlowNanos,
            Comparator.comparing(Item::endpointName)
                .thenComparing(Item::kind)
                .thenComparing(Comparator.comparingLong(Item::medianSavingNanos).reversed()));
    long services = analysis.endpoints().stream().map(EndpointSummary::service).distinct().count();
    return new Summary(ranked, unchanged, services <= 1);
  }

  private record Best(FlowReport flow, Suggestion suggestion) {}

  private static Item item(EndpointSummary e, SuggestionKind kind, List<Best> bests) {
    List<Best> sorted = new ArrayList<>(bests);
    sorted.sort(
        Comparator.comparingLong((Best b) -> b.suggestion().savingNanos())
            .thenComparing(b -> b.flow().flow().traceId())
            .thenComparing(b -> b.flow().flow().spanId()));
    Best median = sorted.get(nearestRank(sorted.size(), 0.5));
    long[] before = new long[bests.size()];
    long[] after = new long[bests.size()];
    for (int i = 0; i < bests.size(); i++) {
      before[i] = bests.get(i).flow().flow().durationNanos();
      after[i] = bests.get(i).suggestion().predictedNanos();
    }
    Arrays.sort(before);
    Arrays.sort(after);
    return new Item(
        e,
        kind,
        bests.size(),
        median.suggestion().savingNanos(),
        before[nearestRank(before.length, 0.5)],
        after[nearestRank(after.length, 0.5)],
        median.suggestion().title(),
        where(median.flow().flow(), median.suggestion()));
  }

  /** Nearest-rank index of quantile q in n sorted values, as the analysis computes medians. */
  private static int nearestRank(int n, double q) {
    int rank = (int) Math.ceil(q * n);
    return Math.min(n - 1, Math.max(0, rank - 1));
  }

  /**
   * Where to change it, from the suggestion's evidence: the lines that made its calls, and the
   * lines where threads waited (evidence waits, and the render thread's waits for its calls).
   */
  static Where where(Flow flow, Suggestion s) {
    Set<String> calls = new LinkedHashSet<>();
    Set<String> waits = new LinkedHashSet<>();
    Set<String> pageWaits = new LinkedHashSet<>();
    Set<String> pools = new LinkedHashSet<>();
    for (String id : s.spanIds()) {
      Call c = flow.call(id);
      if (c != null) {
        add(calls, c.callSite());
        add(pools, c.pool().createdAt());
        for (Block b : flow.renderBlocks()) {
          if (b.releasedBy().contains(id)) {
            add(pageWaits, b.site());
          }
        }
      } else {
        for (Block b : flow.blocks()) {
          if (b.spanId().equals(id)) {
            add(waits, b.site());
          }
        }
      }
    }
    return new Where(
        List.copyOf(calls), List.copyOf(waits), List.copyOf(pageWaits), List.copyOf(pools));
  }

  private static void add(Set<String> labels, CodeLocation where) {
    if (where.isKnown()) {
      labels.add(where.label());
    }
  }

  /**
   * Code lines: where the evidence calls were made, where the evidence waits were, where the render
   * thread waited for the evidence calls, and where the executors that queued them were created.
   */
  record Where(List<String> calls, List<String> waits, List<String> pageWaits, List<String> pools) {
    /**
     * The lines to name, at most two and how many more, leaving out those the title names: for
     * suggestions that move calls or waits within the page, where it waits; for a pool to raise,
     * where it was created; else where it calls.
     */
    String phrase(SuggestionKind kind, String title) {
      return phrase(kind, title, "");
    }

    /** As {@link #phrase(SuggestionKind, String)}, each line between {@code quote}s. */
    String phrase(SuggestionKind kind, String title, String quote) {
      List<String> first;
      switch (kind) {
        case PARALLELIZE:
        case ISSUE_EARLIER:
          first = pageWaits;
          break;
        case BLOCKING_WAIT_ON_DISPATCHER:
        case SERIALIZED_BY_LOCK:
          first = waits;
          break;
        case RAISE_POOL_LIMIT:
          // A pool's size is changed where it is made, when the trace says where.
          first = pools;
          break;
        default:
          first = calls;
          break;
      }
      return some(first.isEmpty() ? (calls.isEmpty() ? waits : calls) : first, title, quote);
    }

    private static String some(List<String> labels, String title, String quote) {
      List<String> left = new ArrayList<>();
      for (String l : labels) {
        if (!title.contains(l)) {
          left.add(quote + l + quote);
        }
      }
      if (left.isEmpty()) {
        return "";
      }
      String two = String.join(", ", left.subList(0, Math.min(2, left.size())));
      return left.size() > 2 ? two + " and " + (left.size() - 2) + " more" : two;
    }
  }

  /** The endpoint's name, with its service when the report covers more than one. */
  String name(EndpointSummary e) {
    return oneService || e.service().isEmpty() ? e.name() : e.name() + " (" + e.service() + ")";
  }

  List<Item> shown() {
    return items.subList(0, Math.min(SHOWN, items.size()));
  }
}
