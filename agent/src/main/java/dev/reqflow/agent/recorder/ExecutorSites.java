package dev.reqflow.agent.recorder;

/**
 * Where the application created each thread pool: the line to change when a pool is too small
 * ("give the executor 6 threads", at {@code Catalog.<clinit>(Catalog.java:20)}), which the lines of
 * the calls its tasks make do not show.
 *
 * <p>Only a pool the application made itself has a line ({@link CallSites#FIND_POOL_MAKER}).
 * Recorded for every {@code ThreadPoolExecutor} created, in a flow or not (pools are mostly made at
 * startup): one walk of the stack per pool, which an application creates rarely. Read only on the
 * export thread, when a call made in a task of the pool is written. Bounded and weak as {@link
 * WeakIdentityMap}: a pool the application dropped leaves with it.
 */
final class ExecutorSites {
  /** One per agent: pools are the JVM's, whichever recorder saw them created. */
  static final ExecutorSites ALL = new ExecutorSites();

  private final WeakIdentityMap<Object, CodeSite> sites = new WeakIdentityMap<>(4_096);

  private ExecutorSites() {}

  /** Called when {@code executor}'s constructor returns, on the thread that created it. */
  void created(Object executor) {
    CodeSite site = CallSites.WALKER.walk(CallSites.FIND_POOL_MAKER);
    if (site != null) {
      sites.put(executor, site);
    }
  }

  /** The application's line that created {@code executor}; null when unknown. */
  CodeSite of(Object executor) {
    return executor == null ? null : sites.get(executor);
  }
}
