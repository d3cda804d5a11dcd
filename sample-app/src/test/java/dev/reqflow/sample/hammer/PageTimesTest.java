package dev.reqflow.sample.hammer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PageTimesTest {
  @Test
  void percentilesAreNearestRank() {
    long[] millis = new long[20];
    for (int i = 0; i < 20; i++) {
      millis[i] = 20 - i;
    }
    PageTimes times = new PageTimes("async", millis, 0);

    assertThat(times.pages()).isEqualTo(20);
    assertThat(times.percentile(50)).isEqualTo(10);
    assertThat(times.percentile(95)).isEqualTo(19);
    assertThat(times.max()).isEqualTo(20);
  }

  @Test
  void noPagesGiveZeroes() {
    assertThat(new PageTimes("async", new long[0], 3).percentile(50)).isZero();
  }
}
