package dev.reqflow.agent.recorder;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Values attached to objects of the application (futures, tasks, calls) without keeping them alive
 * and without relying on their {@code equals}: the agent cannot add fields to JDK classes that are
 * already loaded.
 *
 * <p>Bounded: an application that holds on to more objects than {@link #MAX_ENTRIES} at once (a
 * batch job keeping 100,000 futures) finds the later ones not followed, and counted, rather than
 * the agent's memory growing with it.
 */
final class WeakIdentityMap<K, V> {

  static final int MAX_ENTRIES = 1 << 18;

  private final ConcurrentHashMap<Key, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
  private final AtomicLong refused = new AtomicLong();
  private final int maxEntries;

  WeakIdentityMap() {
    this(MAX_ENTRIES);
  }

  WeakIdentityMap(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /**
   * One probe per thread, so that a look-up allocates nothing: threads outside any flow look up
   * every future they complete and every task they run while flows are in flight elsewhere. Not
   * re-entered: the map calls only the probe's and the keys' own methods.
   */
  private static final ThreadLocal<Lookup> PROBE = ThreadLocal.withInitial(Lookup::new);

  V get(K key) {
    if (map.isEmpty()) {
      return null;
    }
    Lookup probe = PROBE.get().of(key);
    try {
      return map.get(probe);
    } finally {
      probe.clear();
    }
  }

  /** Attaches {@code value}; when the map is full, only to a key that has a value already. */
  void put(K key, V value) {
    expunge();
    if (map.size() >= maxEntries) {
      // A probe key, not stored: replace keeps the entry's own key.
      if (map.replace(new Key(key, null), value) == null) {
        refused.incrementAndGet();
      }
      return;
    }
    map.put(new Key(key, queue), value);
  }

  /** Puts turned away because the map was full. */
  long refused() {
    return refused.get();
  }

  V remove(K key) {
    if (map.isEmpty()) {
      return null;
    }
    Lookup probe = PROBE.get().of(key);
    try {
      // Most keys are not here; a miss must not take the lock of the key's bin.
      return map.get(probe) == null ? null : map.remove(probe);
    } finally {
      probe.clear();
    }
  }

  boolean isEmpty() {
    return map.isEmpty();
  }

  int size() {
    return map.size();
  }

  /** Calls {@code action} with each key still alive (weakly consistent, as the map's views). */
  void forEachKey(java.util.function.Consumer<? super K> action) {
    for (Key k : map.keySet()) {
      @SuppressWarnings("unchecked")
      K key = (K) k.get();
      if (key != null) {
        action.accept(key);
      }
    }
  }

  private void expunge() {
    Object ref;
    while ((ref = queue.poll()) != null) {
      map.remove(ref);
    }
  }

  /** Stored key; equal to a {@link Lookup} or another key of the same referent. */
  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      Object mine = get();
      if (mine == null) {
        return false;
      }
      if (o instanceof Key) {
        return ((Key) o).get() == mine;
      }
      return o instanceof Lookup && ((Lookup) o).referent == mine;
    }
  }

  /** A thread's probe for look-ups; holds the referent strongly for one look-up only. */
  private static final class Lookup {
    private Object referent;
    private int hash;

    Lookup of(Object key) {
      referent = key;
      hash = System.identityHashCode(key);
      return this;
    }

    void clear() {
      referent = null;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (o instanceof Key) {
        return ((Key) o).get() == referent;
      }
      return false;
    }
  }
}
