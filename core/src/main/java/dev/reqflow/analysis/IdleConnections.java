package dev.reqflow.analysis;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.ConnectionReuse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The calls of a flow that opened a new connection while a client shared by the service would have
 * had one idle for their host: a connection an earlier call of the flow had finished with, or one
 * of those earlier flows of the service kept open. A cold pool's first connections, and a page that
 * needs more connections at once than any before it, are not avoidable.
 *
 * <p>A response the application never closed ({@link Call#responseNotClosed}) keeps its connection:
 * {@link Model#AS_RECORDED} keeps it held for good, as it happened; {@link Model#CLOSED} gives it
 * back where the application last used the response (where the call's span ends), as closing it
 * there would have.
 */
final class IdleConnections {
  private IdleConnections() {}

  /** What became of the connections of responses that were never closed. */
  enum Model {
    AS_RECORDED,
    CLOSED
  }

  /**
   * Calls of the flow that opened a connection while one was idle for their host, in that model
   * ({@link CallStats#openedWhileIdle}: over every flow of the service, so that connections that
   * flows running at the same time held are not counted idle).
   */
  static Set<Call> avoidable(FlowContext ctx, Model model) {
    Set<Call> out = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Call c : ctx.flow.calls()) {
      if (model == Model.CLOSED
          ? ctx.stats.openedWhileIdle(c)
          : ctx.stats.openedWhileIdleAsRecorded(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /** True when the call opened a connection of its own. */
  static boolean opened(Call c) {
    return c.connectionReuse() == ConnectionReuse.NEW
        || (c.connectionReuse() == ConnectionReuse.UNKNOWN && c.connectionSetupNanos() > 0);
  }

  /**
   * What reusing a connection would save each of {@code calls}: its connection setup, and for a new
   * connection the handshake the recordings show (see {@link CallStats#handshakeNanos}). Fills
   * {@code handshakes} (span id to nanoseconds) and returns the calls that would save anything.
   */
  static List<Call> savers(FlowContext ctx, Set<Call> calls, Map<String, Long> handshakes) {
    List<Call> out = new ArrayList<>();
    for (Call c : ctx.flow.calls()) {
      if (!calls.contains(c)) {
        continue;
      }
      long h =
          c.connectionReuse() == ConnectionReuse.NEW ? ctx.stats.handshakeNanos(ctx.flow, c) : 0;
      if (c.connectionSetupNanos() + h > 0) {
        out.add(c);
        if (h > 0) {
          handshakes.put(c.spanId(), h);
        }
      }
    }
    return out;
  }
}
