package dev.reqflow.agent.recorder;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's objects the recorder follows between threads (futures, tasks, client call
 * objects), weakly and bounded, and how many flows and calls are in progress.
 */
final class Followed {
  /** The calls whose completion completes (or completed) a future. */
  final WeakIdentityMap<Object, CallRecord[]> futureCalls = new WeakIdentityMap<>();

  /** The future a client returned for an asynchronous call: completing it ends the call. */
  final WeakIdentityMap<Object, CallRecord> callFutures = new WeakIdentityMap<>();

  /** A client's own object for a call (an OkHttp {@code RealCall}), to find its record again. */
  final WeakIdentityMap<Object, CallRecord> callsByKey = new WeakIdentityMap<>();

  /** The application's line that built a request (a request builder), for calls made from it. */
  final WeakIdentityMap<Object, CodeSite> buildSites = new WeakIdentityMap<>();

  /** A server's own object for a request (Reactor Netty's operations), to find its flow again. */
  final WeakIdentityMap<Object, FlowRecord> flowsByKey = new WeakIdentityMap<>();

  /**
   * Steps of calls that complete through a client's future or callback (the key): a lease of a
   * connection granted later, a connection established.
   */
  final WeakIdentityMap<Object, CallRecorder.Awaited> awaited = new WeakIdentityMap<>();

  /** Tasks created inside a flow and not yet run. */
  final WeakIdentityMap<Object, Captured> pendingTasks = new WeakIdentityMap<>();

  /**
   * Flows whose first thread returned before their end (servlet async, reactive servers): where a
   * report of flows that never end can find them. Weak: a flow the application dropped goes, and is
   * counted open at exit.
   */
  final WeakIdentityMap<FlowRecord, Boolean> detachedFlows = new WeakIdentityMap<>(1 << 16);

  /**
   * Futures a flow's thread waits on now: a marker while none completed them, then the name of the
   * thread that completed one while working for no flow (see {@link UnseenRecorder}).
   */
  final WeakIdentityMap<Object, Object> waitedFutures = new WeakIdentityMap<>();

  /** Totals of what the agent did not see as calls, over the flows that ended. */
  final UnseenTotals unseen = new UnseenTotals();

  /**
   * A JDK {@code HttpURLConnection}'s call, found from the connection, from its response stream and
   * from the client ({@code sun.net.www.http.HttpClient}) that carried the response.
   */
  final WeakIdentityMap<Object, UrlConnectionCall> urlConnections = new WeakIdentityMap<>();

  /**
   * Flows and calls in progress. While there are none, completions of futures cannot matter and are
   * skipped without a look-up.
   */
  final AtomicInteger inFlight = new AtomicInteger();

  /** Of {@link #inFlight}, the calls. */
  final AtomicInteger callsInFlight = new AtomicInteger();

  /** Application objects not followed because a table was full. */
  long refused() {
    return futureCalls.refused()
        + callFutures.refused()
        + callsByKey.refused()
        + pendingTasks.refused()
        + detachedFlows.refused()
        + buildSites.refused()
        + flowsByKey.refused()
        + awaited.refused()
        + waitedFutures.refused()
        + urlConnections.refused();
  }
}
