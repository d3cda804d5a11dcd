package dev.reqflow.agent.recorder;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values attached to objects of the application (futures, tasks, calls) without keeping them alive
 * and without relying on their {@code equals}: the agent cannot add fields to JDK classes that are
 * already loaded.
 */
final class WeakIdentityMap<K, V> {

  private final ConcurrentHashMap<Key, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

  V get(K key) {
    if (map.isEmpty()) {
      return null;
    }
    return map.get(new Lookup(key));
  }

  void put(K key, V value) {
    expunge();
    map.put(new Key(key, queue), value);
  }

  V remove(K key) {
    if (map.isEmpty()) {
      return null;
    }
    return map.remove(new Lookup(key));
  }

  boolean isEmpty() {
    return map.isEmpty();
  }

  int size() {
    return map.size();
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

  /** Short-lived probe for look-ups; holds the referent strongly for the look-up only. */
  private static final class Lookup {
    private final Object referent;
    private final int hash;

    Lookup(Object referent) {
      this.referent = referent;
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
      if (o instanceof Key) {
        return ((Key) o).get() == referent;
      }
      return false;
    }
  }
}
