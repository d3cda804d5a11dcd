package dev.reqflow.agent.recorder;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The stall watchdog: a daemon thread, started with the first flow, that looks a few times per
 * {@code stall.after} at the flows in progress and has {@link Snapshots} write those open that
 * long; at exit, every flow still open.
 *
 * <p>It finds the open flows without any cost to the application's threads beyond what the recorder
 * already does: each thread that ever worked for a flow is in {@link ThreadState#ALL}, and says
 * which flow it works for now and what it waits on; flows whose threads all returned (an async
 * response) are in {@link Followed#detachedFlows}. A flow none of whose threads is on it right now
 * and that is not detached (between two hand-offs) is found at the next look.
 */
public final class StallWatch {
  /** The longest a look at the flows waits for the next. */
  private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The shortest, however small {@code stall.after} is. */
  private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** Flows written at exit at most: the exit has seconds, not minutes. */
  public static final int MAX_FLOWS_AT_EXIT = 1000;

  private final Followed followed;
  private final Snapshots snapshots;
  private final SpanWriter spans;
  private final long stallAfterNanos;
  private final long tickNanos;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean stopped;

  StallWatch(Followed followed, Snapshots snapshots, SpanWriter spans, long stallAfterNanos) {
    this.followed = followed;
    this.snapshots = snapshots;
    this.spans = spans;
    this.stallAfterNanos = stallAfterNanos;
    this.tickNanos = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, stallAfterNanos / 4));
  }

  /** A flow started: the watchdog runs from now on (once); {@code stall.after=0} keeps it off. */
  void started() {
    if (!started.get() && stallAfterNanos > 0 && started.compareAndSet(false, true)) {
      Thread t = new Thread(this::run, "reqflow-stall-watch");
      t.setDaemon(true);
      t.start();
    }
  }

  private void run() {
    while (!stopped) {
      LockSupport.parkNanos(this, tickNanos);
      try {
        look();
      } catch (Throwable e) {
        if (errors.getAndIncrement() == 0) {
          System.err.println("reqflow: the stall watchdog failed and goes on (logged once): " + e);
        }
      }
    }
  }

  /** One look: a snapshot of each flow open for {@code stall.after}, when one is due. */
  void look() {
    if (followed.inFlight.get() == 0) {
      return; // no flow and no call in progress: nothing to look at
    }
    long now = spans.nanoTime();
    Map<FlowRecord, List<ThreadState>> open = openFlows();
    for (Map.Entry<FlowRecord, List<ThreadState>> e : open.entrySet()) {
      if (stopped) {
        return;
      }
      if (now - e.getKey().startNanos >= stallAfterNanos) {
        snapshots.stalled(e.getKey(), e.getValue(), now);
      }
    }
  }

  /**
   * At exit, before the exporters' last flush: a snapshot of every flow still open, the oldest
   * first, up to {@link #MAX_FLOWS_AT_EXIT}; the others are counted. The watchdog stops.
   */
  public void atExit() {
    stopped = true;
    long now = spans.nanoTime();
    List<Map.Entry<FlowRecord, List<ThreadState>>> open = new ArrayList<>(openFlows().entrySet());
    open.sort((a, b) -> Long.compare(a.getKey().startNanos, b.getKey().startNanos));
    int n = Math.min(open.size(), MAX_FLOWS_AT_EXIT);
    for (int i = 0; i < n; i++) {
      try {
        snapshots.atExit(open.get(i).getKey(), open.get(i).getValue(), now);
      } catch (RuntimeException e) {
        errors.incrementAndGet();
      }
    }
    snapshots.leftOutAtExit(open.size() - n);
  }

  /** Errors the watchdog swallowed. */
  long errors() {
    return errors.get();
  }

  /** The flows of this recorder in progress now, each with the threads working for it. */
  Map<FlowRecord, List<ThreadState>> openFlows() {
    Map<FlowRecord, List<ThreadState>> open = new IdentityHashMap<>();
    ThreadState.ALL.forEachKey(
        ts -> {
          FlowRecord f = ts.flow;
          if (f != null && f.owner == followed && !f.ended.get() && ts.thread.isAlive()) {
            open.computeIfAbsent(f, k -> new ArrayList<>()).add(ts);
          }
        });
    followed.detachedFlows.forEachKey(
        f -> {
          if (!f.ended.get()) {
            open.computeIfAbsent(f, k -> new ArrayList<>());
          }
        });
    return open;
  }
}
