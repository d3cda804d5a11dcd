package dev.reqflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DurationsTest {
  private static final long MS = 1_000_000L;

  @Test
  void readsLikeAPersonWouldWriteIt() {
    assertThat(Durations.format(0)).isEqualTo("0 ms");
    assertThat(Durations.format(MS * 8 / 10)).isEqualTo("0.8 ms");
    assertThat(Durations.format(9_960_000)).isEqualTo("10.0 ms");
    assertThat(Durations.format(340 * MS)).isEqualTo("340 ms");
    assertThat(Durations.format(1_280 * MS)).isEqualTo("1.28 s");
    assertThat(Durations.format(1_005 * MS)).isEqualTo("1.01 s");
    assertThat(Durations.format(12_340 * MS)).isEqualTo("12.3 s");
    assertThat(Durations.format(-40 * MS)).isEqualTo("-40 ms");
    assertThat(Durations.millis(1_234_567)).isEqualTo(1.2);
  }
}
