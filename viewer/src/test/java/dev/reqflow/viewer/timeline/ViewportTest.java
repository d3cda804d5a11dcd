package dev.reqflow.viewer.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ViewportTest {
  private final Viewport v = new Viewport(1_000_000, 11_000_000, 1000, 0);

  @Test
  void mapsTimeToPixelsAndBack() {
    assertThat(v.x(1_000_000)).isEqualTo(0);
    assertThat(v.x(11_000_000)).isEqualTo(1000);
    assertThat(v.x(6_000_000)).isEqualTo(500);
    assertThat(v.nanosAt(250)).isEqualTo(3_500_000);
    assertThat(v.nanosPerPixel()).isEqualTo(10_000);
  }

  @Test
  void zoomKeepsTheTimeUnderThePointer() {
    long under = v.nanosAt(200);
    Viewport z = v.zoomAround(200, 4);
    assertThat(z.spanNanos()).isEqualTo(2_500_000);
    assertThat(z.nanosAt(200)).isCloseTo(under, within(1L));
    Viewport back = z.zoomAround(200, 0.25);
    assertThat(back.spanNanos()).isEqualTo(10_000_000);
    assertThat(back.nanosAt(200)).isCloseTo(under, within(2L));
  }

  @Test
  void zoomStopsAtAMicrosecondAcross() {
    Viewport z = v.zoomAround(500, 1e9);
    assertThat(z.spanNanos()).isEqualTo(Viewport.MIN_SPAN_NANOS);
  }

  @Test
  void dragRightShowsEarlierTimeAndDragUpScrollsDown() {
    Viewport p = v.pan(100, -30);
    assertThat(p.startNanos()).isEqualTo(0);
    assertThat(p.endNanos()).isEqualTo(10_000_000);
    assertThat(p.scrollY()).isEqualTo(30);
    assertThat(p.pan(0, 100).scrollY()).isZero();
  }

  @Test
  void fitLeavesAMarginAndClampsScroll() {
    Viewport f = Viewport.fit(0, 100_000_000, 800);
    assertThat(f.startNanos()).isEqualTo(-2_000_000);
    assertThat(f.endNanos()).isEqualTo(102_000_000);
    assertThat(new Viewport(0, 10, 10, 500).clampScroll(300, 200).scrollY()).isEqualTo(100);
  }

  @Test
  void overlapsIsInclusive() {
    assertThat(v.overlaps(0, 1_000_000)).isTrue();
    assertThat(v.overlaps(0, 999_999)).isFalse();
    assertThat(v.overlaps(11_000_001, 12_000_000)).isFalse();
  }
}
