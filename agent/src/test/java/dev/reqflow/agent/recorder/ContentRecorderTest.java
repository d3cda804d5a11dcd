package dev.reqflow.agent.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentRecorderTest {
  @Test
  void aRequestHashIsWrittenAsTheFormatterWroteIt() {
    long[] values = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x0123456789abcdefL, 0xf00dL};
    for (long v : values) {
      assertThat(ContentRecorder.hex16(v)).isEqualTo(String.format("%016x", v));
    }
  }
}
