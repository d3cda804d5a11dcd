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
 */
public record Block(
    String spanId,
    ThreadRef thread,
    String kind,
    long startNanos,
    long endNanos,
    CodeLocation site,
    List<String> releasedBy) {

  public Block {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(site, "site");
    releasedBy = List.copyOf(releasedBy);
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("block " + spanId + " ends before it starts");
    }
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }
}
