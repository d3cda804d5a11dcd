package dev.reqflow.bench.overhead;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Saturating load: {@code connections} threads, each with one keep-alive connection, send the next
 * page as soon as the last one is in. What comes out is the server's capacity, in pages per second.
 */
final class ClosedLoopLoad {
  private final int port;
  private final Pages pages;
  private final int connections;

  ClosedLoopLoad(int port, Pages pages, int connections) {
    this.port = port;
    this.pages = pages;
    this.connections = connections;
  }

  /** Pages served per second over {@code seconds}, and the failures seen. */
  Result run(double seconds) throws InterruptedException {
    AtomicLong served = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int offset = c;
      Thread t = new Thread(() -> drive(deadline, offset, served, failed), "closed-loop-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Result(served.get(), failed.get(), elapsed);
  }

  private void drive(long deadline, int offset, AtomicLong served, AtomicLong failed) {
    long n = offset;
    while (System.nanoTime() < deadline) {
      try (HttpConnection connection = new HttpConnection(port)) {
        while (System.nanoTime() < deadline) {
          if (connection.get(pages.request(n++)) == 200) {
            served.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
        }
      } catch (IOException | RuntimeException e) {
        failed.incrementAndGet();
      }
    }
  }

  record Result(long pages, long failures, double seconds) {
    double pagesPerSecond() {
      return pages / seconds;
    }
  }
}
