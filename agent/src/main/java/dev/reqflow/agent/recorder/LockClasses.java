package dev.reqflow.agent.recorder;

/**
 * Which synchronizers are locks: those of {@code java.util.concurrent} that one thread holds while
 * others wait. Latches and the workers of thread pools are synchronizers too, but a wait on them is
 * a wait for other work, not for a lock.
 */
final class LockClasses {
  private LockClasses() {}

  /**
   * The lock's public class for a synchronizer ({@code java.util.concurrent.Semaphore} for its
   * {@code Semaphore$NonfairSync}), or null when it is not a lock.
   */
  static String lockOf(Object sync) {
    if (sync == null) {
      return null;
    }
    String n = sync.getClass().getName();
    if (n.startsWith("java.util.concurrent.")) {
      if (n.startsWith("java.util.concurrent.locks.ReentrantLock$")) {
        return "java.util.concurrent.locks.ReentrantLock";
      }
      if (n.startsWith("java.util.concurrent.locks.ReentrantReadWriteLock$")) {
        return "java.util.concurrent.locks.ReentrantReadWriteLock";
      }
      if (n.startsWith("java.util.concurrent.Semaphore$")) {
        return "java.util.concurrent.Semaphore";
      }
    }
    return null;
  }
}
