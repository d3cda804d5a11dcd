package dev.reqflow.analysis;

/** What a suggestion is about; {@link #id()} is the stable name in reports and JSON. */
public enum SuggestionKind {
  PARALLELIZE("parallelize"),
  ISSUE_EARLIER("issue-earlier"),
  RAISE_POOL_LIMIT("raise-pool-limit"),
  REUSE_CONNECTIONS("reuse-connections"),
  BLOCKING_WAIT_ON_DISPATCHER("blocking-wait-on-dispatcher"),
  TIMEOUT_SLOW_CALL("timeout-slow-call"),
  DUPLICATE_CALL("duplicate-call"),
  RETRY_BACKOFF("retry-backoff"),
  SERIALIZED_BY_LOCK("serialized-by-lock"),
  CLOSE_RESPONSE_BODY("close-response-body");

  private final String id;

  SuggestionKind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * True for a defect to fix before anything else, ranked first whatever it saves: a response never
   * closed leaks its connection (and under load the client's whole pool), and every other
   * prediction on the page is made with the leak in it.
   */
  public boolean isDefect() {
    return this == CLOSE_RESPONSE_BODY;
  }
}
