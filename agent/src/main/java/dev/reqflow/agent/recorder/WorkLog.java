package dev.reqflow.agent.recorder;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which flow each thread worked for, and when, for waits that are reported after the fact (JDK
 * Flight Recorder delivers a monitor wait about a second after it ended, when its thread has long
 * moved on). Every hand-off that changes what a thread works for (a flow starts or ends on it, a
 * task or callback of a flow runs on it, a section begins) appends one record: from this moment,
 * this thread works for this flow context in this role, or for none; so does every call a thread
 * enters and leaves. A reader drains the records in order into its own history.
 *
 * <p>A fixed ring of {@link #capacity} records, written without locks or allocation (one atomic
 * increment and a few array stores, on hand-offs inside flows only). A reader that falls more than
 * the capacity behind loses the oldest records, and is told how many ({@link Reader#lost}).
 */
public final class WorkLog {
  private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
  private static final byte WORK = 0;
  private static final byte CALL = 1;

  private static volatile WorkLog active;

  /** What a reader is told, record by record, in the order the records were written. */
  public interface Reader {
    /**
     * From {@code nanoTime} on, thread {@code threadId} works for the flow whose children hang
     * below {@code parent}, as a thread of {@code role}; {@code parent} null: for no flow.
     */
    void work(long threadId, long nanoTime, Context parent, String role);

    /**
     * From {@code nanoTime} on, the thread is inside the recorded call {@code call}; null: none.
     */
    void call(long threadId, long nanoTime, SpanContext call);

    /** Records were overwritten before they were read: the history around them is not known. */
    void lost(long records);
  }

  private final int mask;
  private final AtomicLong next = new AtomicLong();
  private final long[] seq;
  private final long[] threadIds;
  private final long[] times;
  private final Object[] refs;
  private final String[] roles;
  private final byte[] kinds;
  private final AtomicBoolean flowSeen = new AtomicBoolean();
  private final Runnable onFirstFlow;
  private long read;

  /**
   * @param capacity records kept, a power of two
   * @param onFirstFlow run once, on the thread of the first flow's first record
   */
  public WorkLog(int capacity, Runnable onFirstFlow) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    this.mask = capacity - 1;
    this.seq = new long[capacity];
    java.util.Arrays.fill(seq, -1L);
    this.threadIds = new long[capacity];
    this.times = new long[capacity];
    this.refs = new Object[capacity];
    this.roles = new String[capacity];
    this.kinds = new byte[capacity];
    this.onFirstFlow = onFirstFlow;
  }

  /** Makes {@code log} the one the recorder writes to; null turns writing off. */
  public static void activate(WorkLog log) {
    active = log;
  }

  public int capacity() {
    return mask + 1;
  }

  /** The current thread's work changed to what {@code ts} says now. */
  static void work(ThreadState ts) {
    WorkLog log = active;
    if (log == null) {
      return;
    }
    boolean inFlow = ts.flow != null;
    log.append(
        WORK,
        Thread.currentThread().getId(),
        System.nanoTime(),
        inFlow ? ts.parent : null,
        inFlow ? ts.role() : null);
    if (inFlow && !log.flowSeen.get() && log.flowSeen.compareAndSet(false, true)) {
      log.onFirstFlow.run();
    }
  }

  /** The current thread entered ({@code call} non-null) or left a recorded call. */
  static void call(CallRecord call) {
    WorkLog log = active;
    if (log != null) {
      log.append(
          CALL,
          Thread.currentThread().getId(),
          System.nanoTime(),
          call == null ? null : call.context,
          null);
    }
  }

  private void append(byte kind, long threadId, long nanoTime, Object ref, String role) {
    long s = next.getAndIncrement();
    int i = (int) (s & mask);
    // Marked as being written, so that a reader lapped meanwhile never takes half a record.
    SEQ.setOpaque(seq, i, -1L);
    VarHandle.storeStoreFence();
    kinds[i] = kind;
    threadIds[i] = threadId;
    times[i] = nanoTime;
    refs[i] = ref;
    roles[i] = role;
    SEQ.setRelease(seq, i, s);
  }

  /**
   * Hands every record written since the last drain to {@code reader}, in order; stops at a record
   * still being written (the next drain takes it). One reader at a time.
   */
  public synchronized void drain(Reader reader) {
    while (true) {
      long written = next.get();
      if (written - read > mask + 1) {
        long lost = written - (mask + 1) - read;
        read += lost;
        reader.lost(lost);
      }
      if (read >= written) {
        return;
      }
      int i = (int) (read & mask);
      long s = (long) SEQ.getAcquire(seq, i);
      if (s != read) {
        if (s > read || written - read > (mask + 1) / 2) {
          // Overwritten by a writer that lapped us, or a writer stuck mid-record: skip it.
          read++;
          reader.lost(1);
          continue;
        }
        return;
      }
      byte kind = kinds[i];
      long threadId = threadIds[i];
      long time = times[i];
      Object ref = refs[i];
      String role = roles[i];
      VarHandle.loadLoadFence();
      if ((long) SEQ.getOpaque(seq, i) != s) {
        read++;
        reader.lost(1);
        continue;
      }
      read++;
      if (kind == WORK) {
        reader.work(threadId, time, (Context) ref, role);
      } else {
        reader.call(threadId, time, (SpanContext) ref);
      }
    }
  }
}
