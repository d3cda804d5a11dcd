package dev.reqflow.flow;

/**
 * The parts of a call, in the order they happen. A call's phases partition its time where the
 * client reported the events; a client that does not report a phase simply has none.
 */
public enum PhaseKind {
  /** From issue to dispatch: waiting in an executor, dispatcher or per-host queue. */
  QUEUED("queued"),
  DNS("dns"),
  /** TCP connect (without TLS). */
  CONNECT("connect"),
  TLS("tls"),
  /** From having a connection (or dispatch) to the request being sent. */
  SEND("send"),
  /** Request sent to first response byte: the server's time plus the network round trip. */
  SERVER("server"),
  /** First byte to body done. */
  DOWNLOAD("download");

  private final String label;

  PhaseKind(String label) {
    this.label = label;
  }

  /** Lower-case name for reports. */
  public String label() {
    return label;
  }

  /** True for the phases a reused connection does not have. */
  public boolean isConnectionSetup() {
    return this == DNS || this == CONNECT || this == TLS;
  }
}
