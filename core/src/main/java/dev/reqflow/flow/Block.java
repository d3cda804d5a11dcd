package dev.reqflow.flow;

import java.util.List;
import java.util.Objects;

/**
 * One wait of a thread on a future or on a synchronous call, or (kinds {@code socket.read}, {@code
 * socket.connect}) one blocking socket operation outside the thread's recorded calls.
 *
 * @param spanId hex span id of the block span
 * @param kind what the thread waited in ({@code future.get}, {@code okhttp.execute}...), {@code ""}
 *     when unknown
 * @param site the application line that waited
 * @param releasedBy span ids of the calls whose completion released the wait; may name calls that
 *     are not in the flow when the trace lost them
 * @param inCallbackOf span ids of the calls whose completion (a client's callback, a dependent
 *     action) the thread was running when it waited; empty when none, or the trace does not say
 * @param completedBy when no recorded call released the wait: the thread, working for no flow, that
 *     completed what it waited on (an I/O thread of a client the agent does not record); {@code ""}
 *     when not known
 */
public record Block(
    String spanId,
    ThreadRef thread,
    String kind,
    long startNanos,
    long endNanos,
    CodeLocation site,
    List<String> releasedBy,
    List<String> inCallbackOf,
    String completedBy) {

  /** Block kinds of socket operations that no recorded call explains. */
  public static final String SOCKET_READ = "socket.read";

  public static final String SOCKET_CONNECT = "socket.connect";

  /**
   * Block kind of a thread reading a call's response body after the client's method returned: the
   * call's own download, which only that thread could read.
   */
  public static final String BODY_READ = "body.read";

  /** A wait outside any callback, or from a trace that does not say. */
  public Block(
      String spanId,
      ThreadRef thread,
      String kind,
      long startNanos,
      long endNanos,
      CodeLocation site,
      List<String> releasedBy,
      String completedBy) {
    this(spanId, thread, kind, startNanos, endNanos, site, releasedBy, List.of(), completedBy);
  }

  /** A wait whose releasing thread is not known. */
  public Block(
      String spanId,
      ThreadRef thread,
      String kind,
      long startNanos,
      long endNanos,
      CodeLocation site,
      List<String> releasedBy,
      List<String> inCallbackOf) {
    this(spanId, thread, kind, startNanos, endNanos, site, releasedBy, inCallbackOf, "");
  }

  public Block {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(completedBy, "completedBy");
    releasedBy = List.copyOf(releasedBy);
    inCallbackOf = List.copyOf(inCallbackOf);
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("block " + spanId + " ends before it starts");
    }
  }

  /** A wait whose releasing thread is not known. */
  public Block(
      String spanId,
      ThreadRef thread,
      String kind,
      long startNanos,
      long endNanos,
      CodeLocation site,
      List<String> releasedBy) {
    this(spanId, thread, kind, startNanos, endNanos, site, releasedBy, List.of(), "");
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  /**
   * True for a stretch of reads of a response body the application had (see {@link #BODY_READ}).
   */
  public boolean isBodyRead() {
    return kind.equals(BODY_READ);
  }

  /** True for a socket read or connect that no recorded call explains. */
  public boolean isSocketIo() {
    return kind.equals(SOCKET_READ) || kind.equals(SOCKET_CONNECT);
  }
}
