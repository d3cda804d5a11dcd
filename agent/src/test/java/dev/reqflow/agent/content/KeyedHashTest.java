package dev.reqflow.agent.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyedHashTest {

  @Test
  void matchesTheSipHashReferenceVectors() {
    // Aumasson and Bernstein's reference: key 00..0f, messages 00, 00 01, ..., 64-bit output.
    KeyedHash h = new KeyedHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
    byte[] m = new byte[64];
    for (int i = 0; i < m.length; i++) {
      m[i] = (byte) i;
    }

    assertThat(h.hash(m, 0, 0)).isEqualTo(0x726fdb47dd0e0e31L);
    assertThat(h.hash(m, 0, 1)).isEqualTo(0x74f839c593dc67fdL);
    assertThat(h.hash(m, 0, 8)).isEqualTo(0x93f5f5799a932462L);
    assertThat(h.hash(m, 0, 15)).isEqualTo(0xa129ca6149be45e5L);
  }

  @Test
  void piecesHashLikeTheWholeAndKeysDiffer() {
    byte[] b = "GET\nhttp://config/x?tenant=acme".getBytes(StandardCharsets.UTF_8);
    KeyedHash h = new KeyedHash(1, 2);

    long whole = h.hash(b, 0, b.length);
    long pieces = h.start().update(b, 0, 5).update(b, 5, b.length - 5).finish();

    assertThat(pieces).isEqualTo(whole);
    assertThat(new KeyedHash(3, 4).hash(b, 0, b.length)).isNotEqualTo(whole);
    assertThat(new KeyedHash().hash(b, 0, b.length))
        .isNotEqualTo(new KeyedHash().hash(b, 0, b.length));
  }
}
