package dev.reqflow.agent.recorder;

import java.util.List;

/**
 * What of a URL may leave the process: paths as they are, query values redacted unless the user
 * turned redaction off or named the parameter in {@code flow.query}, user info always redacted.
 */
final class Urls {
  private final boolean redactQuery;
  private final List<String> flowQueryKeys;

  Urls(boolean redactQuery, List<String> flowQueryKeys) {
    this.redactQuery = redactQuery;
    this.flowQueryKeys = List.copyOf(flowQueryKeys);
  }

  /** The path of {@code url} without query or fragment; {@code "/"} for none, "" for null. */
  static String pathOf(String url) {
    if (url == null) {
      return "";
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
    if (start < 0) {
      return "/";
    }
    int end = url.length();
    int q = url.indexOf('?', start);
    if (q >= 0) {
      end = q;
    }
    int h = url.indexOf('#', start);
    if (h >= 0 && h < end) {
      end = h;
    }
    return url.substring(start, end);
  }

  String redactUrl(String url) {
    if (url == null) {
      return "";
    }
    String u = url;
    int scheme = u.indexOf("://");
    if (scheme >= 0) {
      int slash = u.indexOf('/', scheme + 3);
      int at = u.lastIndexOf('@', slash < 0 ? u.length() : slash);
      if (at > scheme) {
        u = u.substring(0, scheme + 3) + "REDACTED:REDACTED@" + u.substring(at + 1);
      }
    }
    int q = u.indexOf('?');
    if (q < 0 || !redactQuery) {
      return u;
    }
    int hash = u.indexOf('#', q);
    int end = hash < 0 ? u.length() : hash;
    // One builder, no split: this runs for every recorded call.
    StringBuilder out = new StringBuilder(u.length() + 16);
    out.append(u, 0, q + 1);
    appendRedacted(out, u, q + 1, end, List.of());
    return out.append(u, end, u.length()).toString();
  }

  String redactQuery(String query) {
    return redactQuery(query, List.of());
  }

  /** An inbound query: every value redacted but those of the {@code flow.query} parameters. */
  String redactFlowQuery(String query) {
    return redactQuery(query, flowQueryKeys);
  }

  /** The query with every value redacted (unless redaction is off) but those of {@code keep}. */
  String redactQuery(String query, List<String> keep) {
    if (!redactQuery) {
      return query;
    }
    StringBuilder out = new StringBuilder(query.length() + 16);
    appendRedacted(out, query, 0, query.length(), keep);
    return out.toString();
  }

  /**
   * Appends the query {@code s[from, to)}, each {@code key=value} part with its value {@code
   * REDACTED} unless its key is in {@code keep}; parts without {@code =} as they are. Parts are
   * joined by {@code &} once something was written (an empty leading part leaves none).
   */
  private static void appendRedacted(
      StringBuilder out, String s, int from, int to, List<String> keep) {
    int base = out.length();
    int i = from;
    while (true) {
      int amp = s.indexOf('&', i);
      int partEnd = amp < 0 || amp > to ? to : amp;
      if (out.length() > base && i > from) {
        out.append('&');
      }
      int eq = s.indexOf('=', i);
      if (eq < 0 || eq >= partEnd || (!keep.isEmpty() && keep.contains(s.substring(i, eq)))) {
        out.append(s, i, partEnd);
      } else {
        out.append(s, i, eq + 1).append("REDACTED");
      }
      if (partEnd >= to) {
        return;
      }
      i = partEnd + 1;
    }
  }

  /**
   * The {@code flow.query} parameters of an inbound query, in the configured order, as they join
   * the flow's name ({@code ?strategy=pool-2}): requests that differ in them are different
   * endpoints. Empty when none is configured or present.
   */
  String flowNameQuery(String query) {
    if (flowQueryKeys.isEmpty()) {
      return "";
    }
    String[] parts = query.split("&", -1);
    StringBuilder out = new StringBuilder();
    for (String key : flowQueryKeys) {
      for (String part : parts) {
        if (part.startsWith(key + "=")) {
          out.append(out.length() == 0 ? '?' : '&').append(part);
          break;
        }
      }
    }
    return out.toString();
  }
}
