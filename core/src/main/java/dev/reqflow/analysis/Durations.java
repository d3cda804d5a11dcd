package dev.reqflow.analysis;

import java.util.Locale;

/** Durations for people: {@code 1.28 s}, {@code 340 ms}, {@code 0.8 ms}. */
public final class Durations {
  private Durations() {}

  public static String format(long nanos) {
    double ms = nanos / 1e6;
    double abs = Math.abs(ms);
    if (abs >= 10_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }
    if (abs >= 1000) {
      return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.0f ms", ms);
    }
    return String.format(Locale.ROOT, "%.1f ms", ms);
  }

  /** Milliseconds with at most one decimal, for machine output. */
  public static double millis(long nanos) {
    return Math.round(nanos / 1e5) / 10.0;
  }
}
