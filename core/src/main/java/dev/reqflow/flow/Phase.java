package dev.reqflow.flow;

import java.util.Objects;

/** One phase of a call, in epoch nanoseconds. */
public record Phase(PhaseKind kind, long startNanos, long endNanos) {
  public Phase {
    Objects.requireNonNull(kind, "kind");
    if (endNanos < startNanos) {
      throw new IllegalArgumentException(kind + " ends before it starts");
    }
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }
}
