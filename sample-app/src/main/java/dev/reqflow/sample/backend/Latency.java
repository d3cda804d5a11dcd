package dev.reqflow.sample.backend;

import java.util.Random;

/**
 * How long a backend takes to answer: always the same, or usually quick with a heavy tail (a chance
 * of a much slower answer). The tail is drawn from a seeded generator, so the n-th request to a
 * backend gets the same latency on every run.
 */
public final class Latency {
  private final long usualMs;
  private final long tailMs;
  private final double tailChance;
  private final long seed;
  private final Random random;

  private Latency(long usualMs, long tailMs, double tailChance, long seed) {
    if (usualMs < 0 || tailMs < 0 || tailChance < 0 || tailChance > 1) {
      throw new IllegalArgumentException("latencies are >= 0 ms and the tail chance in [0, 1]");
    }
    this.usualMs = usualMs;
    this.tailMs = tailMs;
    this.tailChance = tailChance;
    this.seed = seed;
    this.random = new Random(seed);
  }

  public static Latency fixed(long ms) {
    return new Latency(ms, ms, 0, 0);
  }

  /** Usually {@code usualMs}; with probability {@code tailChance}, {@code tailMs} instead. */
  public static Latency heavyTail(long usualMs, long tailMs, double tailChance, long seed) {
    return new Latency(usualMs, tailMs, tailChance, seed);
  }

  /** The same shape with every duration multiplied by {@code factor} (and a fresh generator). */
  public Latency scaled(double factor) {
    return new Latency(Math.round(usualMs * factor), Math.round(tailMs * factor), tailChance, seed);
  }

  /** The same shape with a generator seeded anew, for runs that must repeat each other. */
  public Latency reseeded(long newSeed) {
    return new Latency(usualMs, tailMs, tailChance, newSeed);
  }

  /** The latency of the next request. */
  public long nextMillis() {
    if (tailChance == 0) {
      return usualMs;
    }
    synchronized (random) {
      return random.nextDouble() < tailChance ? tailMs : usualMs;
    }
  }

  public long usualMs() {
    return usualMs;
  }

  @Override
  public String toString() {
    if (tailChance == 0) {
      return usualMs + " ms";
    }
    return usualMs + " ms, " + Math.round(tailChance * 100) + "% of requests " + tailMs + " ms";
  }
}
