package dev.reqflow.flow;

import java.util.Objects;

/** A named part of the render, from configured methods. */
public record Section(
    String spanId, String name, ThreadRef thread, long startNanos, long endNanos) {
  public Section {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(thread, "thread");
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("section " + spanId + " ends before it starts");
    }
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }
}
