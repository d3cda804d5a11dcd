package dev.reqflow.flow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request to a service, as reqflow analyses it: the flow span, the outbound calls it made, the
 * waits of its threads on them and its sections. Immutable; times are epoch nanoseconds; calls,
 * blocks and sections are sorted by start time (then span id), so that drawing and analysis need no
 * sorting of their own.
 *
 * <p>{@link #waitsRecorded()} is false for traces from other tools: they have calls but no block
 * spans, and the analysis then cannot tell which calls held the page up.
 */
public final class Flow {
  private static final Comparator<Call> CALL_ORDER =
      Comparator.comparingLong(Call::startNanos).thenComparing(Call::spanId);
  private static final Comparator<Block> BLOCK_ORDER =
      Comparator.comparingLong(Block::startNanos).thenComparing(Block::spanId);
  private static final Comparator<Section> SECTION_ORDER =
      Comparator.comparingLong(Section::startNanos).thenComparing(Section::spanId);

  private final String traceId;
  private final String spanId;
  private final String parentSpanId;
  private final String name;
  private final String service;
  private final long startNanos;
  private final long endNanos;
  private final ThreadRef renderThread;
  private final List<Call> calls;
  private final List<Block> blocks;
  private final List<Section> sections;
  private final boolean waitsRecorded;
  private final Unseen unseen;
  private final Stall stall;
  private final Sampling sampling;
  private final List<String> warnings;
  private final Map<String, Long> ranOn;

  /** Built on first use, for flows of more than {@link #SCANNED_CALLS} calls. */
  private volatile Map<String, Integer> callIndex;

  /**
   * Flows of up to this many calls find a call by a scan: a map per flow would be most of a small
   * flow's memory when a file holds a hundred thousand of them.
   */
  private static final int SCANNED_CALLS = 16;

  private volatile List<ThreadLane> lanes;

  private Flow(Builder b) {
    this.traceId = b.traceId;
    this.spanId = b.spanId;
    this.parentSpanId = b.parentSpanId;
    this.name = b.name;
    this.service = b.service;
    this.startNanos = b.startNanos;
    this.endNanos = b.endNanos;
    this.renderThread = b.renderThread;
    this.waitsRecorded = b.waitsRecorded;
    this.unseen = b.unseen;
    this.stall = b.stall;
    this.sampling = b.sampling;
    this.calls = sorted(b.calls, CALL_ORDER);
    this.blocks = sorted(b.blocks, BLOCK_ORDER);
    this.sections = sorted(b.sections, SECTION_ORDER);
    this.warnings = List.copyOf(b.warnings);
    this.ranOn = Map.copyOf(b.ranOn);
  }

  private static <T> List<T> sorted(List<T> items, Comparator<? super T> order) {
    List<T> copy = new ArrayList<>(items);
    copy.sort(order);
    return List.copyOf(copy);
  }

  public static Builder builder(String traceId, String spanId) {
    return new Builder(traceId, spanId);
  }

  /** Hex trace id (32 digits for OTLP traces). */
  public String traceId() {
    return traceId;
  }

  /** Hex span id of the flow span. */
  public String spanId() {
    return spanId;
  }

  /**
   * Hex span id of the flow span's parent, {@code ""} for a root: the call span of another
   * service's flow when that service's agent sent its trace context (see {@code
   * analysis.AcrossServices}).
   */
  public String parentSpanId() {
    return parentSpanId;
  }

  /** Display name, e.g. {@code GET /home}; flows with the same name form an endpoint. */
  public String name() {
    return name;
  }

  /** {@code service.name} of the process that served the flow, {@code ""} when unknown. */
  public String service() {
    return service;
  }

  public long startNanos() {
    return startNanos;
  }

  public long endNanos() {
    return endNanos;
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  /** The thread that started the flow and renders the page. */
  public ThreadRef renderThread() {
    return renderThread;
  }

  /** Outbound calls, by issue time. */
  public List<Call> calls() {
    return calls;
  }

  /** Waits of any thread of the flow, by start time. */
  public List<Block> blocks() {
    return blocks;
  }

  public List<Section> sections() {
    return sections;
  }

  /** True when the trace came from the reqflow agent, which records waits as block spans. */
  public boolean waitsRecorded() {
    return waitsRecorded;
  }

  /** What the flow's threads waited on that the agent did not see as calls; see {@link Unseen}. */
  public Unseen unseen() {
    return unseen;
  }

  /**
   * The agent's latest snapshot of the flow when it had not ended (it stalled, or was open when the
   * process stopped): its end is then the snapshot's. Of a flow that stalled and ended later, the
   * snapshot it ended after ({@link Stall#ended()}); {@link Stall#NONE} for a flow that ended and
   * never stalled.
   */
  public Stall stall() {
    return stall;
  }

  /** True when the flow had not ended: its spans are a snapshot ({@link #stall()}). */
  public boolean inProgress() {
    return stall.inProgress();
  }

  /**
   * True when the flow had not ended after the agent's {@code stall.after}: a page that hangs, as
   * opposed to one merely running when the process stopped.
   */
  public boolean stalled() {
    return stall.inProgress()
        && (Stall.REASON_STALLED.equals(stall.reason())
            || (stall.stallAfterNanos() > 0 && durationNanos() >= stall.stallAfterNanos()));
  }

  /**
   * True when the flow stalled (it was still open after the agent's {@code stall.after}) and ended
   * later, as a page that hangs until a timeout does: its spans are its own, {@link #stall()} what
   * its last snapshot knew.
   */
  public boolean stalledThenEnded() {
    return stall.ended();
  }

  /**
   * What the reader had to repair in this flow (trimmed overflowing spans, clock skew, lost
   * parents, duplicates), for people; empty for a clean trace.
   */
  public Sampling sampling() {
    return sampling;
  }

  public List<String> warnings() {
    return warnings;
  }

  /**
   * Calls recorded as ending after the flow did, by how long (nanoseconds), keyed by span id: the
   * page stopped waiting for them (a timeout, a result it gave up on) and answered while they ran
   * on. Their spans in {@link #calls()} are trimmed to the flow's end; empty when none ran on.
   */
  public Map<String, Long> callsRunOn() {
    return ranOn;
  }

  /** Position of the call in {@link #calls()}, or -1 when the flow has no such call. */
  public int callIndex(String callSpanId) {
    if (calls.size() <= SCANNED_CALLS) {
      for (int i = 0; i < calls.size(); i++) {
        if (calls.get(i).spanId().equals(callSpanId)) {
          return i;
        }
      }
      return -1;
    }
    Map<String, Integer> index = callIndex;
    if (index == null) {
      index = new HashMap<>(calls.size() * 2);
      for (int i = 0; i < calls.size(); i++) {
        index.putIfAbsent(calls.get(i).spanId(), i);
      }
      callIndex = index;
    }
    Integer i = index.get(callSpanId);
    return i == null ? -1 : i;
  }

  /** The call with that span id, or null when the flow has none. */
  public Call call(String callSpanId) {
    int i = callIndex(callSpanId);
    return i < 0 ? null : calls.get(i);
  }

  /** Waits of the render thread, by start time. */
  public List<Block> renderBlocks() {
    List<Block> out = new ArrayList<>();
    for (Block b : blocks) {
      if (b.thread().sameThread(renderThread)) {
        out.add(b);
      }
    }
    return out;
  }

  /** Time the render thread spent waiting, overlapping waits counted once. */
  public long blockedNanos() {
    long total = 0;
    long coveredTo = Long.MIN_VALUE;
    for (Block b : blocks) {
      if (!b.thread().sameThread(renderThread)) {
        continue;
      }
      long s = Math.max(b.startNanos(), coveredTo);
      if (b.endNanos() > s) {
        total += b.endNanos() - s;
      }
      coveredTo = Math.max(coveredTo, b.endNanos());
    }
    return total;
  }

  /**
   * One lane per thread that issued a call, waited or ran a section: the render thread first, then
   * the others in order of their first activity. Computed once.
   */
  public List<ThreadLane> lanes() {
    List<ThreadLane> result = lanes;
    if (result == null) {
      result = buildLanes();
      lanes = result;
    }
    return result;
  }

  private List<ThreadLane> buildLanes() {
    Map<String, LaneBuilder> byThread = new LinkedHashMap<>();
    byThread.put(laneKey(renderThread), new LaneBuilder(renderThread));
    // Gather in start order across all three kinds so that lanes come in order of first activity.
    List<Object[]> events = new ArrayList<>();
    for (Call c : calls) {
      events.add(new Object[] {c.startNanos(), c.thread(), c});
    }
    for (Block b : blocks) {
      events.add(new Object[] {b.startNanos(), b.thread(), b});
    }
    for (Section s : sections) {
      events.add(new Object[] {s.startNanos(), s.thread(), s});
    }
    events.sort(Comparator.comparingLong(e -> (Long) e[0]));
    for (Object[] e : events) {
      ThreadRef t = (ThreadRef) e[1];
      LaneBuilder lane = byThread.computeIfAbsent(laneKey(t), k -> new LaneBuilder(t));
      if (e[2] instanceof Call c) {
        lane.calls.add(c);
      } else if (e[2] instanceof Block b) {
        lane.blocks.add(b);
      } else {
        lane.sections.add((Section) e[2]);
      }
    }
    List<ThreadLane> out = new ArrayList<>(byThread.size());
    for (LaneBuilder l : byThread.values()) {
      out.add(new ThreadLane(l.thread, l.calls, l.blocks, l.sections));
    }
    return List.copyOf(out);
  }

  private static String laneKey(ThreadRef t) {
    return t.id() + "/" + t.name();
  }

  private static final class LaneBuilder {
    final ThreadRef thread;
    final List<Call> calls = new ArrayList<>();
    final List<Block> blocks = new ArrayList<>();
    final List<Section> sections = new ArrayList<>();

    LaneBuilder(ThreadRef thread) {
      this.thread = thread;
    }
  }

  @Override
  public String toString() {
    return "Flow{" + name + " " + traceId + "/" + spanId + ", " + calls.size() + " calls}";
  }

  /** Builds a flow; the reader uses it, and so can tests and tools that make flows by hand. */
  public static final class Builder {
    private final String traceId;
    private final String spanId;
    private String name = "";
    private String parentSpanId = "";
    private String service = "";
    private long startNanos;
    private long endNanos;
    private ThreadRef renderThread = ThreadRef.UNKNOWN;
    private final List<Call> calls = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private boolean waitsRecorded;
    private Unseen unseen = Unseen.NONE;
    private Stall stall = Stall.NONE;
    private Sampling sampling = Sampling.NONE;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Long> ranOn = new HashMap<>();

    private Builder(String traceId, String spanId) {
      this.traceId = Objects.requireNonNull(traceId, "traceId");
      this.spanId = Objects.requireNonNull(spanId, "spanId");
    }

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder parentSpanId(String parentSpanId) {
      this.parentSpanId = Objects.requireNonNull(parentSpanId, "parentSpanId");
      return this;
    }

    public Builder service(String service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    public Builder time(long startNanos, long endNanos) {
      if (endNanos < startNanos) {
        throw new IllegalArgumentException("flow " + spanId + " ends before it starts");
      }
      this.startNanos = startNanos;
      this.endNanos = endNanos;
      return this;
    }

    public Builder renderThread(ThreadRef renderThread) {
      this.renderThread = Objects.requireNonNull(renderThread, "renderThread");
      return this;
    }

    public Builder addCall(Call call) {
      calls.add(Objects.requireNonNull(call, "call"));
      return this;
    }

    public Builder addBlock(Block block) {
      blocks.add(Objects.requireNonNull(block, "block"));
      return this;
    }

    public Builder addSection(Section section) {
      sections.add(Objects.requireNonNull(section, "section"));
      return this;
    }

    public Builder waitsRecorded(boolean waitsRecorded) {
      this.waitsRecorded = waitsRecorded;
      return this;
    }

    public Builder unseen(Unseen unseen) {
      this.unseen = Objects.requireNonNull(unseen, "unseen");
      return this;
    }

    public Builder stall(Stall stall) {
      this.stall = Objects.requireNonNull(stall, "stall");
      return this;
    }

    /** Whether and why the agent's sampling kept this flow; default {@link Sampling#NONE}. */
    public Builder sampling(Sampling sampling) {
      this.sampling = Objects.requireNonNull(sampling, "sampling");
      return this;
    }

    /**
     * A call that was recorded ending {@code nanos} after the flow's end (see {@link #callsRunOn}).
     */
    public Builder callRanOn(String callSpanId, long nanos) {
      ranOn.merge(Objects.requireNonNull(callSpanId, "callSpanId"), nanos, Math::max);
      return this;
    }

    public Builder addWarning(String warning) {
      warnings.add(Objects.requireNonNull(warning, "warning"));
      return this;
    }

    public Flow build() {
      return new Flow(this);
    }
  }
}
