package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.PhaseKind;
import java.util.List;

/** Wording shared by the rules. */
final class Explain {
  private Explain() {}

  /** {@code GET http://users/u/1 at Home.render(Home.java:31), 240 ms}. */
  static String call(Call c) {
    String site = c.callSite().isKnown() ? " at " + c.callSite().label() : "";
    return c.label() + site + ", " + Durations.format(c.durationNanos());
  }

  static String bullets(List<Call> calls) {
    StringBuilder sb = new StringBuilder();
    for (Call c : calls) {
      sb.append("\n  - ").append(call(c));
    }
    return sb.toString();
  }

  /**
   * The calls that waited in a pool's queue, each with that wait and its whole time ({@code queued
   * 613 ms of 817 ms}): a list under "N calls waited X in total in the queue" reads as those waits.
   * Calls that queued under a tenth of the longest wait (a dispatcher's hand-off to its thread, not
   * a wait for a slot) are one closing line: how many, and their longest wait.
   */
  static String queuedBullets(List<Call> calls) {
    long longest = 0;
    for (Call c : calls) {
      longest = Math.max(longest, c.phaseNanos(PhaseKind.QUEUED));
    }
    StringBuilder sb = new StringBuilder();
    int brief = 0;
    long briefLongest = 0;
    for (Call c : calls) {
      long q = c.phaseNanos(PhaseKind.QUEUED);
      if (q * 10 < longest) {
        brief++;
        briefLongest = Math.max(briefLongest, q);
        continue;
      }
      String site = c.callSite().isKnown() ? " at " + c.callSite().label() : "";
      sb.append("\n  - ")
          .append(c.label())
          .append(site)
          .append(", queued ")
          .append(Durations.format(q))
          .append(" of ")
          .append(Durations.format(c.durationNanos()));
    }
    if (brief > 0) {
      sb.append("\n  - and ")
          .append(plural(brief, "call", "calls"))
          .append(" queued briefly, at most ")
          .append(Durations.format(briefLongest));
    }
    return sb.toString();
  }

  static String plural(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** The short name of a call for titles: method and path, or host. */
  static String shortName(Call c) {
    String url = c.url();
    int scheme = url.indexOf("://");
    if (scheme >= 0) {
      int slash = url.indexOf('/', scheme + 3);
      url = slash >= 0 ? url.substring(slash) : url.substring(scheme + 3);
    }
    int q = url.indexOf('?');
    if (q >= 0) {
      url = url.substring(0, q);
    }
    String what = url.isEmpty() ? c.hostPort() : url;
    return c.method().isEmpty() ? what : c.method() + " " + what;
  }
}
