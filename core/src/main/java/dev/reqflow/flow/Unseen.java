package dev.reqflow.flow;

import java.util.List;
import java.util.Objects;

/**
 * What the agent saw a flow's threads wait on but not as calls, from the flow span; all zero and
 * empty for traces from other tools, which do not say.
 *
 * @param socketNanos time in blocking socket reads and connects while none of the thread's recorded
 *     calls was open, summed over the flow's threads
 * @param socketOps how many socket operations that is
 * @param waitNanos time waiting on futures that no recorded call released and that a thread working
 *     for no flow completed, summed over the flow's threads
 * @param libraries known client libraries loaded in the process whose calls the agent does not
 *     record, by name, sorted
 * @param lockWaits why the flow's waits for monitors and pinned virtual threads could not be
 *     recorded ({@code jfr-starting}: JDK Flight Recorder was still starting when the flow began;
 *     see the contract's {@code UnseenLockWaits}), or {@code ""} when they could
 */
public record Unseen(
    long socketNanos, long socketOps, long waitNanos, List<String> libraries, String lockWaits) {
  public static final Unseen NONE = new Unseen(0, 0, 0, List.of());

  /** As above, with the lock waits seen. */
  public Unseen(long socketNanos, long socketOps, long waitNanos, List<String> libraries) {
    this(socketNanos, socketOps, waitNanos, libraries, "");
  }

  public Unseen {
    Objects.requireNonNull(libraries, "libraries");
    Objects.requireNonNull(lockWaits, "lockWaits");
    libraries = List.copyOf(libraries);
    if (socketNanos < 0 || socketOps < 0 || waitNanos < 0) {
      throw new IllegalArgumentException("negative unseen time or count");
    }
  }

  /** True when the flow's waits for monitors could not be recorded: {@link #lockWaits}. */
  public boolean lockWaitsUnseen() {
    return !lockWaits.isEmpty();
  }

  /** Socket time and waits together: thread time, so it may exceed the flow's duration. */
  public long totalNanos() {
    return socketNanos + waitNanos;
  }
}
