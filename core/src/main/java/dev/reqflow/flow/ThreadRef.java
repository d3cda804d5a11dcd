package dev.reqflow.flow;

import java.util.Objects;

/**
 * A thread as the trace named it. {@code id} is {@link #UNKNOWN_ID} when the trace did not say
 * (spans from other tools); two refs are the same lane when id and name are equal.
 */
public record ThreadRef(long id, String name, ThreadRole role) {
  public static final long UNKNOWN_ID = -1;

  /** The thread of spans that carry no thread attributes. */
  public static final ThreadRef UNKNOWN = new ThreadRef(UNKNOWN_ID, "", ThreadRole.OTHER);

  public ThreadRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }

  public boolean isKnown() {
    return id != UNKNOWN_ID || !name.isEmpty();
  }

  /** The same thread, with a role. */
  public ThreadRef withRole(ThreadRole newRole) {
    return newRole == role ? this : new ThreadRef(id, name, newRole);
  }

  /** Same lane: roles may differ between spans of one thread, the lane does not. */
  public boolean sameThread(ThreadRef other) {
    return id == other.id && name.equals(other.name);
  }

  /** Name for people: the thread name, or {@code thread <id>}. */
  public String label() {
    if (!name.isEmpty()) {
      return name;
    }
    return id == UNKNOWN_ID ? "unknown thread" : "thread " + id;
  }
}
