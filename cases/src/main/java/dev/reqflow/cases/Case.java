package dev.reqflow.cases;

/**
 * One real-world pattern of slow outbound calls: a page that renders it badly, the same page fixed,
 * and the truth the analysis is judged against. A case is a small program like any application: its
 * pages run on the request thread of the case server ({@link CaseServer}) under the agent, with no
 * reqflow code of their own.
 *
 * <p>To add a case (a new client, a new pattern), write a class implementing this interface with a
 * public no-argument constructor and list it in {@code META-INF/services/dev.reqflow.cases.Case}:
 * the build loads both variants, analyses the recording and adds a row to the truth table.
 */
public interface Case {
  /** The URL segment and table name, e.g. {@code serial-calls}. */
  String name();

  /** What users report, in their words (the table's "pattern" column). */
  String pattern();

  /**
   * The suggestion kind ({@code parallelize}, ...) the analysis must rank first on the median bad
   * page; empty when the bad page has nothing to change (the fixed variant is then the same page).
   */
  String expectedKind();

  /** What the fixed variant changes, for the table. */
  String fix();

  /** Renders the page the bad way; throws when a call fails. */
  void bad(Services services) throws Exception;

  /** Renders the page the fixed way. */
  void fixed(Services services) throws Exception;

  /**
   * What the fix changes that the bad variant's recording cannot show (see {@link BlindCost}): the
   * prediction is then judged as a bound and its suggestion must name what it leaves out; null (the
   * default) when the bad recording shows every cost the fix changes.
   */
  default BlindCost blindInBad() {
    return null;
  }

  /** Pages loaded per variant, the warm-up ones included. */
  default int loads() {
    return 1 + 5;
  }

  /**
   * Whether the page at {@code index} (0-based, in load order) of a variant is judged: by default
   * all but the first, which warms up the JIT and the connection pools.
   */
  default boolean judged(int index) {
    return index >= 1;
  }
}
