package dev.reqflow.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.agent.export.DropCounts.Reason;
import org.junit.jupiter.api.Test;

class DropCountsTest {

  @Test
  void everySpanAdmittedOrNotEndsUpCountedOnce() {
    DropCounts c = new DropCounts("file x", "written", 4);
    int admitted = 0;
    for (int i = 0; i < 6; i++) {
      admitted += c.admit() ? 1 : 0;
    }
    assertThat(admitted).isEqualTo(4);
    c.exporting(3);
    c.delivered(2);
    c.exporting(1);
    c.failed(1, false);
    assertThat(c.admit()).isTrue(); // room again: the exporter took them off the queue
    c.exporting(1);
    c.failed(1, true);

    DropCounts.Snapshot s = c.snapshot();
    assertThat(s.delivered).isEqualTo(2);
    assertThat(s.dropped(Reason.QUEUE_FULL)).isEqualTo(2);
    assertThat(s.dropped(Reason.EXPORT_FAILED)).isEqualTo(1);
    assertThat(s.dropped(Reason.TIMED_OUT)).isEqualTo(1);
    // One still in the queue, one handed over and not answered: neither will be written now.
    assertThat(s.dropped(Reason.NOT_FLUSHED)).isEqualTo(1);
    assertThat(s.delivered + s.droppedTotal()).isEqualTo(7);
    assertThat(c.failedExports()).isEqualTo(2);
    assertThat(c.timingOut()).isTrue();
    c.exporting(1);
    c.delivered(1);
    assertThat(c.timingOut()).isFalse();
  }
}
