package dev.reqflow.flow;

import java.util.List;
import java.util.Objects;

/**
 * One wait of a thread on a future or on a synchronous call.
 *
 * @param spanId hex span id of the block span
 * @param kind what the thread waited in ({@code future.get}, {@code okhttp.execute}...), {@code ""}
 *     when unknown
 * @param site the application line that waited
 * @param releasedBy span ids of the calls whose completion released the wait; may name calls that
 *     are not in the flow when the trace lost them
 * @param inCallbackOf span ids of the calls whose completion (a client's callback, a dependent
 *     action) the thread was running when it waited; empty when none, or the trace does not say
 */
public record Block(
    String spanId,
    ThreadRef thread,
    String kind,
    long startNanos,
    long endNanos,
    CodeLocation site,
    List<String> releasedBy,
    List<String> inCallbackOf) {

  /** A wait outside any callback, or from a trace that does not say. */
  public Block(
      String spanId,
      ThreadRef thread,
      String kind,
      long startNanos,
      long endNanos,
      CodeLocation site,
      List<String> releasedBy) {
    this(spanId, thread, kind, startNanos, endNanos, site, releasedBy, List.of());
  }

  public Block {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(site, "site");
    releasedBy = List.copyOf(releasedBy);
    inCallbackOf = List.copyOf(inCallbackOf);
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("block " + spanId + " ends before it starts");
    }
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }
}
