package dev.reqflow.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The order of suggestions: most time saved first; savings that differ by less than {@link
 * #TIE_SHARE} of the larger (or {@link #TIE_NANOS}, whichever is more) are a tie, measurement noise
 * rather than a difference, and a tie goes in {@link SuggestionKind} order: changes that keep the
 * page's requests as they are (issue together, earlier, a larger pool, reused connections, ...)
 * before those that drop requests ({@code duplicate-call}), since a repeated request may be
 * deliberate (two sections asking the same thing at once) and a larger pool or earlier issue saves
 * as much without deciding that. Deterministic: the result depends on the set, not its order.
 */
public final class Ranking {
  /** Savings closer than this share of the larger are a tie. */
  public static final double TIE_SHARE = 0.02;

  /** ...or closer than this. */
  public static final long TIE_NANOS = 1_000_000L;

  private Ranking() {}

  /** Suggestions best first (see the class doc). */
  public static List<Suggestion> suggestions(List<Suggestion> in) {
    return order(
        in,
        Suggestion::savingNanos,
        Comparator.comparing(Suggestion::kind).thenComparing(Suggestion::title));
  }

  /**
   * Items best first by {@code saving}, ties (see the class doc) by {@code onTie}, which must be a
   * total order for the result not to depend on the input's order.
   */
  public static <T> List<T> order(List<T> in, ToLongFunction<T> saving, Comparator<T> onTie) {
    List<T> bySaving = new ArrayList<>(in);
    bySaving.sort(Comparator.comparingLong(saving).reversed().thenComparing(onTie));
    List<T> out = new ArrayList<>(bySaving.size());
    int i = 0;
    while (i < bySaving.size()) {
      long top = saving.applyAsLong(bySaving.get(i));
      long floor = top - Math.max(TIE_NANOS, (long) (Math.abs(top) * TIE_SHARE));
      int j = i + 1;
      while (j < bySaving.size() && saving.applyAsLong(bySaving.get(j)) >= floor) {
        j++;
      }
      List<T> tie = new ArrayList<>(bySaving.subList(i, j));
      tie.sort(onTie.thenComparing(Comparator.comparingLong(saving).reversed()));
      out.addAll(tie);
      i = j;
    }
    return out;
  }
}
