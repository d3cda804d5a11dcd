package dev.reqflow.bench.overhead;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and range of one figure over the rounds. */
record Spread(double median, double min, double max, int count) {

  static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /** {@code median (min–max)} with the given format for each number. */
  String format(String number) {
    if (count == 0) {
      return "–";
    }
    String m = String.format(number, median);
    return count == 1
        ? m
        : m + " (" + String.format(number, min) + " – " + String.format(number, max) + ")";
  }
}
