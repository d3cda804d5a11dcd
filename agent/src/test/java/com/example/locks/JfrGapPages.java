package com.example.locks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;

/**
 * Two pages, each a flow of its own ({@code flows=com.example.locks.JfrGapPages#page}), whose
 * thread waits about 50 ms for a monitor that another thread holds: the first in {@code main}'s
 * first lines, while the agent's JDK Flight Recorder is still starting (a fast {@code main}); the
 * second once its recording runs (the agent's {@code reqflow-jfr-start} thread ends then: joined
 * here).
 *
 * <p>Usage: {@code JfrGapPages [PAGES]}: PAGES pages in all (2 unless told), those after the first
 * once the recording runs. Prints, for each page, whether JDK Flight Recorder existed yet when the
 * page began ({@code page 1 jfr-initialized=false}: then the recording cannot have run before it),
 * and whether a recording runs before the second ({@code recording true}).
 */
public final class JfrGapPages {
  static final Object LOCK = new Object();

  private JfrGapPages() {}

  public static void main(String[] args) throws Exception {
    page(1);
    Thread starter = thread("reqflow-jfr-start");
    if (starter != null) {
      starter.join(TimeUnit.SECONDS.toMillis(60));
    }
    System.out.println("recording " + recordingRuns());
    int pages = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    for (int n = 2; n <= pages; n++) {
      page(n);
    }
  }

  /** One page: waits for {@link #LOCK} while another thread holds it. */
  static void page(int n) throws InterruptedException {
    boolean initialized = FlightRecorder.isInitialized();
    CountDownLatch held = new CountDownLatch(1);
    Thread holder =
        new Thread(
            () -> {
              synchronized (LOCK) {
                held.countDown();
                hold();
              }
            },
            "holder-" + n);
    holder.start();
    held.await();
    synchronized (LOCK) {
      // Entered once the holder let go: this thread waited for the monitor until then.
      System.out.println("page " + n + " jfr-initialized=" + initialized);
    }
    holder.join();
  }

  /** The work done while holding the monitor: 50 ms, which the page waits for. */
  static void hold() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static boolean recordingRuns() {
    return FlightRecorder.isInitialized()
        && FlightRecorder.getFlightRecorder().getRecordings().stream()
            .anyMatch(r -> r.getState() == RecordingState.RUNNING);
  }

  static Thread thread(String name) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
