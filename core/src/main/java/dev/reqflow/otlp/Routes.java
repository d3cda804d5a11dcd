package dev.reqflow.otlp;

/**
 * Endpoint names for flows whose server did not name a route ({@code http.route}): path segments
 * that are identifiers become {@code {id}}, so that {@code GET /product/1} and {@code GET
 * /product/2} are one endpoint, as a route template would make them. An identifier is a segment of
 * digits, a UUID, or a run of 16 or more hexadecimal digits with at least one digit (object ids,
 * hashes); anything else is kept, so {@code /v1/users} and {@code /home/pool-2} stay as they are.
 */
final class Routes {
  static final String ID = "{id}";

  private Routes() {}

  /**
   * {@code name} ({@code "GET /product/1?strategy=x"}: a method, a space, a path, perhaps the query
   * that names the flow) with its path's identifier segments templated; a name of another shape is
   * returned as it is.
   */
  static String templated(String name) {
    int space = name.indexOf(' ');
    if (space <= 0 || space + 1 >= name.length() || name.charAt(space + 1) != '/') {
      return name;
    }
    int q = name.indexOf('?', space);
    int end = q < 0 ? name.length() : q;
    String path = name.substring(space + 1, end);
    String t = templatePath(path);
    return t.equals(path) ? name : name.substring(0, space + 1) + t + name.substring(end);
  }

  static String templatePath(String path) {
    StringBuilder out = null;
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        if (i > start && isId(path, start, i)) {
          if (out == null) {
            out = new StringBuilder(path.length()).append(path, 0, start);
          }
          out.append(ID);
        } else if (out != null) {
          out.append(path, start, i);
        }
        if (out != null && i < path.length()) {
          out.append('/');
        }
        start = i + 1;
      }
    }
    return out == null ? path : out.toString();
  }

  /**
   * A request path as an endpoint name wants it: without a query, fragment or {@code ;} path
   * parameters ({@code ;jsessionid=...}), runs of {@code /} made one, no trailing {@code /} but on
   * the root; {@code ""} becomes {@code /}.
   */
  static String normalizedPath(String path) {
    StringBuilder b = new StringBuilder(path.length() + 1);
    boolean skipping = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        break;
      }
      if (c == ';') {
        skipping = true;
        continue;
      }
      if (c == '/') {
        skipping = false;
        if (b.length() > 0 && b.charAt(b.length() - 1) == '/') {
          continue;
        }
      } else if (skipping) {
        continue;
      }
      b.append(c);
    }
    if (b.length() == 0 || b.charAt(0) != '/') {
      b.insert(0, '/');
    }
    if (b.length() > 1 && b.charAt(b.length() - 1) == '/') {
      b.setLength(b.length() - 1);
    }
    return b.toString();
  }

  /**
   * True when {@code route} names where a handler was mounted rather than a template of {@code
   * path}: it ends in {@code /*} (a servlet mapping), or it has no parameter ({@code {id}}, {@code
   * :id}) and is a strict prefix of the path (a JDK {@code HttpServer} context: {@code /} for
   * {@code /home}). A path of null (unknown) keeps the route.
   */
  static boolean isMountPoint(String route, String path) {
    if (route.endsWith("/*") || route.endsWith("/**")) {
      return path != null;
    }
    if (path == null || route.indexOf('{') >= 0 || route.contains("/:")) {
      return false;
    }
    String r = normalizedPath(route);
    return !r.equals(path) && (r.equals("/") || path.startsWith(r + "/"));
  }

  /**
   * The URL with each query value replaced by {@code REDACTED} ({@code /a?session=s-1&x} becomes
   * {@code /a?session=REDACTED&x}), its fragment dropped: how reqflow's agent writes URLs, for
   * traces of other tools that carry them in clear.
   */
  static String redactedQuery(String url) {
    int q = url.indexOf('?');
    if (q < 0) {
      return url;
    }
    int hash = url.indexOf('#', q);
    String query = url.substring(q + 1, hash < 0 ? url.length() : hash);
    StringBuilder b = new StringBuilder(url.length()).append(url, 0, q + 1);
    String[] parts = query.split("&", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        b.append('&');
      }
      int eq = parts[i].indexOf('=');
      if (eq < 0 || eq == parts[i].length() - 1) {
        b.append(parts[i]);
      } else {
        b.append(parts[i], 0, eq + 1).append(dev.reqflow.flow.Call.REDACTED);
      }
    }
    return b.toString();
  }

  private static boolean isId(String s, int from, int to) {
    int len = to - from;
    boolean digitsOnly = true;
    boolean hexOnly = true;
    boolean anyDigit = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      anyDigit |= digit;
      digitsOnly &= digit;
      hexOnly &= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    if (digitsOnly) {
      return true;
    }
    if (len == 36 && isUuid(s, from)) {
      return true;
    }
    return hexOnly && anyDigit && len >= 16;
  }

  private static boolean isUuid(String s, int from) {
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(from + i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (dash ? c != '-' : !hex) {
        return false;
      }
    }
    return true;
  }
}
