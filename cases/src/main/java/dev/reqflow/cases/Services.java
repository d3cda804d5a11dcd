package dev.reqflow.cases;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the slow services are, and how a case names a request to them: {@code svc("user", 120)} is
 * {@code http://127.0.0.1:PORT/svc/user?ms=120}, a service that answers in 120 ms (see {@code
 * dev.reqflow.cases.backend.SlowServices} for the other parameters).
 */
public final class Services {
  private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
  private static final Pattern NEXT = Pattern.compile("\"next\":\"([^\"]+)\"");

  private final String base;

  public Services(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String base() {
    return base;
  }

  /** The URL of service {@code name} answering in {@code ms}. */
  public String svc(String name, long ms) {
    return base + "/svc/" + name + "?ms=" + ms;
  }

  /** The URL of service {@code name} answering in {@code ms}, with more query parameters. */
  public String svc(String name, long ms, String moreQuery) {
    return svc(name, ms) + "&" + moreQuery;
  }

  /** The {@code id} a service answered with. */
  public static String id(String body) {
    return field(ID, body);
  }

  /** The {@code next} cursor a service answered with. */
  public static String next(String body) {
    return field(NEXT, body);
  }

  private static String field(Pattern p, String body) {
    Matcher m = p.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no " + p + " in " + body);
    }
    return m.group(1);
  }
}
