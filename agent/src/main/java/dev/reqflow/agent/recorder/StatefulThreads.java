package dev.reqflow.agent.recorder;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Which threads may have a {@link ThreadState}, answered without a thread-local: the states alive,
 * counted by a slot of their thread's id. A thread whose slot counts none has no state, and its
 * hooks return without reading the thread-local.
 *
 * <p>Why: reading a thread-local on a thread that has none allocates the thread's entry (and its
 * map), and a thread's first allocation takes it a TLAB, a buffer of eden that a thread which then
 * ends (CompletableFuture's thread per asynchronous task, on a JVM with fewer than three CPUs:
 * three a page in the sample app's page server) leaves unused. Measured on that server with flows
 * in flight (so that hooks outside flows go past their first check): 30 to 40 KiB of eden a page,
 * whatever the page's own sampling, gone with {@code -XX:-UseTLAB} (BENCHMARKS.md).
 *
 * <p>Never a false "none": a slot is counted up before its state is set, and down only once the
 * state was collected (its thread ended). A thread that shares its slot with one that has a state
 * reads the thread-local, as before: with 65,536 slots and a few hundred threads with a state,
 * seldom.
 */
final class StatefulThreads {
  private static final int SLOTS = 1 << 16;
  private static final AtomicIntegerArray COUNTS = new AtomicIntegerArray(SLOTS);
  private static final ReferenceQueue<ThreadState> GONE = new ReferenceQueue<>();

  /** The references themselves must stay reachable until the queue hands them back. */
  private static final Set<Counted> ALIVE = ConcurrentHashMap.newKeySet();

  private StatefulThreads() {}

  /** False when the current thread has no state: then it certainly has none. */
  static boolean mayHaveState() {
    return COUNTS.get(slot(Thread.currentThread())) != 0;
  }

  /** Counts {@code state}, of the current thread, before it is set. */
  static void counting(ThreadState state) {
    drain();
    int slot = slot(Thread.currentThread());
    COUNTS.incrementAndGet(slot);
    ALIVE.add(new Counted(state, slot, GONE));
  }

  /** States collected since: their slots count one fewer. */
  private static void drain() {
    Object r;
    while ((r = GONE.poll()) != null) {
      Counted c = (Counted) r;
      if (ALIVE.remove(c)) {
        COUNTS.decrementAndGet(c.slot);
      }
    }
  }

  private static int slot(Thread t) {
    return (int) t.getId() & (SLOTS - 1);
  }

  /** The slot of a state, handed back once the state is collected. */
  private static final class Counted extends WeakReference<ThreadState> {
    final int slot;

    Counted(ThreadState state, int slot, ReferenceQueue<ThreadState> queue) {
      super(state, queue);
      this.slot = slot;
    }
  }
}
