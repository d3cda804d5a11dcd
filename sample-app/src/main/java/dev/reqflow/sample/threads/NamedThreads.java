package dev.reqflow.sample.threads;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors whose threads say what they are for ({@code pool2-worker-1}), because thread names are
 * what a reader of a trace or a thread dump sees. All threads are daemons: a forgotten executor
 * never keeps the JVM alive, and the servers still shut everything down explicitly.
 */
public final class NamedThreads {
  private NamedThreads() {}

  /** A factory of daemon threads named {@code prefix-1}, {@code prefix-2}, ... */
  public static ThreadFactory factory(String prefix) {
    AtomicInteger next = new AtomicInteger(1);
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + next.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** A pool of exactly {@code workers} threads; extra tasks wait in its queue. */
  public static ExecutorService fixed(String prefix, int workers) {
    return Executors.newFixedThreadPool(workers, factory(prefix));
  }

  /** A pool that grows with demand and lets idle threads go after a minute. */
  public static ExecutorService cached(String prefix) {
    return new ThreadPoolExecutor(
        0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), factory(prefix));
  }

  /** Stops the pool and waits briefly for running tasks, so a stop leaves no stray work behind. */
  public static void shutdown(ExecutorService executor) {
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
