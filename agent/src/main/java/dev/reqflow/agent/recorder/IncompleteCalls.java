package dev.reqflow.agent.recorder;

/**
 * Calls the client never ended, which the agent ended itself and exported marked incomplete ({@code
 * reqflow.call.incomplete}), by reason; and responses it could not watch.
 *
 * @param unreachable responses the application dropped unclosed (found by the garbage collector)
 * @param unclosed responses still open {@code unclosed.after} after their flow ended, or at exit
 *     after it ended
 * @param atExit responses still open at exit while their flow ran
 * @param notWatched responses not watched because the agent's table was full: their calls stay
 *     open, and are counted open at exit
 */
public record IncompleteCalls(long unreachable, long unclosed, long atExit, long notWatched) {
  /** Calls ended incomplete. */
  public long total() {
    return unreachable + unclosed + atExit;
  }
}
