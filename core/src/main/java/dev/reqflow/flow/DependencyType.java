package dev.reqflow.flow;

import dev.reqflow.contract.TraceContract;

/** Why a call came after another, from {@link TraceContract.Attr#LINK_TYPE} on call links. */
public enum DependencyType {
  /** Issued inside the completion of the other call: a real dependency, the what-if keeps it. */
  CALLBACK,
  /**
   * Issued by a thread after it blocked on the other call: a dependency in time that may not be one
   * in data, so the what-if may issue the call earlier.
   */
  AFTER_WAIT,
  /**
   * The request carries a value that the other call's response returned: a dependency in data,
   * which the what-if never moves a call across.
   */
  DATA;

  /** The type named by a contract value, or null for other links. */
  public static DependencyType of(String value) {
    if (TraceContract.LinkType.CALLBACK.equals(value)) {
      return CALLBACK;
    }
    if (TraceContract.LinkType.DATA.equals(value)) {
      return DATA;
    }
    if (TraceContract.LinkType.AFTER_WAIT.equals(value)) {
      return AFTER_WAIT;
    }
    return null;
  }
}
