package dev.reqflow.cases.backend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What a service answers: values derived from the request, so that the same request always gets the
 * same answer and different requests get different ids, which no request of a case carries before
 * the answer that returned them.
 */
final class Answers {
  private Answers() {}

  static String body(String name, String rawQuery, int items) {
    byte[] d = digest(name + "?" + (rawQuery == null ? "" : rawQuery));
    int value = 10_000 + Math.floorMod((d[0] << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff), 90_000);
    StringBuilder cursor = new StringBuilder();
    for (int i = 3; i < 11; i++) {
      cursor.append(String.format("%02x", d[i]));
    }
    StringBuilder sb = new StringBuilder();
    sb.append("{\"service\":\"")
        .append(name)
        .append("\",\"id\":\"")
        .append(name)
        .append('-')
        .append(value)
        .append("\",\"value\":")
        .append(value)
        .append(",\"next\":\"")
        .append(cursor)
        .append('"');
    if (items > 0) {
      sb.append(",\"items\":[");
      for (int i = 0; i < items; i++) {
        sb.append(i == 0 ? "" : ",")
            .append('"')
            .append("item-")
            .append(value + 7 * (i + 1))
            .append('"');
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
