package dev.reqflow.flow;

import java.util.Objects;

/**
 * An executor as a snapshot saw it: which one, how many threads it may run, how many ran a task and
 * how many tasks waited in its queue at that moment.
 *
 * @param id the executor's class and identity as the agent names it ({@code
 *     ThreadPoolExecutor@5e9f23b4}): equal ids in one trace are the same executor
 * @param limit its maximum number of threads, 0 when unknown
 * @param active its threads running a task, -1 when unknown
 * @param queued tasks in its queue not started, -1 when unknown
 */
public record ExecutorState(String id, int limit, int active, int queued) {
  public static final ExecutorState NONE = new ExecutorState("", 0, -1, -1);

  public ExecutorState {
    Objects.requireNonNull(id, "id");
  }

  public boolean isKnown() {
    return !id.isEmpty();
  }

  /** True when every thread it may run was running a task: nothing it queues can start. */
  public boolean saturated() {
    return limit > 0 && active >= limit;
  }
}
