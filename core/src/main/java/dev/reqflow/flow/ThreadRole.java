package dev.reqflow.flow;

import dev.reqflow.contract.TraceContract;

/** What a thread is to the flow, from {@link TraceContract.Attr#THREAD_ROLE}. */
public enum ThreadRole {
  /** The thread that started the flow: it renders the page. */
  RENDER,
  /** A worker of an application executor. */
  EXECUTOR,
  /** A thread of an HTTP client's dispatcher or callback executor: blocking it stalls calls. */
  CLIENT_DISPATCHER,
  /** A worker of {@code ForkJoinPool.commonPool()}: blocking it stalls unrelated work. */
  COMMON_POOL,
  /** Any other thread, or a trace that did not say. */
  OTHER;

  /** The role named by a contract value; {@link #OTHER} for null or unknown values. */
  public static ThreadRole of(String value) {
    if (value == null) {
      return OTHER;
    }
    switch (value) {
      case TraceContract.ThreadRole.RENDER:
        return RENDER;
      case TraceContract.ThreadRole.EXECUTOR:
        return EXECUTOR;
      case TraceContract.ThreadRole.CLIENT_DISPATCHER:
        return CLIENT_DISPATCHER;
      case TraceContract.ThreadRole.COMMON_POOL:
        return COMMON_POOL;
      default:
        return OTHER;
    }
  }

  /** True for threads that other work depends on, where a blocking wait does harm. */
  public boolean isShared() {
    return this == CLIENT_DISPATCHER || this == COMMON_POOL;
  }
}
