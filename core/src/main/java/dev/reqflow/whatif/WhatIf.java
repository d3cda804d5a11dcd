package dev.reqflow.whatif;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Dependency;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.PhaseKind;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.flow.ThreadRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a flow under changes and predicts its duration.
 *
 * <p>The model: the render thread is a sequence of running segments (fixed length) and blocks; a
 * block ends when the calls that released it complete (plus the wake-up lag seen in the recording).
 * A call is issued at the same offset into the render segment it was issued in, or after the calls
 * it depends on by the same gap; it then queues (in a pool with a known limit the queue is
 * simulated, otherwise the recorded queue time is kept), sets up its connection, and takes the
 * recorded rest of its time.
 *
 * <p>A call keeps its pool slot after it completes while the thread that ran it is blocked: an
 * OkHttp call until its callback returns (a callback that waits keeps the host's slot), an executor
 * task until the task's waits on other calls (its children in the same pool) end. Such a hold ends
 * when the calls that wait waited for complete, in the replay, not in the recording: a thread
 * blocked on its own children is not free, and frees itself as soon as they are done.
 *
 * <p>Built once per flow; each {@link #replay} is a small discrete-event simulation over arrays,
 * cheap enough to run several times for each of 100,000 flows.
 */
public final class WhatIf {
  private static final long NONE = Long.MIN_VALUE;

  /**
   * Without callback links in the trace, a wait on the client's thread this close to a call's end
   * is taken to be in its callback.
   */
  private static final long CALLBACK_SLACK_NANOS = 2_000_000L;

  /**
   * Calls that join a queue this close together join it in their recorded order: the replay's issue
   * times differ from the recording's by the dispatch overheads it leaves out, and a FIFO queue
   * must not swap two calls for that.
   */
  private static final long QUEUE_ORDER_SLACK_NANOS = 1_000_000L;

  /**
   * Calls whose replayed starts are this close take idle connections in the order they got theirs
   * in the recording (see {@link Change.OpenConnections}): a lock's waits, taken away, leave their
   * calls starting a few milliseconds apart, in no order that says which finds a connection idle.
   */
  private static final long CONNECTION_ORDER_SLACK_NANOS = 10_000_000L;

  private final Flow flow;
  private final int n;
  // Render timeline: segment k is a block when blockCalls[k] != null.
  private final long[] segDuration;
  private final int[][] blockCalls;
  private final long[] blockLag;
  // The render waits each block segment is made of, for changes that remove some.
  private final List<List<String>> blockIds;
  // Calls.
  private final int[] anchorSeg;
  private final long[] anchorOffset;
  private final int[][] keptDeps;
  private final boolean[] inCallback;
  private final int[][] afterWaitDeps;
  private final long[] depGap;
  private final long[] hoistGap;
  private final boolean[] onRender;

  /**
   * True for a call made off the render thread, after that thread's own synchronous calls ({@code
   * after-wait} links to calls of the same thread only): issued early, it goes with them.
   */
  private final boolean[] serialOnOwnThread;

  private final long[] queue;

  /**
   * When each call left its queue in the recording (issue plus queued time): the order a pool gave
   * its slots to calls that asked for them together.
   */
  private final long[] recordedDispatch;

  private final long[] setup;
  private final long[] work;
  private final int[] poolGroup;
  private final int[] hostGroup;
  private final String[] poolNames;
  private final int[] poolLimits;
  private final String[] hostPoolNames;
  private final int[] hostLimits;

  /** How long after its end a call keeps its slot: null when it does not (see the class doc). */
  private final Hold[] holds;

  /**
   * Per call, the part of its recorded queue in a simulated pool that the flow's own calls do not
   * explain: it waited behind other flows' work in a pool they share. The replay keeps it unless a
   * change sets that pool's limit (taken to be raised to what all flows ask of it at their peak).
   */
  private final long[] external;

  private final long firstIssueSeg;
  private final long firstIssueOffset;
  private volatile Replay baseline;

  /**
   * The waits that keep a call's slot after it completed: they end when {@code releasers} are done,
   * {@code lag} later, and never before the call itself ended; without releasers in the flow,
   * {@code minNanos} after the call's end.
   */
  private record Hold(int[] releasers, long lag, long minNanos, Set<String> blockIds) {}

  private WhatIf(Flow flow) {
    this.flow = flow;
    List<Call> calls = flow.calls();
    n = calls.size();

    // Render segments from the render thread's waits, overlapping waits merged.
    List<Block> blocks = flow.renderBlocks();
    List<long[]> spans = new ArrayList<>();
    List<List<Integer>> released = new ArrayList<>();
    List<List<String>> waits = new ArrayList<>();
    for (Block b : blocks) {
      long s = Math.max(b.startNanos(), flow.startNanos());
      long e = Math.min(b.endNanos(), flow.endNanos());
      if (e <= s) {
        continue;
      }
      List<Integer> ids = new ArrayList<>();
      for (String id : b.releasedBy()) {
        int i = flow.callIndex(id);
        if (i >= 0) {
          ids.add(i);
        }
      }
      if (!spans.isEmpty() && s < spans.get(spans.size() - 1)[1]) {
        long[] last = spans.get(spans.size() - 1);
        last[1] = Math.max(last[1], e);
        released.get(released.size() - 1).addAll(ids);
        waits.get(waits.size() - 1).add(b.spanId());
      } else {
        spans.add(new long[] {s, e});
        released.add(ids);
        waits.add(new ArrayList<>(List.of(b.spanId())));
      }
    }
    int segs = spans.size() * 2 + 1;
    long[] segStart = new long[segs];
    segDuration = new long[segs];
    blockCalls = new int[segs][];
    blockLag = new long[segs];
    blockIds = new ArrayList<>(segs);
    addUnnamed(flow, spans, released);
    long cursor = flow.startNanos();
    for (int k = 0; k < spans.size(); k++) {
      blockIds.add(List.of());
      blockIds.add(waits.get(k));
      long[] sp = spans.get(k);
      segStart[2 * k] = cursor;
      segDuration[2 * k] = sp[0] - cursor;
      segStart[2 * k + 1] = sp[0];
      segDuration[2 * k + 1] = sp[1] - sp[0];
      int[] ids = released.get(k).stream().mapToInt(Integer::intValue).distinct().toArray();
      blockCalls[2 * k + 1] = ids;
      long lastEnd = NONE;
      for (int i : ids) {
        lastEnd = Math.max(lastEnd, calls.get(i).endNanos());
      }
      blockLag[2 * k + 1] = lastEnd == NONE ? 0 : Math.max(0, sp[1] - lastEnd);
      cursor = sp[1];
    }
    blockIds.add(List.of());
    segStart[segs - 1] = cursor;
    segDuration[segs - 1] = Math.max(0, flow.endNanos() - cursor);

    anchorSeg = new int[n];
    anchorOffset = new long[n];
    keptDeps = new int[n][];
    inCallback = new boolean[n];
    afterWaitDeps = new int[n][];
    depGap = new long[n];
    hoistGap = new long[n];
    onRender = new boolean[n];
    serialOnOwnThread = new boolean[n];
    queue = new long[n];
    recordedDispatch = new long[n];
    setup = new long[n];
    work = new long[n];
    poolGroup = new int[n];
    hostGroup = new int[n];
    Map<String, Integer> pools = new HashMap<>();
    Map<String, Integer> hosts = new HashMap<>();
    List<String> pn = new ArrayList<>();
    List<Integer> pl = new ArrayList<>();
    List<String> hn = new ArrayList<>();
    List<Integer> hl = new ArrayList<>();
    long first = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      Call c = calls.get(i);
      int seg = segs - 1;
      for (int k = 0; k < segs; k++) {
        if (c.issueNanos() < segStart[k] + segDuration[k] || k == segs - 1) {
          seg = k;
          break;
        }
      }
      anchorSeg[i] = seg;
      anchorOffset[i] = Math.max(0, c.issueNanos() - segStart[seg]);
      onRender[i] = c.thread().sameThread(flow.renderThread()) || !c.thread().isKnown();
      keptDeps[i] = deps(flow, c, DependencyType.CALLBACK, DependencyType.DATA);
      inCallback[i] = deps(flow, c, DependencyType.CALLBACK, DependencyType.CALLBACK).length > 0;
      afterWaitDeps[i] = deps(flow, c, DependencyType.AFTER_WAIT, DependencyType.AFTER_WAIT);
      boolean own = !onRender[i] && afterWaitDeps[i].length > 0;
      for (int d : afterWaitDeps[i]) {
        own &= calls.get(d).thread().sameThread(c.thread());
      }
      serialOnOwnThread[i] = own;
      long depEnd = NONE;
      for (int d : keptDeps[i]) {
        depEnd = Math.max(depEnd, calls.get(d).endNanos());
      }
      if (keptDeps[i].length == 0 && !onRender[i]) {
        for (int d : afterWaitDeps[i]) {
          depEnd = Math.max(depEnd, calls.get(d).endNanos());
        }
      }
      depGap[i] = depEnd == NONE ? 0 : Math.max(0, c.issueNanos() - depEnd);
      // Issued early, a call the render made after its dependency still takes the render's time
      // from waking up to issuing it, but not the waits for other calls in between.
      hoistGap[i] =
          onRender[i] && !inCallback[i] && depEnd != NONE
              ? Math.max(0, c.issueNanos() - Math.max(depEnd, wokeUp(spans, c.issueNanos())))
              : depGap[i];
      queue[i] = c.phaseNanos(PhaseKind.QUEUED);
      recordedDispatch[i] = c.issueNanos() + queue[i];
      setup[i] = c.connectionSetupNanos();
      work[i] = Math.max(0, c.durationNanos() - queue[i] - setup[i]);
      if (keptDeps[i].length == 0 && afterWaitDeps[i].length == 0) {
        first = Math.min(first, c.issueNanos());
      }
      poolGroup[i] = -1;
      hostGroup[i] = -1;
      if (c.pool().limit() > 0) {
        // One pool per name: the agent marks the calls a per-host limit queued with kind
        // per-host, but they count against the dispatcher's limit all the same.
        String key = c.pool().name();
        Integer g = pools.get(key);
        if (g == null) {
          g = pn.size();
          pools.put(key, g);
          pn.add(c.pool().name());
          pl.add(c.pool().limit());
        }
        poolGroup[i] = g;
      }
      if (c.pool().limitPerHost() > 0) {
        String key = c.pool().name() + "\u0000" + c.hostPort();
        Integer g = hosts.get(key);
        if (g == null) {
          g = hn.size();
          hosts.put(key, g);
          hn.add(c.pool().name());
          hl.add(c.pool().limitPerHost());
        }
        hostGroup[i] = g;
      }
    }
    poolNames = pn.toArray(new String[0]);
    poolLimits = pl.stream().mapToInt(Integer::intValue).toArray();
    hostPoolNames = hn.toArray(new String[0]);
    hostLimits = hl.stream().mapToInt(Integer::intValue).toArray();
    holds = holds(flow, poolGroup, hostGroup);
    external = new long[n];
    if (first == Long.MAX_VALUE) {
      firstIssueSeg = 0;
      firstIssueOffset = 0;
    } else {
      int seg = 0;
      for (int i = 0; i < n; i++) {
        if (calls.get(i).issueNanos() == first) {
          seg = anchorSeg[i];
          break;
        }
      }
      firstIssueSeg = seg;
      firstIssueOffset = Math.max(0, first - segStart[seg]);
    }
    externalQueues();
  }

  /**
   * Fills {@link #external}: each simulated call's recorded queue less the queue the replay of the
   * flow's own calls gives it, when that is more than {@link #EXTERNAL_MIN_NANOS}.
   */
  private void externalQueues() {
    boolean any = false;
    for (int i = 0; i < n; i++) {
      any |= queue[i] > EXTERNAL_MIN_NANOS && (poolGroup[i] >= 0 || hostGroup[i] >= 0);
    }
    if (!any) {
      return;
    }
    Replay own = replay(List.of());
    for (int i = 0; i < n; i++) {
      if (poolGroup[i] < 0 && hostGroup[i] < 0) {
        continue;
      }
      long simulated = own.dispatchNanos(i) - own.issueNanos(i);
      long more = queue[i] - Math.max(0, simulated);
      if (more > EXTERNAL_MIN_NANOS) {
        external[i] = more;
      }
    }
  }

  /**
   * Queue time a flow's own calls leave unexplained below this is the replay's own error (dispatch
   * overheads it leaves out), not other flows' work.
   */
  static final long EXTERNAL_MIN_NANOS = 2_000_000L;

  /**
   * The part of the call's recorded queue that its flow's own calls do not explain (it waited
   * behind other flows' work in a pool they share), 0 when none or the pool is not simulated.
   * Indexed like {@link Flow#calls()}.
   */
  public long externalQueueNanos(int call) {
    return external[call];
  }

  /**
   * Calls no wait names and no call depends on, that completed while the render thread waited: the
   * page took their results without waiting (a wait on a future already done is not recorded), so
   * the render's wait they ended in cannot end before they do. Without this, making the call the
   * page waited for faster would leave out the others it needed too.
   */
  private static void addUnnamed(Flow flow, List<long[]> spans, List<List<Integer>> released) {
    List<Call> calls = flow.calls();
    java.util.Set<String> named = new java.util.HashSet<>();
    for (Block b : flow.blocks()) {
      for (String id : b.releasedBy()) {
        Call c = flow.call(id);
        // A synchronous call's own wait on the thread that made it does not say who used it, nor
        // does reading a body on the client's thread.
        boolean own = c != null && (c.thread().sameThread(b.thread()) || b.isBodyRead());
        if (!own || b.thread().sameThread(flow.renderThread())) {
          named.add(id);
        }
      }
    }
    for (Call c : calls) {
      for (Dependency d : c.dependencies()) {
        if (d.type() != DependencyType.AFTER_WAIT) {
          named.add(d.spanId());
        }
      }
    }
    for (int i = 0; i < calls.size(); i++) {
      Call c = calls.get(i);
      if (named.contains(c.spanId())) {
        continue;
      }
      for (int k = 0; k < spans.size(); k++) {
        long[] sp = spans.get(k);
        if (c.endNanos() > sp[0] && c.endNanos() <= sp[1] && !released.get(k).isEmpty()) {
          released.get(k).add(i);
          break;
        }
      }
    }
  }

  /** When the render thread last stopped waiting, at or before {@code t}; 0 when it never did. */
  private static long wokeUp(List<long[]> renderWaits, long t) {
    long last = 0;
    for (long[] w : renderWaits) {
      if (w[1] <= t) {
        last = Math.max(last, w[1]);
      }
    }
    return last;
  }

  /** The waits that keep each call's pool slot after it completes. */
  private static Hold[] holds(Flow flow, int[] poolGroup, int[] hostGroup) {
    List<Call> calls = flow.calls();
    int n = calls.size();
    List<List<Block>> chains = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      chains.add(new ArrayList<>());
    }
    boolean linked = false;
    for (Block b : flow.blocks()) {
      linked |= !b.inCallbackOf().isEmpty();
    }
    for (Block b : flow.blocks()) {
      // A body read is the call's own download, within the call: it holds no slot past it.
      if (b.thread().sameThread(flow.renderThread()) || b.isBodyRead()) {
        continue;
      }
      int owner = -1;
      if (linked) {
        // The agent says whose callback the wait is in.
        for (String id : b.inCallbackOf()) {
          int i = flow.callIndex(id);
          if (i >= 0 && (poolGroup[i] >= 0 || hostGroup[i] >= 0)) {
            owner = i;
          }
        }
      } else if (b.thread().role() == ThreadRole.CLIENT_DISPATCHER) {
        owner = callbackByTime(flow, b, poolGroup, hostGroup);
      }
      if (owner < 0 && b.thread().role() == ThreadRole.EXECUTOR && !ownCallWait(flow, b)) {
        owner = taskOf(flow, b, poolGroup);
      }
      if (owner >= 0) {
        chains.get(owner).add(b);
      }
    }
    Hold[] out = new Hold[n];
    for (int i = 0; i < n; i++) {
      List<Block> chain = chains.get(i);
      if (chain.isEmpty()) {
        continue;
      }
      Call c = calls.get(i);
      long lastEnd = NONE;
      List<Integer> releasers = new ArrayList<>();
      Set<String> ids = new java.util.HashSet<>();
      for (Block b : chain) {
        lastEnd = Math.max(lastEnd, b.endNanos());
        ids.add(b.spanId());
        for (String r : b.releasedBy()) {
          int j = flow.callIndex(r);
          if (j >= 0 && j != i && !releasers.contains(j)) {
            releasers.add(j);
          }
        }
      }
      long releasersEnd = NONE;
      for (int j : releasers) {
        releasersEnd = Math.max(releasersEnd, calls.get(j).endNanos());
      }
      long hold = Math.max(0, lastEnd - c.endNanos());
      if (hold == 0) {
        continue;
      }
      // Signed: a wait the trace says a call released may end a little before that call did.
      long lag = releasersEnd == NONE ? 0 : lastEnd - releasersEnd;
      long min = releasers.isEmpty() ? hold : 0;
      out[i] = new Hold(releasers.stream().mapToInt(Integer::intValue).toArray(), lag, min, ids);
    }
    return out;
  }

  /**
   * A thread's wait for the synchronous call it made itself: that call in progress, not a hold. A
   * pool thread that runs one task after another waits like this in each; taken for a hold of the
   * previous task, the next task's call would keep the previous one's slot until it ends itself.
   */
  private static boolean ownCallWait(Flow flow, Block b) {
    if (b.releasedBy().isEmpty()) {
      return false;
    }
    for (String id : b.releasedBy()) {
      Call c = flow.call(id);
      if (c == null || !c.thread().sameThread(b.thread())) {
        return false;
      }
    }
    return true;
  }

  /**
   * For traces without callback links: the pooled call that ended closest before the wait began,
   * within {@link #CALLBACK_SLACK_NANOS} (a client runs a callback right after its call ends).
   */
  private static int callbackByTime(Flow flow, Block b, int[] poolGroup, int[] hostGroup) {
    List<Call> calls = flow.calls();
    int best = -1;
    for (int i = 0; i < calls.size(); i++) {
      Call c = calls.get(i);
      long gap = b.startNanos() - c.endNanos();
      if ((poolGroup[i] >= 0 || hostGroup[i] >= 0)
          && gap >= -CALLBACK_SLACK_NANOS
          && gap <= CALLBACK_SLACK_NANOS
          && (best < 0 || c.endNanos() > calls.get(best).endNanos())) {
        best = i;
      }
    }
    return best;
  }

  /**
   * The executor task whose thread waits: the last call of an executor pool that this thread made
   * before the wait, when the thread made no other call in between. Its slot stays taken while the
   * thread waits, whichever task of the pool the wait belongs to.
   */
  private static int taskOf(Flow flow, Block b, int[] poolGroup) {
    List<Call> calls = flow.calls();
    int best = -1;
    for (int i = 0; i < calls.size(); i++) {
      Call c = calls.get(i);
      if (c.thread().sameThread(b.thread())
          && c.pool().kind() == PoolKind.EXECUTOR
          && poolGroup[i] >= 0
          && c.endNanos() <= b.startNanos()
          && (best < 0 || c.endNanos() > calls.get(best).endNanos())) {
        best = i;
      }
    }
    return best;
  }

  private static int[] deps(Flow flow, Call c, DependencyType a, DependencyType b) {
    List<Dependency> ds = c.dependencies();
    int[] out = new int[ds.size()];
    int m = 0;
    for (Dependency d : ds) {
      int i = flow.callIndex(d.spanId());
      if ((d.type() == a || d.type() == b)
          && i >= 0
          && !d.spanId().equals(c.spanId())
          && !contains(out, m, i)) {
        out[m++] = i;
      }
    }
    return Arrays.copyOf(out, m);
  }

  private static boolean contains(int[] a, int len, int v) {
    for (int k = 0; k < len; k++) {
      if (a[k] == v) {
        return true;
      }
    }
    return false;
  }

  /** Prepares the replay model of a flow. */
  public static WhatIf of(Flow flow) {
    return new WhatIf(flow);
  }

  public Flow flow() {
    return flow;
  }

  /** The replay without changes. */
  public Replay baseline() {
    Replay b = baseline;
    if (b == null) {
      b = replay(List.of());
      baseline = b;
    }
    return b;
  }

  /** Predicts the flow's duration under the changes. */
  public Prediction predict(List<? extends Change> changes) {
    long base = baseline().durationNanos();
    long changed = replay(changes).durationNanos();
    long observed = flow.durationNanos();
    long predicted = Math.max(0, observed - (base - changed));
    return new Prediction(observed, base, changed, predicted);
  }

  public Prediction predict(Change... changes) {
    return predict(List.of(changes));
  }

  /** Replays the flow under the changes. */
  public Replay replay(List<? extends Change> changes) {
    Change.OpenConnections open = null;
    List<Change> others = new ArrayList<>(changes.size());
    for (Change ch : changes) {
      if (ch instanceof Change.OpenConnections o) {
        open = o;
      } else {
        others.add(ch);
      }
    }
    if (open == null || open.hosts().isEmpty()) {
      return new Run(others).run();
    }
    // The steady state: the page, loaded before under the same changes, left its connections idle.
    Replay before = new Run(others).run();
    Run run = new Run(others);
    run.countConnections(open, ConnectionCount.peaks(flow, before));
    return run.run();
  }

  /** One simulation: mutable state over the prepared arrays. */
  private final class Run {
    final boolean[] hoisted = new boolean[n];
    final boolean[] dropped = new boolean[n];
    final int[] reuseFrom = new int[n];
    final long[] cap = new long[n];
    final long[] handshake = new long[n];
    final boolean[] reused = new boolean[n];
    final long[] queueCut = new long[n];
    final boolean[] freedHold = new boolean[n];
    final boolean[] unpooled = new boolean[n];
    final long[] releaseAt = new long[n];
    final boolean[] holding = new boolean[n];
    final long[] lockCut = new long[n];
    final long[] lockShift = new long[n];
    final boolean[] unwaited = new boolean[segDuration.length];
    final int[] poolLimit = poolLimits.clone();
    final int[] hostLimit = hostLimits.clone();
    final long[] segDur = segDuration.clone();
    final long[] offset = anchorOffset.clone();
    final long[] gapOverride = new long[n];
    final int[] retryOf = new int[n];
    final long[] externalLeft = external.clone();
    final long[] due = new long[n];

    /** Per call, the time added to it: the rest of a body read on close, a connection opened. */
    final long[] extra = new long[n];

    /** Per call, its host's index in {@link #idle}, -1 when its connections are not counted. */
    final int[] connHost = new int[n];

    /** Per call, true while it holds a connection that goes back to its host's idle ones. */
    final boolean[] holdsConnection = new boolean[n];

    int[] idle = new int[0];
    int[] maxIdle = new int[0];
    long[] openCost = new long[0];

    final long[] issue = new long[n];
    final long[] dispatch = new long[n];
    final long[] end = new long[n];
    // 0 not yet issued, 1 issue time known, 2 queued, 3 running, 4 done, 5 awaiting a reused result
    final int[] state = new int[n];
    final int[] poolActive = new int[poolLimits.length];
    final int[] hostActive = new int[hostLimits.length];

    /** The issue time of the first call of a group joining a pool's queue together, or NONE. */
    long queueGroup = NONE;

    int seg = -1;
    long segStartT;
    long segEndT = NONE;
    long firstIssueT = NONE;

    /**
     * With {@link Change.IssueEarly#together}: the segment and offset where the first of the calls
     * issued together was issued, and its time in the replay once reached; else the flow's first
     * issue ({@link #firstIssueT}) applies.
     */
    int togetherSeg = -1;

    int togetherFirst = -1;
    long togetherT = NONE;

    Run(List<? extends Change> changes) {
      Arrays.fill(cap, Long.MAX_VALUE);
      Arrays.fill(reuseFrom, -1);
      Arrays.fill(releaseAt, NONE);
      Arrays.fill(issue, NONE);
      Arrays.fill(dispatch, NONE);
      Arrays.fill(end, NONE);
      Arrays.fill(gapOverride, NONE);
      Arrays.fill(retryOf, -1);
      Arrays.fill(connHost, -1);
      for (Change ch : changes) {
        if (ch instanceof Change.IssueEarly e) {
          for (String id : e.callIds()) {
            int i = flow.callIndex(id);
            if (i >= 0) {
              hoisted[i] = true;
              if (e.together()
                  && (togetherFirst < 0
                      || flow.calls().get(i).issueNanos()
                          < flow.calls().get(togetherFirst).issueNanos())) {
                togetherFirst = i;
                togetherSeg = anchorSeg[i];
              }
            }
          }
        } else if (ch instanceof Change.SetPoolLimit p) {
          for (int i = 0; i < n; i++) {
            if (flow.calls().get(i).pool().name().equals(p.poolName())) {
              externalLeft[i] = 0;
            }
          }
          if (p.kind().perDestination()) {
            for (int g = 0; g < hostLimit.length; g++) {
              if (hostPoolNames[g].equals(p.poolName())) {
                hostLimit[g] = p.limit();
              }
            }
          } else {
            for (int g = 0; g < poolLimit.length; g++) {
              if (poolNames[g].equals(p.poolName())) {
                poolLimit[g] = p.limit();
              }
            }
          }
        } else if (ch instanceof Change.ReuseConnections r) {
          for (int i = 0; i < n; i++) {
            reused[i] |=
                r.callIds().isEmpty() || r.callIds().contains(flow.calls().get(i).spanId());
          }
          r.handshakeNanos()
              .forEach(
                  (id, nanos) -> {
                    int i = flow.callIndex(id);
                    if (i >= 0) {
                      handshake[i] = nanos;
                    }
                  });
        } else if (ch instanceof Change.Timeout t) {
          int i = flow.callIndex(t.callId());
          if (i >= 0) {
            cap[i] = Math.min(cap[i], t.timeoutNanos());
          }
        } else if (ch instanceof Change.FreeThreads f) {
          freeQueues(f.blockIds());
        } else if (ch instanceof Change.ReuseResult r) {
          int i = flow.callIndex(r.callId());
          int from = flow.callIndex(r.fromCallId());
          if (i >= 0 && from >= 0 && i != from) {
            dropped[i] = true;
            reuseFrom[i] = from;
          }
        } else if (ch instanceof Change.RemoveLockWaits r) {
          LockWaitRemoval.apply(flow, r.blockIds(), lockCut, lockShift);
          for (int k = 0; k < unwaited.length; k++) {
            unwaited[k] |= !blockIds.get(k).isEmpty() && r.blockIds().containsAll(blockIds.get(k));
          }
        } else if (ch instanceof Change.CloseResponses r) {
          r.restNanos()
              .forEach(
                  (id, nanos) -> {
                    int i = flow.callIndex(id);
                    if (i >= 0) {
                      extra[i] += nanos;
                    }
                  });
        } else if (ch instanceof Change.Drop d) {
          int i = flow.callIndex(d.callId());
          if (i >= 0) {
            dropped[i] = true;
          }
        } else if (ch instanceof Change.RetrySooner r) {
          retrySooner(flow.callIndex(r.callId()), flow.callIndex(r.attemptId()), r.gapNanos());
        }
      }
    }

    /**
     * Counts the connections of the hosts {@code open} names, starting from what the page left idle
     * ({@code peaks}: its calls in flight at once per host, in the replay without the count).
     */
    void countConnections(Change.OpenConnections open, Map<String, Integer> peaks) {
      List<String> names = new ArrayList<>(open.hosts().keySet());
      idle = new int[names.size()];
      maxIdle = new int[names.size()];
      openCost = new long[names.size()];
      for (int h = 0; h < names.size(); h++) {
        Change.HostConnections hc = open.hosts().get(names.get(h));
        int left = Math.max(hc.idleAtStart(), peaks.getOrDefault(names.get(h), 0));
        maxIdle[h] = hc.maxIdle();
        idle[h] = hc.maxIdle() > 0 ? Math.min(hc.maxIdle(), left) : left;
        openCost[h] = hc.openNanos();
      }
      for (int i = 0; i < n; i++) {
        connHost[i] = names.indexOf(flow.calls().get(i).hostPort());
      }
    }

    /**
     * What the call's connection adds to it: nothing when it takes an idle one, or opened its own
     * as recorded (and paid for it then); else the opening of one.
     */
    long takeConnection(int i, long t) {
      int h = connHost[i];
      if (h < 0 || dropped[i]) {
        return 0;
      }
      Call c = flow.calls().get(i);
      holdsConnection[i] = !c.responseNotClosed();
      if (ConnectionCount.openedAsRecorded(c) && !reused[i]) {
        return 0;
      }
      // Calls starting together take the idle connections in the order they got theirs in the
      // recording (through the lock, say); the last ones open new ones. Whatever the order, the
      // page waits for them all, but the replay's render waits only for the calls it was seen
      // waiting for, the last ones to get the lock.
      int ahead = 0;
      long mine = ConnectionCount.acquiredAt(c);
      for (int j = 0; j < n; j++) {
        if (j != i
            && ((state[j] == 1 && due[j] <= t + CONNECTION_ORDER_SLACK_NANOS)
                || (state[j] == 2 && fits(j) && issue[j] <= t + CONNECTION_ORDER_SLACK_NANOS))
            && connHost[j] == h
            && !dropped[j]
            && ConnectionCount.acquiredAt(flow.calls().get(j)) < mine
            && !ConnectionCount.openedAsRecorded(flow.calls().get(j))) {
          ahead++;
        }
      }
      if (idle[h] > ahead) {
        idle[h]--;
        return 0;
      }
      return openCost[h];
    }

    /** The call is done with its connection: it goes idle, unless the client keeps enough. */
    void giveConnectionBack(int i) {
      if (!holdsConnection[i]) {
        return;
      }
      holdsConnection[i] = false;
      int h = connHost[i];
      if (maxIdle[h] == 0 || idle[h] < maxIdle[h]) {
        idle[h]++;
      }
    }

    Replay run() {
      long t = flow.startNanos();
      enterSegment(0, t);
      int guard = 0;
      while (seg < segDur.length) {
        if (++guard > 100_000) {
          break;
        }
        long nextEnd = NONE;
        int endCall = -1;
        long nextIssue = NONE;
        int issueCall = -1;
        for (int i = 0; i < n; i++) {
          if (state[i] == 3 && (endCall < 0 || end[i] < nextEnd)) {
            nextEnd = end[i];
            endCall = i;
          } else if (state[i] == 1 && (issueCall < 0 || due[i] < nextIssue)) {
            nextIssue = due[i];
            issueCall = i;
          }
        }
        long nextRelease = NONE;
        int releaseCall = -1;
        for (int i = 0; i < n; i++) {
          if (releaseAt[i] != NONE && (releaseCall < 0 || releaseAt[i] < nextRelease)) {
            nextRelease = releaseAt[i];
            releaseCall = i;
          }
        }
        long renderT = segEndT;
        if (releaseCall >= 0
            && (renderT == NONE || nextRelease <= renderT)
            && (endCall < 0 || nextRelease <= nextEnd)
            && (issueCall < 0 || nextRelease <= nextIssue)) {
          release(releaseCall, nextRelease);
        } else if (endCall >= 0
            && (renderT == NONE || nextEnd <= renderT)
            && (issueCall < 0 || nextEnd <= nextIssue)) {
          complete(endCall, nextEnd);
        } else if (issueCall >= 0 && (renderT == NONE || nextIssue <= renderT)) {
          issueNow(issueCall, nextIssue);
        } else if (renderT != NONE) {
          enterSegment(seg + 1, renderT);
        } else {
          // The render waits on calls that will never come (a wait on a call issued later, or on
          // a call lost from the trace): it waits as long as it was recorded to.
          segEndT = segStartT + segDur[seg];
        }
      }
      return new Replay(flow.startNanos(), segStartT, issue, dispatch, end);
    }

    /**
     * Issues a retry {@code gap} after the attempt before it. Made by the render thread, the
     * render's pause before it is cut short (and what it did after the retry moves up with it);
     * made by another thread, it is issued when the attempt is done.
     */
    void retrySooner(int i, int attempt, long gap) {
      if (i < 0 || attempt < 0 || i == attempt) {
        return;
      }
      int k = anchorSeg[i];
      if (!onRender[i] || inCallback[i] || blockCalls[k] != null) {
        retryOf[i] = attempt;
        gapOverride[i] = gap;
        return;
      }
      long cut = Math.max(0, offset[i] - gap);
      if (cut == 0) {
        return;
      }
      for (int j = 0; j < n; j++) {
        if (j != i && anchorSeg[j] == k && offset[j] > offset[i]) {
          offset[j] -= cut;
        }
      }
      offset[i] -= cut;
      segDur[k] = Math.max(0, segDur[k] - cut);
    }

    /** Gives the call's pool slots back and dispatches what fits. */
    void release(int i, long t) {
      releaseAt[i] = NONE;
      holding[i] = false;
      boolean slot = false;
      if (!dropped[i] && pool(i) >= 0) {
        poolActive[pool(i)]--;
        slot = true;
      }
      if (!dropped[i] && hostGroup[i] >= 0) {
        hostActive[hostGroup[i]]--;
        slot = true;
      }
      if (slot) {
        promote(t);
      }
    }

    /**
     * Frees the holds of the given waits, and shortens recorded queues (of pools the replay does
     * not simulate) by the time those waits held threads during them.
     */
    void freeQueues(Set<String> blockIds) {
      for (int i = 0; i < n; i++) {
        if (holds[i] != null) {
          for (String id : holds[i].blockIds()) {
            freedHold[i] |= blockIds.contains(id);
          }
        }
      }
      List<Block> stuck = new ArrayList<>();
      for (Block b : flow.blocks()) {
        if (blockIds.contains(b.spanId())) {
          stuck.add(b);
          // A synchronous call that blocked a shared thread (the common pool) runs on a thread
          // of its own instead: it no longer takes one of that pool's slots.
          for (String id : b.releasedBy()) {
            int i = flow.callIndex(id);
            if (i >= 0 && flow.calls().get(i).thread().sameThread(b.thread())) {
              unpooled[i] = true;
            }
          }
        }
      }
      List<Call> calls = flow.calls();
      for (int i = 0; i < n; i++) {
        if (queue[i] == 0) {
          continue;
        }
        long from = calls.get(i).issueNanos();
        long to = from + queue[i];
        long covered = from;
        long overlap = 0;
        for (Block b : stuck) {
          long s = Math.max(b.startNanos(), covered);
          long e = Math.min(b.endNanos(), to);
          if (e > s) {
            overlap += e - s;
            covered = e;
          }
        }
        queueCut[i] = Math.max(queueCut[i], overlap);
      }
    }

    void enterSegment(int k, long t) {
      seg = k;
      segStartT = t;
      segEndT = NONE;
      if (k >= segDur.length) {
        return;
      }
      if (k == firstIssueSeg) {
        firstIssueT = t + firstIssueOffset;
        for (int i = 0; i < n; i++) {
          if (hoisted[i]) {
            tryAnchor(i);
          }
        }
      }
      if (k == togetherSeg) {
        togetherT = t + Math.max(0, offset[togetherFirst] - lockShift[togetherFirst]);
        for (int i = 0; i < n; i++) {
          if (hoisted[i]) {
            tryAnchor(i);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        if (!hoisted[i] && retryOf[i] < 0 && anchorSeg[i] == k && anchoredOnRender(i)) {
          schedule(i, t + Math.max(0, offset[i] - lockShift[i]));
        }
      }
      if (blockCalls[k] == null) {
        segEndT = t + segDur[k];
      } else if (unwaited[k]) {
        segEndT = t;
      } else {
        checkBlock();
      }
    }

    /**
     * Calls the render thread issued in its own order: its own, outside completions (even those
     * that need an earlier call's data: the render issued them after waiting for it), and calls of
     * other threads without a dependency.
     */
    boolean anchoredOnRender(int i) {
      return (onRender[i] && !inCallback[i])
          || (keptDeps[i].length == 0 && afterWaitDeps[i].length == 0);
    }

    void checkBlock() {
      int[] ids = blockCalls[seg];
      if (ids == null || segEndT != NONE) {
        return;
      }
      if (ids.length == 0) {
        segEndT = segStartT + segDur[seg];
        return;
      }
      long last = NONE;
      for (int i : ids) {
        if (state[i] != 4) {
          return;
        }
        last = Math.max(last, end[i]);
      }
      segEndT = Math.max(segStartT, last + blockLag[seg]);
    }

    /** Sets the issue time of a call anchored on others once they are done. */
    void tryAnchor(int i) {
      if (state[i] != 0) {
        return;
      }
      if (retryOf[i] >= 0) {
        if (state[retryOf[i]] == 4) {
          schedule(i, end[retryOf[i]] + gapOverride[i]);
        }
        return;
      }
      long depEnd = NONE;
      for (int d : keptDeps[i]) {
        if (state[d] != 4) {
          return;
        }
        depEnd = Math.max(depEnd, end[d]);
      }
      if (hoisted[i] && keptDeps[i].length == 0 && serialOnOwnThread[i]) {
        // A call a thread made after its own synchronous call, issued together with it instead:
        // when that one is issued, not at the flow's first issue (the thread may start later).
        long with = NONE;
        for (int d : afterWaitDeps[i]) {
          if (state[d] == 0) {
            return;
          }
          with = Math.max(with, issue[d]);
        }
        schedule(i, with);
        return;
      }
      if (hoisted[i]) {
        long from = togetherFirst >= 0 ? togetherT : firstIssueT;
        if (from == NONE) {
          return;
        }
        schedule(i, Math.max(from, depEnd == NONE ? NONE : depEnd + hoistGap[i]));
        return;
      }
      if (anchoredOnRender(i)) {
        return;
      }
      if (keptDeps[i].length == 0) {
        for (int d : afterWaitDeps[i]) {
          if (state[d] != 4) {
            return;
          }
          depEnd = Math.max(depEnd, end[d]);
        }
      }
      long gap = gapOverride[i] != NONE ? gapOverride[i] : depGap[i];
      schedule(i, depEnd + Math.max(0, gap - lockShift[i]));
    }

    void schedule(int i, long t) {
      if (state[i] == 0) {
        issue[i] = t;
        due[i] = t;
        state[i] = 1;
        for (int j = 0; j < n; j++) {
          if (hoisted[j] && state[j] == 0 && serialOnOwnThread[j]) {
            tryAnchor(j);
          }
        }
      }
    }

    void issueNow(int i, long t) {
      if (reuseFrom[i] >= 0 && state[reuseFrom[i]] != 4) {
        state[i] = 5;
        return;
      }
      if (dropped[i]) {
        dispatch[i] = t;
        end[i] = t;
        state[i] = 3;
        return;
      }
      if (externalLeft[i] > 0) {
        // Other flows' work ahead of it in the pool: it joins the queue that much later.
        due[i] = t + externalLeft[i];
        externalLeft[i] = 0;
        return;
      }
      boolean modelled = pool(i) >= 0 || hostGroup[i] >= 0;
      if (!modelled) {
        start(i, t + queue[i] - Math.min(queue[i], queueCut[i]));
        return;
      }
      state[i] = 2;
      // Calls asking for the pool together (within the slack) all join its queue before any is
      // given a slot, so that the slots go in the recorded order, not in the order of the replay's
      // loop (which takes calls tied on their issue time by index).
      if (queueGroup == NONE || t > queueGroup + QUEUE_ORDER_SLACK_NANOS) {
        queueGroup = t;
      }
      promoteUnlessMoreJoin(t);
    }

    /** Gives out free slots, unless more calls are about to join the queue with the last one. */
    void promoteUnlessMoreJoin(long t) {
      if (queueGroup != NONE) {
        for (int j = 0; j < n; j++) {
          if (state[j] == 1 && issue[j] <= queueGroup + QUEUE_ORDER_SLACK_NANOS && joinsQueue(j)) {
            return;
          }
        }
        queueGroup = NONE;
      }
      promote(t);
    }

    /** True when the call, once issued, will wait in a pool's queue the replay simulates. */
    boolean joinsQueue(int j) {
      return !dropped[j]
          && reuseFrom[j] < 0
          && externalLeft[j] == 0
          && (pool(j) >= 0 || hostGroup[j] >= 0);
    }

    /** FIFO by the replay's issue times, by the recorded dispatch order between near ties. */
    boolean queuedBefore(int a, int b) {
      if (Math.abs(issue[a] - issue[b]) <= QUEUE_ORDER_SLACK_NANOS) {
        return recordedDispatch[a] != recordedDispatch[b]
            ? recordedDispatch[a] < recordedDispatch[b]
            : a < b;
      }
      return issue[a] < issue[b];
    }

    /** The pool whose slot the call takes in this run, or -1. */
    int pool(int i) {
      return unpooled[i] ? -1 : poolGroup[i];
    }

    boolean fits(int i) {
      return (pool(i) < 0 || poolActive[pool(i)] < poolLimit[pool(i)])
          && (hostGroup[i] < 0 || hostActive[hostGroup[i]] < hostLimit[hostGroup[i]]);
    }

    /** Dispatches queued calls in their queue's order, skipping those whose host is full. */
    void promote(long t) {
      while (true) {
        int best = -1;
        for (int i = 0; i < n; i++) {
          if (state[i] == 2 && fits(i) && (best < 0 || queuedBefore(i, best))) {
            best = i;
          }
        }
        if (best < 0) {
          return;
        }
        if (pool(best) >= 0) {
          poolActive[pool(best)]++;
        }
        if (hostGroup[best] >= 0) {
          hostActive[hostGroup[best]]++;
        }
        start(best, Math.max(t, issue[best]));
      }
    }

    void start(int i, long t) {
      dispatch[i] = t;
      long rest = reused[i] ? Math.max(0, work[i] - handshake[i]) : setup[i] + work[i];
      long tc = takeConnection(i, t);
      rest = Math.max(0, rest - lockCut[i]) + extra[i] + tc;
      end[i] = t + Math.min(rest, cap[i]);
      state[i] = 3;
    }

    void complete(int i, long t) {
      state[i] = 4;
      giveConnectionBack(i);
      Hold hold = freedHold[i] || dropped[i] ? null : holds[i];
      if (hold != null && (pool(i) >= 0 || hostGroup[i] >= 0)) {
        holding[i] = true;
        releaseAt[i] = NONE;
        end[i] = t;
        checkHold(i);
      } else {
        release(i, t);
      }
      for (int j = 0; j < n; j++) {
        if (state[j] == 5 && reuseFrom[j] == i) {
          dispatch[j] = t;
          end[j] = t;
          state[j] = 3;
        }
      }
      for (int j = 0; j < n; j++) {
        if (holding[j] && releaseAt[j] == NONE) {
          checkHold(j);
        }
      }
      for (int j = 0; j < n; j++) {
        if (state[j] == 0) {
          tryAnchor(j);
        }
      }
      checkBlock();
    }

    /** Sets when a holding call gives its slot back, once what its waits wait for is done. */
    void checkHold(int i) {
      Hold hold = holds[i];
      long at = end[i] + hold.minNanos();
      for (int j : hold.releasers()) {
        if (state[j] != 4) {
          return;
        }
        at = Math.max(at, end[j] + hold.lag());
      }
      releaseAt[i] = at;
    }
  }
}
