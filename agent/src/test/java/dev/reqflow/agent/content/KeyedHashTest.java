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

  @Test
  void aStringHashesAsItsUtf16BytesLowFirstWhateverWasPending() {
    KeyedHash h = new KeyedHash(5, 6);
    String text = "http://127.0.0.1:8080/user?session=abc123&\u00e9t\u00e9=\u20ac";
    for (int before = 0; before < 9; before++) {
      for (int len = 0; len <= text.length(); len++) {
        String s = text.substring(0, len);
        byte[] bytes = new byte[before + 2 * len];
        for (int i = 0; i < len; i++) {
          bytes[before + 2 * i] = (byte) s.charAt(i);
          bytes[before + 2 * i + 1] = (byte) (s.charAt(i) >>> 8);
        }
        long expected = h.hash(bytes, 0, bytes.length);
        long actual = h.start().update(bytes, 0, before).update(s).finish();
        assertThat(actual).as("%d bytes before, %d chars", before, len).isEqualTo(expected);
      }
    }
  }

  @Test
  void wordsAtATimeHashAsByteAtATimeWhateverWasPending() {
    KeyedHash h = new KeyedHash(7, 8);
    byte[] b =
        "GET\nhttp://127.0.0.1:8080/users/48213?cursor=c7f3".getBytes(StandardCharsets.UTF_8);
    for (int before = 0; before < 9; before++) {
      for (int len = 0; before + len <= b.length; len++) {
        KeyedHash.State one = h.start();
        for (int i = 0; i < before + len; i++) {
          one.update(b[i]);
        }
        long actual = h.start().update(b, 0, before).update(b, before, len).finish();
        assertThat(actual).as("%d bytes before, %d bytes", before, len).isEqualTo(one.finish());
      }
    }
  }

  @Test
  void anAsciiRangeHashesAsItsUtf8BytesWhateverWasPending() {
    KeyedHash h = new KeyedHash(9, 10);
    String text = "x/http://127.0.0.1:8080/user?session=abc123&cursor=c7f3";
    byte[] pending = {1, 2, 3, 4, 5, 6, 7, 8};
    for (int before = 0; before < 9; before++) {
      for (int from = 0; from < 3; from++) {
        for (int to = from; to <= text.length(); to++) {
          byte[] utf8 = text.substring(from, to).getBytes(StandardCharsets.UTF_8);
          long expected =
              h.start().update(pending, 0, before).update(utf8, 0, utf8.length).finish();
          long actual = h.start().update(pending, 0, before).updateAscii(text, from, to).finish();
          assertThat(actual).as("%d before, [%d, %d)", before, from, to).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void anAsciiRangeLongerThanTheCopyBufferHashesAsItsUtf8Bytes() {
    // updateAscii copies the characters 64 at a time: ranges across those pieces.
    KeyedHash h = new KeyedHash(11, 12);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < 300; i++) {
      sb.append("/segment-").append(i).append("?q=").append(i * 31);
    }
    String text = sb.toString();
    for (int from = 0; from < 70; from += 7) {
      for (int to = from; to <= text.length(); to += 13) {
        byte[] utf8 = text.substring(from, to).getBytes(StandardCharsets.UTF_8);
        long expected = h.start().update((byte) 1).update(utf8, 0, utf8.length).finish();
        long actual = h.start().update((byte) 1).updateAscii(text, from, to).finish();
        assertThat(actual).as("[%d, %d)", from, to).isEqualTo(expected);
      }
    }
  }

  @Test
  void aScratchStateStartsAfresh() {
    KeyedHash h = new KeyedHash(13, 14);
    long once = h.scratch().updateAscii("user-42", 0, 7).finish();
    h.scratch().update((byte) 9);
    assertThat(h.scratch().updateAscii("user-42", 0, 7).finish())
        .isEqualTo(once)
        .isEqualTo(h.start().updateAscii("user-42", 0, 7).finish());
  }
}
