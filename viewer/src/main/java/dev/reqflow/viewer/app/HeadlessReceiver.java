package dev.reqflow.viewer.app;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.report.ReportCli;
import dev.reqflow.viewer.flows.FlowStore;
import dev.reqflow.viewer.receiver.OtlpReceiver;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code --headless}: the viewer's receiver without a window. Flows are assembled and analysed as
 * in the window (same receiver, same analysis); the report's summary of everything received so far
 * is printed once flows have stopped changing for {@link #QUIET_MILLIS} (at least every {@link
 * #MAX_WAIT_MILLIS} under a steady stream), and the whole report when the process is stopped. Loads
 * no JavaFX class.
 */
public final class HeadlessReceiver implements AutoCloseable {
  /** Flows unchanged this long: the summary is printed. */
  static final long QUIET_MILLIS = 1_000;

  /** A steady stream gets a summary at least this often. */
  static final long MAX_WAIT_MILLIS = 10_000;

  private final FlowStore store = new FlowStore();
  private final PrintStream out;
  private final PrintStream err;
  private final OtlpReceiver receiver;
  private final ScheduledExecutorService printer;
  private long changedAt;
  private long printedAt;
  private boolean dirty;
  private int printed;

  private HeadlessReceiver(Options o, PrintStream out, PrintStream err) throws IOException {
    this.out = out;
    this.err = err;
    this.receiver = OtlpReceiver.start(o.bind(), o.port(), listener());
    this.printer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "reqflow-headless-report");
              t.setDaemon(true);
              return t;
            });
    printedAt = System.nanoTime();
    printer.scheduleWithFixedDelay(this::maybePrint, 200, 200, TimeUnit.MILLISECONDS);
  }

  /** Starts receiving; the caller prints where and closes it. */
  public static HeadlessReceiver start(Options o, PrintStream out, PrintStream err)
      throws IOException {
    return new HeadlessReceiver(o, out, err);
  }

  /** Runs until the process is stopped; returns the exit code (2 when it cannot listen). */
  static int run(Options o, PrintStream out, PrintStream err) {
    HeadlessReceiver h;
    try {
      h = start(o, out, err);
    } catch (IOException e) {
      err.println(
          "reqflow view: could not listen for OTLP on "
              + o.bind()
              + ":"
              + o.port()
              + ": "
              + e.getMessage()
              + " (use --port)");
      return 2;
    }
    err.println(
        "reqflow view: headless, OTLP on http://"
            + h.address()
            + "/v1/traces; the report's summary follows as flows arrive, the whole report at"
            + " exit (Ctrl+C)");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  h.close();
                  stopped.countDown();
                },
                "reqflow-headless-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  public String address() {
    return receiver.address();
  }

  public int port() {
    return receiver.port();
  }

  /** Summaries printed so far. */
  public synchronized int printed() {
    return printed;
  }

  /**
   * Waits until {@code n} summaries have been printed in all; false when {@code timeoutMillis}
   * passed first.
   */
  public synchronized boolean awaitPrinted(int n, long timeoutMillis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (printed < n) {
      long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /**
   * The reports held, in the order a file's flows come in (start time, then trace id, as core's
   * assembler orders them), so that the report reads as `reqflow report` of the same spans.
   */
  public synchronized List<FlowReport> reports() {
    List<FlowReport> out = new java.util.ArrayList<>(store.flowsOfSource(FlowStore.LIVE));
    out.sort(
        java.util.Comparator.comparingLong((FlowReport r) -> r.flow().startNanos())
            .thenComparing(r -> r.flow().traceId()));
    return out;
  }

  /** What the received spans said of themselves (the agent's background installs), so far. */
  private List<String> notices = List.of();

  private synchronized List<String> notices() {
    return notices;
  }

  private OtlpReceiver.Listener listener() {
    return new OtlpReceiver.Listener() {
      @Override
      public void flows(List<FlowReport> changed) {
        synchronized (HeadlessReceiver.this) {
          store.replaceTraces(FlowStore.LIVE, changed);
          changedAt = System.nanoTime();
          dirty = true;
        }
      }

      @Override
      public void error(String message) {
        err.println("reqflow view: " + message);
      }

      @Override
      public void notices(List<String> sentences) {
        synchronized (HeadlessReceiver.this) {
          notices = List.copyOf(sentences);
          dirty = true;
        }
      }
    };
  }

  private void maybePrint() {
    List<FlowReport> reports;
    synchronized (this) {
      long now = System.nanoTime();
      if (!dirty
          || (now - changedAt < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)
              && now - printedAt < TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS))) {
        return;
      }
      dirty = false;
      printedAt = now;
      reports = reports();
    }
    try {
      ReportCli.writeReceived(reports, receiver.spanCount(), notices(), out, true);
      out.println();
      out.flush();
    } catch (RuntimeException e) {
      err.println("reqflow view: could not write the report: " + e);
    }
    synchronized (this) {
      printed++;
      notifyAll();
    }
  }

  /** Stops receiving; prints the whole report of what was received, if anything was. */
  @Override
  public void close() {
    printer.shutdownNow();
    receiver.close();
    List<FlowReport> reports;
    reports = reports();
    if (!reports.isEmpty()) {
      out.println();
      ReportCli.writeReceived(reports, receiver.spanCount(), notices(), out, false);
      out.flush();
    }
  }
}
