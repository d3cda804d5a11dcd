package dev.reqflow.agent.recorder;

/**
 * What the snapshots of flows in progress wrote and left out, for the exit line.
 *
 * @param flows distinct flows written as snapshots (stalled, or open at exit)
 * @param stalled those of them open for {@code stall.after} or more
 * @param spansLeftOut calls and waits in progress left out of snapshots past their size limit
 * @param flowsLeftOut flows open at exit written as no snapshot, past the exit's limit
 */
public record StallTotals(long flows, long stalled, long spansLeftOut, long flowsLeftOut) {
  public static final StallTotals NONE = new StallTotals(0, 0, 0, 0);
}
