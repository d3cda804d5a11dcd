package dev.reqflow.flow;

import dev.reqflow.contract.TraceContract.BlockKind;
import java.util.List;
import java.util.Objects;

/**
 * One wait of a thread: on a future or a synchronous call, for a monitor, lock or semaphore, or
 * (kinds {@code socket.read}, {@code socket.connect}) one blocking socket operation outside the
 * thread's recorded calls.
 *
 * @param spanId hex span id of the block span
 * @param kind what the thread waited in ({@code future.get}, {@code okhttp.execute}, {@code
 *     monitor.enter}...), {@code ""} when unknown
 * @param site the application line that waited
 * @param releasedBy span ids of the calls whose completion released the wait (for a lock wait: the
 *     call the lock's holder was making); may name calls that are not in the flow when the trace
 *     lost them, or when the holder worked for another flow
 * @param inCallbackOf span ids of the calls whose completion (a client's callback, a dependent
 *     action) the thread was running when it waited; empty when none, or the trace does not say
 * @param completedBy when no recorded call released the wait: the thread, working for no flow, that
 *     completed what it waited on (an I/O thread of a client the agent does not record); {@code ""}
 *     when not known
 * @param lock the class of the monitor's object or of the lock ({@code java.util.concurrent
 *     .Semaphore}) for a wait of kind {@code monitor.enter} or {@code lock.park}; {@code ""} for
 *     other waits and when the trace did not say
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
    String completedBy,
    String lock) {

  /** Block kinds of socket operations that no recorded call explains. */
  public static final String SOCKET_READ = "socket.read";

  public static final String SOCKET_CONNECT = "socket.connect";

  /**
   * Block kind of a thread reading a call's response body after the client's method returned: the
   * call's own download, which only that thread could read.
   */
  public static final String BODY_READ = "body.read";

  public Block {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(completedBy, "completedBy");
    Objects.requireNonNull(lock, "lock");
    releasedBy = List.copyOf(releasedBy);
    inCallbackOf = List.copyOf(inCallbackOf);
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("block " + spanId + " ends before it starts");
    }
  }

  /** A wait that is not for a lock. */
  public Block(
      String spanId,
      ThreadRef thread,
      String kind,
      long startNanos,
      long endNanos,
      CodeLocation site,
      List<String> releasedBy,
      List<String> inCallbackOf,
      String completedBy) {
    this(
        spanId,
        thread,
        kind,
        startNanos,
        endNanos,
        site,
        releasedBy,
        inCallbackOf,
        completedBy,
        "");
  }

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

  /** True for a wait for a monitor ({@code synchronized}) or a lock or semaphore. */
  public boolean isLockWait() {
    return kind.equals(BlockKind.MONITOR_ENTER) || kind.equals(BlockKind.LOCK_PARK);
  }

  /**
   * What a lock wait waited for, for people: {@code the monitor of com.example.Client}, {@code the
   * java.util.concurrent.Semaphore}, {@code a monitor} when the class is not known; {@code ""} for
   * other waits.
   */
  public String lockLabel() {
    if (kind.equals(BlockKind.MONITOR_ENTER)) {
      return lock.isEmpty() ? "a monitor" : "the monitor of " + javaName(lock);
    }
    if (kind.equals(BlockKind.LOCK_PARK)) {
      return lock.isEmpty() ? "a lock" : "the " + javaName(lock);
    }
    return "";
  }

  /**
   * A class as Java source names it: the JVM names arrays by descriptor ({@code [I}, {@code
   * [Ljava.lang.Object;}), which reads as {@code int[]}, {@code java.lang.Object[]}.
   */
  static String javaName(String jvmName) {
    int dims = 0;
    while (dims < jvmName.length() && jvmName.charAt(dims) == '[') {
      dims++;
    }
    if (dims == 0 || dims == jvmName.length()) {
      return jvmName;
    }
    String element = jvmName.substring(dims);
    String name;
    switch (element) {
      case "Z" -> name = "boolean";
      case "B" -> name = "byte";
      case "C" -> name = "char";
      case "S" -> name = "short";
      case "I" -> name = "int";
      case "J" -> name = "long";
      case "F" -> name = "float";
      case "D" -> name = "double";
      default ->
          name =
              element.startsWith("L") && element.endsWith(";")
                  ? element.substring(1, element.length() - 1)
                  : element;
    }
    return name + "[]".repeat(dims);
  }
}
