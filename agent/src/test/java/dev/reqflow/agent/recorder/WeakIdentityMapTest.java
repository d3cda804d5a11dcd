package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

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
