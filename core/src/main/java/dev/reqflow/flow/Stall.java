package dev.reqflow.flow;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A flow that had not ended when its trace was written: the agent's snapshot of it (the latest),
 * taken because it had been open for {@code stall.after} or because the process was stopping. Its
 * flow span ends at the snapshot; so do its calls and waits in progress.
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
 */
public record Stall(
    int seq,
    String reason,
    long stallAfterNanos,
    long leftOut,
    List<ThreadNow> threads,
    Set<String> callsInProgress,
    Map<String, String> callExecutors) {

  /** A flow that ended: no snapshot. */
  public static final Stall NONE = new Stall(0, "", 0, 0, List.of(), Set.of(), Map.of());

  public static final String REASON_STALLED = "stalled";
  public static final String REASON_EXIT = "exit";

  public Stall {
    Objects.requireNonNull(reason, "reason");
    threads = List.copyOf(threads);
    callsInProgress = Set.copyOf(callsInProgress);
    callExecutors = Map.copyOf(callExecutors);
  }

  /** True for a snapshot of a flow in progress, false for {@link #NONE}. */
  public boolean inProgress() {
    return seq > 0;
  }
}
