package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

  /** Equal by {@code equals}, yet different objects: the map must tell them apart. */
  private record Same(String v) {}

  @Test
  void findsOnlyTheSameObject() {
    WeakIdentityMap<Object, String> m = new WeakIdentityMap<>();
    Same a = new Same("x");
    Same b = new Same("x");
    m.put(a, "a");

    assertThat(m.get(a)).isEqualTo("a");
    assertThat(m.get(b)).isNull();
    assertThat(m.remove(b)).isNull();
    assertThat(m.size()).isEqualTo(1);
    assertThat(m.remove(a)).isEqualTo("a");
    assertThat(m.remove(a)).isNull();
    assertThat(m.isEmpty()).isTrue();
  }

  @Test
  void lookUpsAfterOneAnotherOnOneThreadDoNotMix() {
    WeakIdentityMap<Object, String> m = new WeakIdentityMap<>();
    CompletableFuture<String> f = new CompletableFuture<>();
    CompletableFuture<String> g = new CompletableFuture<>();
    m.put(f, "f");
    m.put(g, "g");

    assertThat(m.get(f)).isEqualTo("f");
    assertThat(m.get(g)).isEqualTo("g");
    assertThat(m.remove(new CompletableFuture<>())).isNull();
    assertThat(m.remove(g)).isEqualTo("g");
    assertThat(m.get(f)).isEqualTo("f");
    assertThat(m.get(g)).isNull();
  }

  @Test
  void threadsLookUpTheSameMapAtOnce() throws InterruptedException, ExecutionException {
    WeakIdentityMap<Object, Integer> m = new WeakIdentityMap<>();
    Object[] keys = new Object[64];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new Object();
      m.put(keys[i], i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<?>[] readers = new Future<?>[4];
      for (int t = 0; t < readers.length; t++) {
        int offset = t;
        readers[t] =
            pool.submit(
                () -> {
                  for (int round = 0; round < 2_000; round++) {
                    int i = (round + offset) % keys.length;
                    assertThat(m.get(keys[i])).isEqualTo(i);
                    assertThat(m.get(new Object())).isNull();
                  }
                });
      }
      for (Future<?> r : readers) {
        r.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(m.size()).isEqualTo(keys.length);
  }

  @Test
  void aFullMapTurnsNewKeysAwayAndCountsThem() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(2);
    Object a = new Object();
    Object b = new Object();
    Object c = new Object();
    map.put(a, "a");
    map.put(b, "b");
    map.put(c, "c");
    assertThat(map.get(c)).isNull();
    assertThat(map.refused()).isEqualTo(1);
    // A key it holds still takes a new value.
    map.put(a, "a2");
    assertThat(map.get(a)).isEqualTo("a2");
    assertThat(map.refused()).isEqualTo(1);
    // Room again once one goes.
    map.remove(b);
    map.put(c, "c");
    assertThat(map.get(c)).isEqualTo("c");
  }

  @Test
  void keysAreByIdentity() {
    WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
    String k1 = new String("k");
    String k2 = new String("k");
    map.put(k1, "one");
    assertThat(map.get(k1)).isEqualTo("one");
    assertThat(map.get(k2)).isNull();
  }
}
