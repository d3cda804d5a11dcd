package dev.reqflow.agent;

/**
 * How long each phase of {@code premain} took, for {@code debug}: {@code premain phases: config 3
 * ms, export 12 ms, ...}. Measured on the thread that runs {@code premain}, from {@link
 * ReqflowAgent#installNanos}.
 */
final class StartPhases {
  private final StringBuilder line = new StringBuilder("reqflow: premain phases:");
  private long last = ReqflowAgent.installNanos();

  /** Ends the phase named {@code name} now. */
  void mark(String name) {
    long now = System.nanoTime();
    line.append(' ').append(name).append(' ').append((now - last) / 1_000_000).append(" ms,");
    last = now;
  }

  @Override
  public String toString() {
    return line.substring(0, line.length() - 1);
  }
}
