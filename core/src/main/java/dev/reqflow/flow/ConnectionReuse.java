package dev.reqflow.flow;

/** Whether a call went over a connection that an earlier call had opened. */
public enum ConnectionReuse {
  REUSED,
  NEW,
  UNKNOWN;

  public static ConnectionReuse of(Boolean reused) {
    if (reused == null) {
      return UNKNOWN;
    }
    return reused ? REUSED : NEW;
  }
}
