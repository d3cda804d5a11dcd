package dev.reqflow.analysis;

/** Durations for people: {@code 1.28 s}, {@code 340 ms}, {@code 0.8 ms}. */
public final class Durations {
  private Durations() {}

  public static String format(long nanos) {
    if (nanos == 0) {
      return "0 ms";
    }
    // By hand rather than String.format: explanations are built for every flow of a large batch.
    String sign = nanos < 0 ? "-" : "";
    long abs = Math.abs(nanos);
    if (abs >= 10_000 * MS) {
      return sign + decimals(abs, 100 * MS, 1) + " s";
    }
    if (abs >= 1000 * MS) {
      return sign + decimals(abs, 10 * MS, 2) + " s";
    }
    if (abs >= 10 * MS) {
      return sign + ((abs + MS / 2) / MS) + " ms";
    }
    return sign + decimals(abs, MS / 10, 1) + " ms";
  }

  private static final long MS = 1_000_000L;

  /** abs in units of `unit` (rounded half up), printed with the given number of decimals. */
  private static String decimals(long abs, long unit, int places) {
    long units = (abs + unit / 2) / unit;
    long scale = places == 1 ? 10 : 100;
    long frac = units % scale;
    String f = Long.toString(frac);
    if (places == 2 && frac < 10) {
      f = "0" + f;
    }
    return (units / scale) + "." + f;
  }

  /** Milliseconds with at most one decimal, for machine output. */
  public static double millis(long nanos) {
    return Math.round(nanos / 1e5) / 10.0;
  }
}
