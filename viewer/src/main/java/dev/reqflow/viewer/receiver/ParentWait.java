package dev.reqflow.viewer.receiver;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.Set;

/**
 * The parents a trace's spans name that have not arrived yet. A call, wait or section whose parent
 * is missing cannot be placed in its flow: assembled now, it would be repaired into another flow of
 * the trace (core's {@code FlowAssembler}: "spans whose parent is missing were attached"), or left
 * out. Flow spans are exempt: a called service's flow names its caller's call as parent, which
 * another process exports, and is a flow without it. Not thread-safe: guarded by its trace's lock.
 */
final class ParentWait {
  private final Set<ByteString> seen = new HashSet<>();
  private final Set<ByteString> missing = new HashSet<>(2);

  /**
   * Adds a span: its id, and its parent's when the span must be placed under it ({@code parent}
   * empty for flow spans and roots).
   */
  void add(ByteString spanId, ByteString parent) {
    seen.add(spanId);
    missing.remove(spanId);
    if (!parent.isEmpty() && !seen.contains(parent)) {
      missing.add(parent);
    }
  }

  /** True while some span's parent has not arrived. */
  boolean missing() {
    return !missing.isEmpty();
  }
}
