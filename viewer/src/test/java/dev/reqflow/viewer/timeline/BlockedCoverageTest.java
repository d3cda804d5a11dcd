package dev.reqflow.viewer.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BlockedCoverageTest {
  /**
   * The flow: 50,000 calls over 2.9 s, blocked 236 ms in 500 short waits, at fit zoom on a
   * 700 px plot. The columns add up to the blocked time, none is drawn fuller than it is.
   */
  @Test
  void manyShortWaitsCoverTheirShareOfEachColumnNotTheWholeColumn() {
    long span = 2_900_000_000L;
    Viewport v = Viewport.fit(0, span, 700);
    double[] cols = new double[701];
    long wait = 236_000_000L / 500;
    long total = 0;
    for (int i = 0; i < 500; i++) {
      long start = i * (span / 500) + 1_234_567;
      BlockedCoverage.add(cols, v.x(start), v.x(start + wait));
      total += wait;
    }
    double covered = 0;
    double fullest = 0;
    for (double c : cols) {
      covered += c;
      fullest = Math.max(fullest, c);
    }
    assertThat(covered * v.nanosPerPixel()).isCloseTo(total, within(1e3));
    // 0.47 ms of waits in a 4.1 ms column: about an eighth of the band, not all of it.
    assertThat(fullest).isLessThan(0.2);
  }

  @Test
  void aWaitCrossingAColumnBoundaryIsSplitExactly() {
    double[] cols = new double[4];
    BlockedCoverage.add(cols, 0.75, 2.25);
    assertThat(cols).containsExactly(0.25, 1.0, 0.25, 0.0);
    BlockedCoverage.add(cols, -5, 0.5);
    BlockedCoverage.add(cols, 3.5, 9);
    assertThat(cols).containsExactly(0.75, 1.0, 0.25, 0.5);
  }
}
