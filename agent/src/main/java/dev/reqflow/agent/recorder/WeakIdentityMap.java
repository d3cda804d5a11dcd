package dev.reqflow.agent.recorder;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
   * Probes for look-ups, one per stripe of threads (by id), taken and put back, so that a look-up
   * allocates nothing: threads outside any flow look up every future they complete and every task
   * they run while flows are in flight elsewhere. Not a thread-local: on a thread that has none
   * yet, reading one allocates (see {@link StatefulThreads}). A probe taken by another thread of
   * the stripe is replaced by a new one, once. Not re-entered: the map calls only the probe's and
   * the keys' own methods.
   */
  private static final int STRIPES = 64;

  /** Probes 16 references apart: two stripes never share a cache line. */
  private static final int SPACING = 16;

  private static final AtomicReferenceArray<Lookup> PROBES =
      new AtomicReferenceArray<>(STRIPES * SPACING);

  static {
    for (int i = 0; i < STRIPES; i++) {
      PROBES.set(i * SPACING, new Lookup());
    }
  }

  private static Lookup probe(Object key) {
    int i = ((int) Thread.currentThread().getId() & (STRIPES - 1)) * SPACING;
    Lookup p = PROBES.getAndSet(i, null);
    if (p == null) {
      p = new Lookup();
    }
    p.index = i;
    return p.of(key);
  }

  private static void release(Lookup p) {
    p.clear();
    PROBES.lazySet(p.index, p);
  }

  V get(K key) {
    if (map.isEmpty()) {
      return null;
    }
    Lookup probe = probe(key);
    try {
      return map.get(probe);
    } finally {
      release(probe);
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
    Lookup probe = probe(key);
    try {
      // Most keys are not here; a miss must not take the lock of the key's bin.
      return map.get(probe) == null ? null : map.remove(probe);
    } finally {
      release(probe);
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

  /** A probe for look-ups; holds the referent strongly for one look-up only. */
  private static final class Lookup {
    private Object referent;
    private int hash;

    /** Where in {@link #PROBES} it goes back. */
    private int index;

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
