package dev.reqflow.flow;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The agent's latest snapshot of a flow that had not ended when it was taken, because it had been
 * open for {@code stall.after} or because the process was stopping. Of a flow that had not ended
 * when its trace was written, the flow span ends at the snapshot, and so do its calls and waits in
 * progress. Of a flow that stalled and ended later ({@link #ended()}: a page that hung until a
 * timeout), the flow's own spans are read, and the snapshot keeps what only it knew: what each
 * thread waited on then (so its deadlock), and the calls and waits in progress then that never
 * ended before the flow did ({@link #openAtEnd()}: they run to the flow's end).
 *
 * @param seq the snapshot's number within the flow (from 1); 0 for {@link #NONE}
 * @param reason why it was taken: {@code stalled} (open for {@code stall.after}) or {@code exit}
 *     (the process stopping)
 * @param stallAfterNanos the agent's {@code stall.after}, 0 when unknown
 * @param leftOut calls and waits in progress the snapshot left out, past its size limit
 * @param threads what each thread of the flow was doing at the snapshot, by thread
 * @param callsInProgress span ids of the flow's calls that had not ended
 * @param callExecutors for the calls whose client runs its own work on an executor the application
 *     gave it: call span id to that executor's id
 * @param atNanos when the snapshot was taken (epoch nanoseconds): the flow's end while it had not
 *     ended
 * @param ended true when the flow ended after the snapshot: a stalled flow that ended later
 * @param openAtEnd of a flow that {@link #ended()}, the span ids of its calls and waits in progress
 *     at the snapshot that had not ended when the flow did; empty otherwise
 */
public record Stall(
    int seq,
    String reason,
    long stallAfterNanos,
    long leftOut,
    List<ThreadNow> threads,
    Set<String> callsInProgress,
    Map<String, String> callExecutors,
    long atNanos,
    boolean ended,
    Set<String> openAtEnd) {

  /** A flow that ended and never stalled: no snapshot. */
  public static final Stall NONE =
      new Stall(0, "", 0, 0, List.of(), Set.of(), Map.of(), 0, false, Set.of());

  public static final String REASON_STALLED = "stalled";
  public static final String REASON_EXIT = "exit";

  public Stall {
    Objects.requireNonNull(reason, "reason");
    threads = List.copyOf(threads);
    callsInProgress = Set.copyOf(callsInProgress);
    callExecutors = Map.copyOf(callExecutors);
    openAtEnd = Set.copyOf(openAtEnd);
  }

  /**
   * The snapshot of a flow that had not ended when its trace was written, taken at {@code atNanos}
   * (its flow span's end).
   */
  public static Stall inProgress(
      int seq,
      String reason,
      long stallAfterNanos,
      long leftOut,
      List<ThreadNow> threads,
      Set<String> callsInProgress,
      Map<String, String> callExecutors,
      long atNanos) {
    return new Stall(
        seq,
        reason,
        stallAfterNanos,
        leftOut,
        threads,
        callsInProgress,
        callExecutors,
        atNanos,
        false,
        Set.of());
  }

  /**
   * True for a snapshot of a flow that had not ended; false for {@link #NONE} and {@link #ended}.
   */
  public boolean inProgress() {
    return seq > 0 && !ended;
  }

  /** True when there is a snapshot: the flow had not ended, or it stalled and ended later. */
  public boolean taken() {
    return seq > 0;
  }
}
