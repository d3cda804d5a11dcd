package dev.reqflow.viewer.flows;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the flow list writes for endpoint names in its narrow column: the part every endpoint shares
 * is written once, on a line above the list, and each row keeps what tells it apart. The sample
 * app's pages are {@code GET /home?strategy=serial-new-client}, {@code GET /home?strategy=pool-2},
 * ...: the rows read {@code serial-new-client}, {@code pool-2} under the line {@code Endpoints: GET
 * /home?strategy=…} and the column header {@code strategy}; a service's routes {@code GET /ads},
 * {@code GET /cart} lose their shared method only ({@code /ads}, {@code /cart}). Pure.
 */
public final class EndpointNames {
  private EndpointNames() {}

  /**
   * The leading part all of {@code names} share, cut just after a separator of a method, path or
   * query ({@code ' '}, {@code '?'}, {@code '&'}, {@code '='}) or just before a {@code '/'} (a path
   * keeps its slash); {@code ""} when fewer than two distinct names or nothing worth dropping.
   * Never a whole name: every name keeps at least one character after it.
   */
  public static String sharedPrefix(Collection<String> names) {
    Set<String> distinct = new TreeSet<>(names);
    if (distinct.size() < 2) {
      return "";
    }
    String first = ((TreeSet<String>) distinct).first();
    String last = ((TreeSet<String>) distinct).last();
    // In sorted order, the first and the last differ earliest: their common prefix is everyone's.
    int common = 0;
    int max = Math.min(first.length(), last.length());
    while (common < max && first.charAt(common) == last.charAt(common)) {
      common++;
    }
    int shortest = Integer.MAX_VALUE;
    for (String n : distinct) {
      shortest = Math.min(shortest, n.length());
    }
    for (int cut = Math.min(common, shortest - 1); cut > 0; cut--) {
      char before = first.charAt(cut - 1);
      char at = first.charAt(cut);
      if (before == ' ' || before == '?' || before == '&' || before == '=') {
        return first.substring(0, cut);
      }
      if (at == '/' && cut < common) {
        return first.substring(0, cut);
      }
    }
    return "";
  }

  /**
   * What the rows are once {@code prefix} (see {@link #sharedPrefix}) is taken off, as the name
   * column's header says it: the query parameter a prefix ends with ({@code GET /home?strategy=}
   * gives {@code strategy}), {@code query} after a {@code ?} or {@code &}, else {@code path} (the
   * prefix is a method, or ends just before a {@code /}).
   */
  public static String columnName(String prefix) {
    int start = Math.max(prefix.lastIndexOf('?'), prefix.lastIndexOf('&')) + 1;
    if (prefix.endsWith("=") && start > 0 && start < prefix.length() - 1) {
      return prefix.substring(start, prefix.length() - 1);
    }
    if (prefix.endsWith("?") || prefix.endsWith("&")) {
      return "query";
    }
    return "path";
  }

  /**
   * The shared prefix as the list says it once, above the rows: a template the rows fill in, in the
   * notation of URI templates (RFC 6570) with the column's name ({@code GET
   * /home?strategy={strategy}}, {@code GET {path}}); {@code ""} when there is none. Never ends in
   * an ellipsis, which would read as text cut for room.
   */
  public static String captionOf(String prefix) {
    if (prefix.isEmpty()) {
      return "";
    }
    return prefix + "{" + columnName(prefix) + "}";
  }

  /** {@code name} without {@code prefix} (see {@link #sharedPrefix}); the name when it lacks it. */
  public static String shown(String name, String prefix) {
    return !prefix.isEmpty() && name.startsWith(prefix) && name.length() > prefix.length()
        ? name.substring(prefix.length())
        : name;
  }
}
