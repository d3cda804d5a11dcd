package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Incomplete;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Responses the application holds and the client has not reported done (body read to its end,
 * closed, connection given back): calls that would otherwise never end and never be written. Each
 * is ended incomplete ({@code reqflow.call.incomplete}) by the first of:
 *
 * <ul>
 *   <li>{@link Incomplete#UNREACHABLE}: the object that holds the response (OkHttp's call, an
 *       {@code HttpURLConnection}, Apache's lease) became unreachable: the application dropped it.
 *       A phantom reference tells, never a finalizer; the garbage collector decides when.
 *   <li>{@link Incomplete#UNCLOSED}: its flow has been over for {@code unclosed.after} (10 s by
 *       default), or is over when the process exits.
 *   <li>{@link Incomplete#EXIT}: the process exits while its flow still runs.
 * </ul>
 *
 * <p>Bounded: at most {@link #MAX_WATCHED} responses at once; past that a response is not watched
 * (counted: its call stays open, as before). One daemon thread, started with the first watch, waits
 * on the reference queue and looks at the deadlines a few times a second at most.
 */
final class OpenResponses {
  static final int MAX_WATCHED = 1 << 16;

  /**
   * Ends a call the client never ended, as incomplete for {@code reason}, found at {@code now};
   * false when the call had ended meanwhile.
   */
  interface Ender {
    boolean end(CallRecord rec, String reason, long nowNanos);
  }

  /** One watched response: a phantom reference to its holder (none: deadline and exit only). */
  static final class Watch extends PhantomReference<Object> {
    final CallRecord rec;

    /** Read and written by the watching thread only: when it first saw the flow over (0: not). */
    long flowOverSeen;

    Watch(Object holder, ReferenceQueue<Object> queue, CallRecord rec) {
      super(holder, holder == null ? null : queue);
      this.rec = rec;
    }
  }

  private final SpanWriter clock;
  private final Ender ender;
  private final Consumer<Throwable> errors;
  private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
  private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong notWatched = new AtomicLong();
  private final AtomicLong unreachable = new AtomicLong();
  private final AtomicLong unclosed = new AtomicLong();
  private final AtomicLong atExit = new AtomicLong();
  private volatile long unclosedAfterNanos = TimeUnit.SECONDS.toNanos(10);
  private volatile boolean started;
  private volatile boolean closing;

  OpenResponses(SpanWriter clock, Ender ender, Consumer<Throwable> errors) {
    this.clock = clock;
    this.ender = ender;
    this.errors = errors;
  }

  /** How long after its flow's end a response still open is taken to be a leak. */
  void unclosedAfter(long nanos) {
    unclosedAfterNanos = Math.max(0, nanos);
  }

  /**
   * A watch of {@code rec} whose response {@code holder} keeps reachable, not yet watched: for a
   * holder known before the application has the response (a lease of a pooled connection).
   */
  Watch prepare(CallRecord rec, Object holder) {
    Watch w = rec.watch;
    if (w == null) {
      w = new Watch(holder, queue, rec);
      rec.watch = w;
    }
    return w;
  }

  /** The application holds the response of {@code rec}: watched until the call ends. */
  void held(CallRecord rec, Object holder) {
    if (rec.ended.get() || closing) {
      return;
    }
    Watch w = prepare(rec, holder);
    if (size.incrementAndGet() > MAX_WATCHED) {
      size.decrementAndGet();
      notWatched.incrementAndGet();
      return;
    }
    if (!watched.add(w)) {
      size.decrementAndGet();
      return;
    }
    start();
    if (rec.ended.get()) {
      // Ended while being watched: whoever ended it may have looked before the watch was there.
      ended(rec);
    }
  }

  /** The call ended: no longer watched. */
  void ended(CallRecord rec) {
    Watch w = rec.watch;
    if (w == null) {
      return;
    }
    if (watched.remove(w)) {
      size.decrementAndGet();
    }
    w.clear();
  }

  /**
   * Ends every watched call, at exit: {@link Incomplete#UNCLOSED} when its flow is over, else
   * {@link Incomplete#EXIT}. Calls watched later are not.
   */
  void endAll() {
    closing = true;
    long now = clock.nanoTime();
    for (Watch w : watched) {
      if (watched.remove(w)) {
        size.decrementAndGet();
        w.clear();
        boolean over = flowOver(w.rec);
        if (ender.end(w.rec, over ? Incomplete.UNCLOSED : Incomplete.EXIT, now)) {
          (over ? unclosed : atExit).incrementAndGet();
        }
      }
    }
  }

  /** Responses found unreachable, unclosed after their flow, open at exit; not watched. */
  long[] counts() {
    return new long[] {unreachable.get(), unclosed.get(), atExit.get(), notWatched.get()};
  }

  private void start() {
    if (started) {
      return;
    }
    synchronized (this) {
      if (started) {
        return;
      }
      Thread t = new Thread(this::run, "reqflow-open-responses");
      t.setDaemon(true);
      // Started on an application thread: it must not keep that thread's loader (a webapp's).
      t.setContextClassLoader(null);
      t.start();
      started = true;
    }
  }

  private void run() {
    while (!closing) {
      try {
        long period =
            Math.min(TimeUnit.SECONDS.toMillis(1), Math.max(10, unclosedAfterNanos / 4_000_000L));
        Reference<?> r = queue.remove(period);
        while (r != null) {
          Watch w = (Watch) r;
          if (watched.remove(w)) {
            size.decrementAndGet();
            end(w, Incomplete.UNREACHABLE, unreachable);
          }
          r = queue.poll();
        }
        sweep();
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        // An agent error must not stop the watch: counted, and the next round tries again.
        errors.accept(t);
      }
    }
  }

  /** Ends the calls whose flow has been over for longer than {@code unclosed.after}. */
  private void sweep() {
    long now = clock.nanoTime();
    long after = unclosedAfterNanos;
    for (Watch w : watched) {
      if (w.rec.ended.get()) {
        if (watched.remove(w)) {
          size.decrementAndGet();
        }
        continue;
      }
      if (!flowOver(w.rec)) {
        continue;
      }
      if (w.flowOverSeen == 0) {
        w.flowOverSeen = now;
      }
      if (now - w.flowOverSeen >= after && watched.remove(w)) {
        size.decrementAndGet();
        w.clear();
        end(w, Incomplete.UNCLOSED, unclosed);
      }
    }
  }

  private void end(Watch w, String reason, AtomicLong count) {
    if (ender.end(w.rec, reason, clock.nanoTime())) {
      count.incrementAndGet();
    }
  }

  /** The flow ended: its span is let go then (see {@link FlowRecord#span}). */
  private static boolean flowOver(CallRecord rec) {
    return !rec.flow.span.getSpanContext().isValid();
  }
}
