package dev.reqflow.whatif;

import dev.reqflow.flow.PoolKind;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** One change to replay a flow under. */
public sealed interface Change
    permits Change.IssueEarly,
        Change.SetPoolLimit,
        Change.ReuseConnections,
        Change.Timeout,
        Change.Drop,
        Change.ReuseResult,
        Change.FreeThreads,
        Change.RetrySooner,
        Change.RemoveLockWaits,
        Change.OpenConnections,
        Change.CloseResponses {

  /**
   * Issue the calls at the earliest moment their dependencies allow: {@code after-wait} ones are
   * dropped (the page only waited, it did not need the data), {@code callback} and {@code data}
   * ones are kept.
   *
   * @param callIds the calls issued early
   * @param together true: no earlier than the first of them was issued (serial calls made together
   *     where the page made the first: the page's waits before it stay before them); false: as
   *     early as the flow's first call (every call issued first)
   */
  record IssueEarly(Set<String> callIds, boolean together) implements Change {
    public IssueEarly {
      callIds = Set.copyOf(callIds);
    }

    /** Issued as early as the flow's first call. */
    public IssueEarly(Set<String> callIds) {
      this(callIds, false);
    }
  }

  /**
   * Let the pool (executor, dispatcher, connection pool) named {@code poolName} run {@code limit}
   * calls at once; with a per-destination kind ({@link PoolKind#PER_HOST}, {@link
   * PoolKind#PER_ROUTE}), that many to each host.
   */
  record SetPoolLimit(String poolName, PoolKind kind, int limit) implements Change {
    public SetPoolLimit {
      Objects.requireNonNull(poolName, "poolName");
      Objects.requireNonNull(kind, "kind");
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1");
      }
    }
  }

  /**
   * Keep connections alive and reuse them: the calls named in {@code callIds} (every call when it
   * is empty) have no DNS, connect or TLS phase, and those named in {@code handshakeNanos} also
   * lose that much of their wait for the first byte (a server or proxy that answers a new
   * connection's first request late, seen by comparing new and reused connections in the
   * recordings).
   */
  record ReuseConnections(Set<String> callIds, Map<String, Long> handshakeNanos) implements Change {
    public ReuseConnections {
      callIds = Set.copyOf(callIds);
      handshakeNanos = Map.copyOf(handshakeNanos);
    }

    /** Every call reuses a connection; the named ones also lose a handshake. */
    public ReuseConnections(Map<String, Long> handshakeNanos) {
      this(Set.of(), handshakeNanos);
    }

    public ReuseConnections() {
      this(Set.of(), Map.of());
    }
  }

  /** Give up on the call after {@code timeoutNanos} from its dispatch (then use a fallback). */
  record Timeout(String callId, long timeoutNanos) implements Change {
    public Timeout {
      Objects.requireNonNull(callId, "callId");
    }
  }

  /** Do not make the call (it duplicates another, or its result is not used). */
  record Drop(String callId) implements Change {
    public Drop {
      Objects.requireNonNull(callId, "callId");
    }
  }

  /**
   * Do not make the call: use the result of {@code fromCallId}, an identical call, when that one
   * completes.
   */
  record ReuseResult(String callId, String fromCallId) implements Change {
    public ReuseResult {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(fromCallId, "fromCallId");
    }
  }

  /**
   * Stop the waits (block span ids) that held threads other work needed, such as a client's
   * dispatcher: calls that queued while those threads were stuck queue that much less. What the
   * waits waited for is still waited for, by whatever needs it.
   */
  record FreeThreads(Set<String> blockIds) implements Change {
    public FreeThreads {
      blockIds = Set.copyOf(blockIds);
    }
  }

  /**
   * Issue the retry {@code callId} {@code gapNanos} after the failed attempt {@code attemptId}
   * ended, instead of after the wait (a back-off) the recording shows.
   */
  record RetrySooner(String callId, String attemptId, long gapNanos) implements Change {
    public RetrySooner {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(attemptId, "attemptId");
      if (gapNanos < 0) {
        throw new IllegalArgumentException("gapNanos must not be negative");
      }
    }
  }

  /**
   * Take away the monitor, lock or semaphore that these waits (block span ids of kind {@code
   * monitor.enter} or {@code lock.park}) were for: the threads go on at once. A call whose span
   * holds a removed wait of its own thread takes that much less; the first call a thread issues
   * after a removed wait of its own is issued that much earlier; a removed wait of the render
   * thread is not waited at all. What the calls then do (their own time, pools, connections) is as
   * recorded: a lock that made calls share one connection is not replayed as costing connections.
   */
  record RemoveLockWaits(Set<String> blockIds) implements Change {
    public RemoveLockWaits {
      blockIds = Set.copyOf(blockIds);
    }
  }

  /**
   * Count each host's connections, as a client's connection pool would: a call that starts while no
   * connection to its host is idle opens one and takes {@link HostConnections#openNanos} longer
   * (unless it opened one as recorded, and paid for it already); a call that ends gives its
   * connection back, and at most {@link HostConnections#maxIdle} stay idle. Made to go with a
   * change that lets calls run together which ran one at a time ({@link RemoveLockWaits}): they
   * then need more connections than the recording opened.
   *
   * <p>The pool is taken in its steady state: the page, loaded before under the same change, left
   * as many connections idle as it had calls to the host in flight at once (at most {@code
   * maxIdle}), or as many as {@link HostConnections#idleAtStart} says were open before it, if more.
   *
   * @param hosts per {@code host:port} (as {@link dev.reqflow.flow.Call#hostPort()}); hosts not
   *     named are not counted
   */
  record OpenConnections(Map<String, HostConnections> hosts) implements Change {
    public OpenConnections {
      hosts = Map.copyOf(hosts);
    }
  }

  /**
   * One host's connections in {@link OpenConnections}.
   *
   * @param idleAtStart connections to the host open when the flow began, as recorded before it
   * @param maxIdle idle connections the client keeps (OkHttp's {@code ConnectionPool} keeps 5 by
   *     default), 0 when unknown: as many as were used
   * @param openNanos what opening a connection costs a call: DNS, connect, TLS and the later first
   *     byte of a new connection, as the recordings show them
   */
  record HostConnections(int idleAtStart, int maxIdle, long openNanos) {
    public HostConnections {
      if (idleAtStart < 0 || maxIdle < 0 || openNanos < 0) {
        throw new IllegalArgumentException("negative connection figures");
      }
    }
  }

  /**
   * Close the responses of these calls where the application last used them (a response it never
   * closed): each call takes the named nanoseconds longer, the rest of its body read and thrown
   * away (OkHttp's {@code Response.close()} reads what is left of a body, so that its connection
   * can go back to the pool). The thread that last used the response waits for that, as a call's
   * download.
   *
   * @param restNanos span id of a call to the time reading the rest of its body takes
   */
  record CloseResponses(Map<String, Long> restNanos) implements Change {
    public CloseResponses {
      restNanos = Map.copyOf(restNanos);
      for (Long v : restNanos.values()) {
        if (v < 0) {
          throw new IllegalArgumentException("negative body time");
        }
      }
    }
  }

  static Change issueEarly(Set<String> callIds) {
    return new IssueEarly(callIds);
  }

  static Change poolLimit(String poolName, PoolKind kind, int limit) {
    return new SetPoolLimit(poolName, kind, limit);
  }

  static Change reuseConnections() {
    return new ReuseConnections();
  }

  static Change timeout(String callId, long timeoutNanos) {
    return new Timeout(callId, timeoutNanos);
  }

  static Change drop(String callId) {
    return new Drop(callId);
  }
}
