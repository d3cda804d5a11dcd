package dev.reqflow.agent.instrument.executor;

import dev.reqflow.agent.bootstrap.Bridge;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import net.bytebuddy.asm.Advice;

/** Advice that hands a flow's context over with tasks; woven into {@code java.base}. */
final class ExecutorAdvice {
  private ExecutorAdvice() {}

  /** A {@code ThreadPoolExecutor} was created: remember the application's line that made it. */
  static final class ExecutorCreated {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object executor) {
      Bridge.executorCreated(executor);
    }
  }

  /** A {@code FutureTask} is created: remember the flow it was created in. */
  static final class TaskCreated {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object task) {
      Bridge.taskCreated(task);
    }
  }

  /** A {@code FutureTask} runs: in the flow it was created in. */
  static final class TaskRun {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object task) {
      return Bridge.taskEnter(task);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
      Bridge.taskExit(token);
    }
  }

  /** {@code execute(Runnable)}: a future task is noted, another runnable is wrapped. */
  static final class ExecuteRunnable {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object executor, @Advice.Argument(value = 0, readOnly = false) Runnable task) {
      if (task instanceof FutureTask) {
        Bridge.taskSubmitted(task, executor);
      } else {
        task = Bridge.wrap(task, executor);
      }
    }
  }

  /** {@code submit(Callable)} of executors that do not go through {@code FutureTask}. */
  static final class SubmitCallable {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object executor,
        @Advice.Argument(value = 0, readOnly = false) Callable<?> task) {
      task = Bridge.wrap(task, executor);
    }
  }
}
