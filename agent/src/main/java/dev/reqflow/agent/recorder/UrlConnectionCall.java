package dev.reqflow.agent.recorder;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call of a JDK {@code HttpURLConnection}: its record and what the connection has shown so far.
 * Holds nothing of the application's (connection, stream, client): it is the value of weak tables
 * keyed by those.
 */
final class UrlConnectionCall {
  final CallRecord rec;

  /** Ended, by any of the ways a response ends; decided once. */
  final AtomicBoolean finished = new AtomicBoolean();

  /** The response's headers reached the application: from now on its body can end. */
  volatile boolean responded;

  volatile boolean requestSent;
  volatile boolean tlsStarted;
  volatile boolean tlsEnded;

  UrlConnectionCall(CallRecord rec) {
    this.rec = rec;
  }
}
