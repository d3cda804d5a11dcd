package dev.reqflow.report;

import dev.reqflow.analysis.Suggestion;
import dev.reqflow.flow.Flow;

/**
 * Where to make a suggested change, in the report's words, for other front ends (the viewer): the
 * same lines the report's summary names after "at".
 */
public final class ChangeSites {
  private ChangeSites() {}

  /**
   * The code lines to change, at most two and how many more ({@code
   * HomePage.render(HomePage.java:32) and 2 more}), leaving out those the title names: where the
   * page waits for suggestions that move calls within it, where the evidence waited for blocking
   * and lock waits, else where the evidence calls were made; {@code ""} when the trace names no
   * line.
   */
  public static String of(Flow flow, Suggestion s) {
    return Summary.where(flow, s).phrase(s.kind(), s.title());
  }
}
