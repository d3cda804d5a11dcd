package dev.reqflow.sample.hammer;

import java.io.PrintStream;
import java.util.Locale;

/** Prints page times as a table: strategy, pages, p50, p95, max (ms). */
public final class TimesTable {
  private static final String ROW = "%-32s %6s %7s %7s %7s%n";

  private final PrintStream out;

  public TimesTable(PrintStream out) {
    this.out = out;
  }

  public void header() {
    out.printf(Locale.ROOT, ROW, "strategy", "pages", "p50 ms", "p95 ms", "max ms");
    out.flush();
  }

  public void row(PageTimes times) {
    out.printf(
        Locale.ROOT,
        ROW,
        times.strategy(),
        times.pages(),
        times.percentile(50),
        times.percentile(95),
        times.max());
    out.flush();
  }
}
