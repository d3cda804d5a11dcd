package dev.reqflow.sample.page;

import dev.reqflow.sample.http.Query;

/**
 * What a page request carries: the visitor's session, the user id that came with it (the other
 * strategies' shortcut: the {@code dependent} page resolves it from the session instead), and the
 * query, for strategy options such as {@code perHost} or {@code timeoutMs}.
 */
public record PageRequest(String session, String userId, Query query) {
  public static final String DEFAULT_SESSION = "s-1042";
  public static final String DEFAULT_USER_ID = "u-1042";

  static PageRequest from(Query query) {
    return new PageRequest(
        query.get("session", DEFAULT_SESSION), query.get("userId", DEFAULT_USER_ID), query);
  }
}
