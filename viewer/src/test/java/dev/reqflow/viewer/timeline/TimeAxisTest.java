package dev.reqflow.viewer.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeAxisTest {
  @Test
  void picksARoundStepThatLeavesTheGap() {
    // 1 s across 1000 px: 90 px is 90 ms, so the step is 100 ms
    Viewport v = new Viewport(0, 1_000_000_000, 1000, 0);
    assertThat(TimeAxis.step(v, 90)).isEqualTo(100_000_000);
    assertThat(TimeAxis.step(v, 30)).isEqualTo(50_000_000);
    assertThat(TimeAxis.step(v, 15)).isEqualTo(20_000_000);
  }

  @Test
  void ticksAreRelativeToTheFlowStart() {
    long origin = 1_700_000_000_000_000_000L;
    Viewport v = new Viewport(origin - 5_000_000, origin + 395_000_000, 1000, 0);
    List<TimeAxis.Tick> ticks = TimeAxis.ticks(v, origin, 90);
    assertThat(ticks)
        .extracting(TimeAxis.Tick::label)
        .containsExactly(
            "0 ms", "50 ms", "100 ms", "150 ms", "200 ms", "250 ms", "300 ms", "350 ms");
  }

  @Test
  void labelsGetDecimalsWhenZoomedIn() {
    assertThat(TimeAxis.label(1_500_000, 500_000)).isEqualTo("1.5 ms");
    assertThat(TimeAxis.label(1_250_000, 50_000)).isEqualTo("1.25 ms");
    assertThat(TimeAxis.label(-2_000_000, 1_000_000)).isEqualTo("-2 ms");
  }

  @Test
  void durationsForPeople() {
    assertThat(TimeAxis.duration(812_000)).isEqualTo("812 µs");
    assertThat(TimeAxis.duration(4_250_000)).isEqualTo("4.25 ms");
    assertThat(TimeAxis.duration(42_500_000)).isEqualTo("42.5 ms");
    assertThat(TimeAxis.duration(1_280_000_000)).isEqualTo("1.28 s");
  }
}
