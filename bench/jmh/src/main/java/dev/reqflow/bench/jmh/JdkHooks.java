package dev.reqflow.bench.jmh;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JDK methods the agent weaves its hooks into, as the application calls them: waits on futures
 * that are done, completions, hand-offs to executors. The subclasses run them on a thread outside
 * any flow ({@link OutsideFlow}), the same while another thread is inside a flow ({@link
 * OutsideBusyFlow}), and on a thread inside a flow ({@link InsideFlow}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class JdkHooks {

  private static final String VALUE = "value";

  private final Callable<String> work = () -> VALUE;
  private final Runnable noop = () -> {};
  private final Function<String, Integer> length = String::length;
  private CompletableFuture<String> completed;
  private FutureTask<String> doneTask;
  private ThreadPoolExecutor callerRuns;

  @Setup
  public void prepare() {
    completed = CompletableFuture.completedFuture(VALUE);
    doneTask = new FutureTask<>(work);
    doneTask.run();
    // Shut down, so that every task is rejected and the handler runs it on the submitting thread:
    // the hand-off without a thread switch, which would measure the machine rather than the
    // hooks. The hooks run before the pool looks at its state, as on a live pool.
    callerRuns =
        new ThreadPoolExecutor(
            1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (task, pool) -> task.run());
    callerRuns.shutdown();
  }

  @TearDown
  public void closePool() {
    callerRuns.shutdownNow();
  }

  /** The budgeted hook: {@code join} of a completed future. */
  @Benchmark
  public String completableJoin() {
    return completed.join();
  }

  @Benchmark
  public String completableGet() throws InterruptedException, ExecutionException {
    return completed.get();
  }

  /** {@code Future.get} of an executor's task that has run. */
  @Benchmark
  public String futureTaskGet() throws InterruptedException, ExecutionException {
    return doneTask.get();
  }

  /** A completion ({@code completeValue} is woven) and the wait on it. */
  @Benchmark
  public String completeThenJoin() {
    CompletableFuture<String> f = new CompletableFuture<>();
    f.complete(VALUE);
    return f.join();
  }

  /** A dependent action that fires when its source completes ({@code tryFire} is woven). */
  @Benchmark
  public Integer completeThenApply() {
    CompletableFuture<String> f = new CompletableFuture<>();
    CompletableFuture<Integer> g = f.thenApply(length);
    f.complete(VALUE);
    return g.join();
  }

  /**
   * A task handed to an executor and waited on: a new {@code FutureTask} (the hand-off hook notes
   * it), {@code execute}, the task run (its context entered), set (a completion), {@code get}.
   */
  @Benchmark
  public String submitThenGet() throws InterruptedException, ExecutionException {
    return callerRuns.submit(work).get();
  }

  /** {@code execute(Runnable)}: inside a flow the runnable is wrapped, then runs in the flow. */
  @Benchmark
  public void executeRunnable() {
    callerRuns.execute(noop);
  }
}
