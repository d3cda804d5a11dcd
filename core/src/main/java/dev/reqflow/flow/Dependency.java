package dev.reqflow.flow;

import java.util.Objects;

/** A call's dependency on an earlier call of the same flow, by span id. */
public record Dependency(String spanId, DependencyType type) {
  public Dependency {
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(type, "type");
  }
}
