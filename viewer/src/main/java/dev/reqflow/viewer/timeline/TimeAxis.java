package dev.reqflow.viewer.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ticks for the time axis: a round step (1, 2 or 5 times a power of ten nanoseconds) that leaves at
 * least a minimum gap in pixels, and labels in milliseconds relative to the flow's start.
 */
public final class TimeAxis {
  private TimeAxis() {}

  /** One tick: its time, relative to the origin, and its label. */
  public record Tick(long nanos, String label) {}

  /** The smallest round step that keeps ticks {@code minGapPx} apart. */
  public static long step(Viewport v, double minGapPx) {
    double raw = v.nanosPerPixel() * minGapPx;
    long pow = 1;
    while (pow * 10 <= raw && pow < Long.MAX_VALUE / 100) {
      pow *= 10;
    }
    for (long m : new long[] {1, 2, 5, 10}) {
      if (pow * m >= raw) {
        return pow * m;
      }
    }
    return pow * 10;
  }

  /** Ticks of the visible window, times relative to {@code originNanos} (the flow's start). */
  public static List<Tick> ticks(Viewport v, long originNanos, double minGapPx) {
    long step = step(v, minGapPx);
    long firstRel = Math.floorDiv(v.startNanos() - originNanos, step) * step;
    List<Tick> out = new ArrayList<>();
    for (long rel = firstRel; originNanos + rel <= v.endNanos(); rel += step) {
      if (originNanos + rel >= v.startNanos()) {
        out.add(new Tick(rel, label(rel, step)));
      }
    }
    return out;
  }

  /** {@code 120 ms}, {@code 1.25 ms}, {@code 0.005 ms}: as many decimals as the step needs. */
  public static String label(long relNanos, long stepNanos) {
    int decimals = 0;
    long s = stepNanos;
    while (s < 1_000_000 && decimals < 6) {
      s *= 10;
      decimals++;
    }
    return String.format(Locale.ROOT, "%." + decimals + "f ms", relNanos / 1e6);
  }

  /** A duration for people: {@code 812 µs}, {@code 42.5 ms}, {@code 1.28 s}. */
  public static String duration(long nanos) {
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%d µs", nanos / 1_000);
    }
    if (nanos < 10_000_000) {
      return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
    if (nanos < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
