package dev.reqflow.viewer.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ParentWaitTest {
  private static ByteString id(long v) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(v).array());
  }

  @Test
  void aChildBeforeItsParentWaitsUntilTheParentComes() {
    ParentWait w = new ParentWait();
    w.add(id(2), id(1)); // a call, its flow span not come yet
    assertThat(w.missing()).isTrue();
    w.add(id(3), id(1));
    w.add(id(1), ByteString.EMPTY); // the flow span: exempt from waiting for its own parent
    assertThat(w.missing()).isFalse();
    w.add(id(4), id(2)); // a late span under a span already there
    assertThat(w.missing()).isFalse();
  }

  @Test
  void thousandsOfSpansAndIdsOfOtherLengthsAreTracked() {
    ParentWait w = new ParentWait();
    for (long i = 2; i < 5_000; i++) {
      w.add(id(i), id(i - 1));
    }
    assertThat(w.missing()).isTrue(); // span 1
    w.add(id(1), ByteString.EMPTY);
    assertThat(w.missing()).isFalse();
    w.add(ByteString.copyFromUtf8("odd-id"), ByteString.copyFromUtf8("odd-parent"));
    assertThat(w.missing()).isTrue();
    w.add(ByteString.copyFromUtf8("odd-parent"), ByteString.EMPTY);
    assertThat(w.missing()).isFalse();
  }
}
