package dev.reqflow.agent.recorder;

/**
 * The virtual threads working for a flow now, found from their carrier: a virtual thread that
 * blocks entering a monitor unmounts (JDK 24+), and what follows happens on other threads.
 */
final class VirtualThreads {
  /** {@code java.lang.VirtualThread}, or null before JDK 21. */
  private static final Class<?> VIRTUAL = virtualThreadClass();

  private static final WeakIdentityMap<Thread, ThreadState> IN_FLOWS = new WeakIdentityMap<>();

  private static volatile boolean followed;

  private VirtualThreads() {}

  /** Starts following virtual threads (the monitor advice is installed). */
  static void follow() {
    followed = VIRTUAL != null;
  }

  /** The current thread's work changed to what {@code ts} says now. */
  static void work(ThreadState ts) {
    if (!followed) {
      return;
    }
    Thread t = Thread.currentThread();
    if (t.getClass() != VIRTUAL) {
      return;
    }
    if (ts.flow != null) {
      // Computed now, on the thread itself: the role of a thread depends on what it is.
      ts.role();
      IN_FLOWS.put(t, ts);
    } else {
      IN_FLOWS.remove(t);
    }
  }

  /** The state of a virtual thread working for a flow, or null. */
  static ThreadState inFlow(Thread t) {
    return followed ? IN_FLOWS.get(t) : null;
  }

  /** Virtual threads not followed because the table was full. */
  static long refused() {
    return IN_FLOWS.refused();
  }

  private static Class<?> virtualThreadClass() {
    try {
      return Class.forName("java.lang.VirtualThread");
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
