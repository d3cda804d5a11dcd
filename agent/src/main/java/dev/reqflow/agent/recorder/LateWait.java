package dev.reqflow.agent.recorder;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;

/**
 * A wait of a flow's thread learnt after the fact (from JDK Flight Recorder), already attributed to
 * the flow context the thread worked for then. Times are {@link System#nanoTime} values.
 */
public final class LateWait {
  /** The flow context the thread worked for: the block span's parent. */
  public Context parent;

  /** One of the contract's block kinds. */
  public String kind;

  /** {@code reqflow.lock.class}, or null. */
  public String lockClass;

  public long threadId;
  public String threadName;

  /** The thread's role then, one of the contract's thread roles. */
  public String role;

  public long startNanos;
  public long endNanos;

  /** The waiting line: {@code com.example.Page.render}, or null when no frame was the app's. */
  public String function;

  /** Its source file, or null. */
  public String file;

  public int line;

  /** The call the lock's holder was making when it let go, or null. */
  public SpanContext heldBy;
}
