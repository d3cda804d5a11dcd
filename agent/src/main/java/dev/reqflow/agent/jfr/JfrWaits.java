package dev.reqflow.agent.jfr;

import dev.reqflow.agent.recorder.LateWait;
import dev.reqflow.agent.recorder.WorkLog;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.UnseenLockWaits;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Waits that only the JVM sees, from JDK Flight Recorder's in-process event stream: a platform
 * thread waiting to enter a monitor ({@code jdk.JavaMonitorEnter}, with the monitor's class and its
 * previous owner) and a virtual thread blocked while pinned ({@code jdk.VirtualThreadPinned}, JDK
 * 21+). Each event of a flow's thread becomes a block span of that flow, placed through the {@link
 * WorkLog} the recorder keeps, about a second after it happened.
 *
 * <p>Started as the agent starts ({@link #start}), on daemon threads of its own: JDK Flight
 * Recorder takes 0.9 s (JDK 25) to 2.5 s (JDK 17) to start, which a service's own start (seconds
 * for Spring Boot) mostly covers, so that its first requests are seen; {@code premain} does not
 * wait for it (a flow that begins while it was not started starts it). A flow that begins before
 * the recording runs (a fast {@code main}) may have waited for monitors unseen: {@link
 * #lockWaitsUnseen} says so as it begins. Its periodic task ({@link ClockTick}, every {@link
 * #TICK}) reads the log into the history, so that the log's ring never has to hold more than that
 * much. At exit, {@link #finish} waits for the last events before the exporter's final flush.
 */
public final class JfrWaits {
  static final String MONITOR_ENTER = "jdk.JavaMonitorEnter";
  static final String PINNED = "jdk.VirtualThreadPinned";
  static final Duration TICK = Duration.ofMillis(100);

  /** How far back the history reaches: JDK Flight Recorder delivers within about a second. */
  static final long RETENTION_NANOS = TimeUnit.SECONDS.toNanos(10);

  static final int MAX_MOMENTS = 100_000;

  /** The shortest wait recorded, whatever {@code block.threshold} says: see {@link #create}. */
  static final long MIN_THRESHOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final WorkLog log;

  /**
   * When the recording was known to run ({@link System#nanoTime}): the first run of its periodic
   * task ({@link #tick}), which JDK Flight Recorder starts after it enabled the recording's events;
   * 0 before.
   */
  private volatile long recordingNanos;

  private final Consumer<LateWait> record;
  private final Duration threshold;
  private final WorkHistory history = new WorkHistory(RETENTION_NANOS, MAX_MOMENTS);
  private final LateWaits late = new LateWaits(history);
  private final AtomicBoolean started = new AtomicBoolean();
  private final Runnable tick = this::tick;
  private final CountDownLatch ended = new CountDownLatch(1);

  /** Counted down once the recording runs ({@link #recordingNanos}) or failed to. */
  private final CountDownLatch recording = new CountDownLatch(1);

  private volatile RecordingStream stream;
  private volatile Thread thread;
  private volatile String failure;

  /** When the first flow began ({@link System#nanoTime}), 0 before. */
  private volatile long firstFlowNanos;

  /** JDK Flight Recorder's clock minus ours, from the last {@link ClockTick}. */
  private volatile long offsetNanos;

  /** Hand-offs the log holds: 16,384 records, drained every {@link #TICK}. */
  static final int LOG_CAPACITY = 1 << 14;

  private JfrWaits(Consumer<LateWait> record, long thresholdNanos) {
    this.log = new WorkLog(LOG_CAPACITY, this::firstFlow);
    this.record = record;
    this.threshold = Duration.ofNanos(Math.max(thresholdNanos, MIN_THRESHOLD_NANOS));
    Instant now = Instant.now();
    this.offsetNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
  }

  /**
   * Prepares the stream, started by {@link #start}. {@code thresholdNanos} is {@code
   * block.threshold}, raised to 1 ms: below that, every contended monitor of a busy JVM would be an
   * event.
   */
  public static JfrWaits create(Consumer<LateWait> record, long thresholdNanos) {
    return new JfrWaits(record, thresholdNanos);
  }

  /** The log the recorder is to write hand-offs to ({@link WorkLog#activate}). */
  public WorkLog log() {
    return log;
  }

  /**
   * Why a flow that begins now may wait for a monitor unseen, for {@code
   * reqflow.unseen.lock_waits}: {@code jfr-starting} before the recording runs, {@code jfr-failed}
   * once it failed; null while it records. Two volatile reads.
   */
  public String lockWaitsUnseen() {
    if (recordingNanos != 0) {
      return null;
    }
    if (failure != null) {
      return UnseenLockWaits.JFR_FAILED;
    }
    if (firstFlowNanos == 0) {
      firstFlow();
    }
    return recordingNanos != 0 ? null : UnseenLockWaits.JFR_STARTING;
  }

  /** The first flow began (the {@link #log} says so): for {@link #startDelayNanos}. */
  private void firstFlow() {
    if (firstFlowNanos == 0) {
      firstFlowNanos = System.nanoTime();
    }
    start();
  }

  /**
   * Starts the stream, once, and returns at once: a daemon thread ({@code reqflow-jfr-start}) sets
   * it up, hands it to a daemon thread of its own ({@code reqflow-jfr}, which delivers the events
   * until the JVM exits), and ends once the recording runs or failed to. Not {@code startAsync}:
   * JDK Flight Recorder's own stream thread would keep the JVM alive.
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(this::open, "reqflow-jfr-start");
    t.setDaemon(true);
    t.start();
  }

  private void open() {
    RecordingStream rs = create();
    if (rs == null) {
      return;
    }
    Thread t = new Thread(() -> run(rs), "reqflow-jfr");
    t.setDaemon(true);
    thread = t;
    t.start();
    try {
      recording.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The stream, set up; null when it could not be (said, and counted as ended). */
  private RecordingStream create() {
    RecordingStream rs;
    try {
      if (!FlightRecorder.isAvailable()) {
        fail("JDK Flight Recorder is not available in this JVM");
        ended.countDown();
        return null;
      }
      rs = new RecordingStream();
      rs.enable(MONITOR_ENTER).withThreshold(threshold).withStackTrace();
      if (hasEventType(PINNED)) {
        rs.enable(PINNED).withThreshold(threshold).withStackTrace();
      }
      FlightRecorder.addPeriodicEvent(ClockTick.class, tick);
      rs.enable(ClockTick.class).withPeriod(TICK);
      // Bounds the disk the stream's chunks take until read.
      rs.setMaxAge(Duration.ofSeconds(30));
      rs.setReuse(true);
      rs.onEvent(ClockTick.NAME, this::clock);
      rs.onEvent(MONITOR_ENTER, e -> event(e, BlockKind.MONITOR_ENTER));
      rs.onEvent(PINNED, e -> event(e, BlockKind.VIRTUAL_THREAD_PINNED));
      rs.onFlush(this::flushed);
      rs.onError(t -> fail("JDK Flight Recorder stream failed: " + t));
      rs.onClose(this::closed);
      stream = rs;
    } catch (Throwable t) {
      fail("JDK Flight Recorder could not start: " + t);
      ended.countDown();
      return null;
    }
    return rs;
  }

  private void run(RecordingStream rs) {
    try {
      rs.start();
    } catch (Throwable t) {
      fail("JDK Flight Recorder stream stopped: " + t);
    } finally {
      closed();
    }
  }

  private void closed() {
    try {
      FlightRecorder.removePeriodicEvent(tick);
    } finally {
      recording.countDown();
      ended.countDown();
    }
  }

  private static boolean hasEventType(String name) {
    for (EventType t : FlightRecorder.getFlightRecorder().getEventTypes()) {
      if (t.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private void fail(String why) {
    recording.countDown();
    if (failure == null) {
      failure = why;
      System.err.println(
          "reqflow: "
              + why
              + "; waits for monitors of platform threads are not recorded (jfr=off hides this)");
    }
  }

  /** JDK Flight Recorder's periodic task: reads the log and marks the clocks. */
  private void tick() {
    if (recordingNanos == 0) {
      // The first run of the periodic task: the recording runs, its events were enabled first.
      long now = System.nanoTime();
      recordingNanos = now == 0 ? 1 : now;
      recording.countDown();
    }
    drain();
    ClockTick t = new ClockTick();
    t.nanoTime = System.nanoTime();
    t.commit();
  }

  private void drain() {
    synchronized (history) {
      log.drain(history);
      history.prune();
    }
  }

  private void clock(RecordedEvent e) {
    long tick = e.getLong("nanoTime");
    offsetNanos = epochNanos(e.getStartTime()) - tick;
  }

  private void flushed() {
    drain();
  }

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private void event(RecordedEvent e, String kind) {
    RecordedThread thread = e.getThread();
    if (thread == null) {
      return;
    }
    long tid = thread.getJavaThreadId();
    LateWait w;
    synchronized (history) {
      log.drain(history);
      if (!history.knows(tid)) {
        late.outsideFlows.incrementAndGet();
        return;
      }
      long start = epochNanos(e.getStartTime()) - offsetNanos;
      long end = start + e.getDuration().toNanos();
      WorkHistory.State s = late.flowAt(tid, start, end, true);
      if (s == null) {
        return;
      }
      List<String> frames = new ArrayList<>();
      List<String> methods = new ArrayList<>();
      List<Integer> lines = new ArrayList<>();
      RecordedStackTrace st = e.getStackTrace();
      if (st != null) {
        for (RecordedFrame f : st.getFrames()) {
          if (!f.isJavaFrame()) {
            continue;
          }
          frames.add(f.getMethod().getType().getName());
          methods.add(f.getMethod().getName());
          lines.add(f.getLineNumber());
        }
      }
      String lockClass = null;
      long owner = -1;
      if (kind.equals(BlockKind.MONITOR_ENTER)) {
        lockClass =
            e.getClass("monitorClass") == null ? null : e.getClass("monitorClass").getName();
        RecordedThread previous = e.getThread("previousOwner");
        owner = previous == null ? -1 : previous.getJavaThreadId();
      }
      w =
          late.place(
              s,
              tid,
              thread.getJavaName(),
              start,
              end,
              kind,
              lockClass,
              owner,
              frames,
              methods,
              lines);
    }
    if (w != null) {
      record.accept(w);
    }
  }

  /**
   * At exit, before the exporter's final flush: lets JDK Flight Recorder deliver what it still
   * holds (it stops its recordings in its own shutdown hook, which runs beside ours) and waits for
   * the stream to end, at most {@code budgetNanos}; not at all when the recording never ran.
   */
  public void finish(long budgetNanos) {
    RecordingStream rs = stream;
    if (rs == null) {
      return;
    }
    if (recordingNanos == 0) {
      // The recording never ran (a short main that ended while JDK Flight Recorder was still
      // starting, 0.9 to 2.5 s): no event is on its way, and waiting for the stream's end held
      // such a program's exit up to the whole budget. The exit line says it never recorded.
      return;
    }
    long deadline = System.nanoTime() + budgetNanos;
    try {
      // JDK 20+: stops the recording and returns once every event was consumed.
      Method stop = RecordingStream.class.getMethod("stop");
      stop.invoke(rs);
    } catch (NoSuchMethodException e) {
      // JDK 17: JDK Flight Recorder's own shutdown hook stops the recording; wait for its end.
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Already stopped by JDK Flight Recorder's shutdown hook: the stream ends on its own.
    }
    try {
      // Not awaitTermination: JDK 17's takes the nanoseconds of a duration as those of
      // Object.wait(millis, nanos) and throws for most durations (and waits for ever for 0).
      ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drain();
  }

  /**
   * What the stream delivered of flows' waits and what became of them, for {@code debug}: {@code
   * 120 events of JDK Flight Recorder: 30 recorded, 80 of threads outside flows, 10 of locks of
   * libraries or inside calls, 0 not placed}. Each counter is read once, so that the parts add up
   * to the total even while events still arrive.
   */
  public String counts() {
    long placed = late.placed.get();
    long outsideFlows = late.outsideFlows.get();
    long libraries = late.notTheApplications.get();
    long unknown = late.unknown.get();
    long total = placed + outsideFlows + libraries + unknown;
    return total
        + " events of JDK Flight Recorder: "
        + placed
        + " recorded, "
        + outsideFlows
        + " of threads outside flows, "
        + libraries
        + " of locks of libraries or inside calls, "
        + unknown
        + " not placed";
  }

  /**
   * How long after the first flow began the recording ran, in nanoseconds: monitor waits of flows
   * that began before then are not recorded; 0 when it ran first, -1 when the first flow never came
   * (nothing was missed), {@link Long#MAX_VALUE} when the recording never ran.
   */
  public long startDelayNanos() {
    long first = firstFlowNanos;
    if (first == 0) {
      return -1;
    }
    long recording = recordingNanos;
    return recording == 0 ? Long.MAX_VALUE : Math.max(0, recording - first);
  }

  /** Waits of flows' threads placed and recorded so far. */
  public long recorded() {
    return late.placed.get();
  }

  /**
   * What JDK Flight Recorder reported of flows' threads that could not be placed (the log lost its
   * records, or the history no longer reached back), for the exit line; 0 when nothing was lost.
   */
  public long unplaced() {
    return late.unknown.get();
  }

  /** Why the stream is not running, or null. */
  public String failure() {
    return failure;
  }
}
