package dev.reqflow.flow;

import dev.reqflow.contract.TraceContract;

/** How the app asked for a call, from {@link TraceContract.Attr#CALL_MODE}. */
public enum CallMode {
  /** The calling thread waited for the response ({@code execute}, {@code send}). */
  SYNC,
  /** The call returned at once ({@code enqueue}, {@code sendAsync}). */
  ASYNC,
  /** The trace did not say (spans from other tools). */
  UNKNOWN;

  public static CallMode of(String value) {
    if (TraceContract.CallMode.SYNC.equals(value)) {
      return SYNC;
    }
    if (TraceContract.CallMode.ASYNC.equals(value)) {
      return ASYNC;
    }
    return UNKNOWN;
  }
}
