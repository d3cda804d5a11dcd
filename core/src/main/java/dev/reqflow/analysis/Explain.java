package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
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
