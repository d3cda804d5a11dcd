package dev.reqflow.bench.overhead;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load at a fixed rate, for latency: page {@code i} is due at {@code start + i / rate}, whatever
 * happened to the pages before it, and its latency counts from that due time. A server that stalls
 * therefore gets the stall charged to every page that should have been sent meanwhile, not only to
 * the one in flight (no coordinated omission). A pool of connections far larger than the rate needs
 * sends the pages, so a page waits for a free connection only when the server is behind.
 */
final class OpenLoopLoad {
  private final int port;
  private final Pages pages;
  private final int connections;

  OpenLoopLoad(int port, Pages pages, int connections) {
    this.port = port;
    this.pages = pages;
    this.connections = connections;
  }

  /**
   * Sends pages at {@code pagesPerSecond} for {@code warmupSeconds}, unrecorded (the connections
   * are opened, the server's request threads started), then for {@code seconds}, recorded.
   */
  Result run(double pagesPerSecond, double warmupSeconds, double seconds)
      throws InterruptedException {
    return run(pagesPerSecond, warmupSeconds, seconds, null);
  }

  /**
   * As {@link #run(double, double, double)}, and calls {@code window}'s {@link Window#begin} at the
   * due time of the first recorded page and its {@link Window#end} at the due time the page after
   * the last recorded one would have had, from the calling thread: the window holds exactly the
   * recorded pages' due times, so a measure taken between the two calls is for that many pages.
   */
  Result run(double pagesPerSecond, double warmupSeconds, double seconds, Window window)
      throws InterruptedException {
    int skipped = (int) Math.round(pagesPerSecond * warmupSeconds);
    int recorded = (int) Math.max(1, Math.round(pagesPerSecond * seconds));
    int count = skipped + recorded;
    long[] fromDue = new long[recorded];
    long[] fromSend = new long[recorded];
    AtomicLong next = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    double intervalNanos = 1e9 / pagesPerSecond;
    long start = System.nanoTime() + 20_000_000;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread t =
          new Thread(
              () -> {
                HttpConnection connection = null;
                for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  long due = start + (long) (i * intervalNanos);
                  for (long wait = due - System.nanoTime(); wait > 0; ) {
                    LockSupport.parkNanos(wait);
                    wait = due - System.nanoTime();
                  }
                  long sent = System.nanoTime();
                  int status;
                  try {
                    if (connection == null) {
                      connection = new HttpConnection(port);
                    }
                    status = connection.get(pages.request(i));
                  } catch (IOException | RuntimeException e) {
                    status = -1;
                    closeQuietly(connection);
                    connection = null;
                  }
                  long done = System.nanoTime();
                  if (i >= skipped) {
                    fromDue[(int) i - skipped] = done - due;
                    fromSend[(int) i - skipped] = done - sent;
                    if (status != 200) {
                      failed.incrementAndGet();
                    }
                  }
                }
                closeQuietly(connection);
              },
              "open-loop-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    if (window != null) {
      parkUntil(start + (long) (skipped * intervalNanos));
      window.begin();
      parkUntil(start + (long) (count * intervalNanos));
      window.end();
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9 - skipped / pagesPerSecond;
    List<String> timeline = timeline(fromDue, pagesPerSecond);
    Arrays.sort(fromDue);
    Arrays.sort(fromSend);
    return new Result(fromDue, fromSend, failed.get(), recorded / elapsed, timeline);
  }

  private static void parkUntil(long nanoTime) {
    for (long wait = nanoTime - System.nanoTime(); wait > 0; ) {
      LockSupport.parkNanos(wait);
      wait = nanoTime - System.nanoTime();
    }
  }

  /**
   * Called at the bounds of the recorded pages' due times (see {@link #run(double, double, double,
   * Window)}).
   */
  interface Window {
    void begin();

    void end();
  }

  /** Per half second of due times: pages, median and worst latency, to tell a stall from noise. */
  private static List<String> timeline(long[] fromDue, double pagesPerSecond) {
    List<String> lines = new ArrayList<>();
    lines.add("due at s\tpages\tp50 ms\tmax ms");
    int perSlot = (int) Math.max(1, Math.round(pagesPerSecond / 2));
    for (int from = 0; from < fromDue.length; from += perSlot) {
      long[] slot = Arrays.copyOfRange(fromDue, from, Math.min(fromDue.length, from + perSlot));
      Arrays.sort(slot);
      lines.add(
          String.format(
              "%.1f\t%d\t%.3f\t%.3f",
              from / pagesPerSecond,
              slot.length,
              slot[slot.length / 2] / 1e6,
              slot[slot.length - 1] / 1e6));
    }
    return lines;
  }

  private static void closeQuietly(HttpConnection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (IOException e) {
        // closing a broken connection: nothing to do
      }
    }
  }

  /**
   * Latencies in nanoseconds, sorted: from each page's due time (what a user sees) and from when it
   * was actually sent (the server's answer time alone).
   */
  record Result(
      long[] fromDue, long[] fromSend, long failures, double achievedRate, List<String> timeline) {
    long percentileFromDue(double p) {
      return percentile(fromDue, p);
    }

    long percentileFromSend(double p) {
      return percentile(fromSend, p);
    }

    private static long percentile(long[] sorted, double p) {
      int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
  }
}
