package dev.reqflow.otlp;

import java.util.HashMap;
import java.util.Map;

/** Shares equal strings read from one input: a million spans repeat few names. */
final class Interner {
  private final Map<String, String> seen = new HashMap<>();

  String intern(String s) {
    if (s == null) {
      return null;
    }
    String prior = seen.putIfAbsent(s, s);
    return prior == null ? s : prior;
  }
}
