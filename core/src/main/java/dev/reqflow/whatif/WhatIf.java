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

/**
 * Replays a flow under changes and predicts its duration.
 *
 * <p>The model: the render thread is a sequence of running segments (fixed length) and blocks; a
 * block ends when the calls that released it complete (plus the wake-up lag seen in the recording).
 * A call is issued at the same offset into the render segment it was issued in, or after the calls
 * it depends on by the same gap; it then queues (in a pool with a known limit the queue is
 * simulated, otherwise the recorded queue time is kept), sets up its connection, and takes the
 * recorded rest of its time. Built once per flow; each {@link #replay} is a small discrete-event
 * simulation over arrays, cheap enough to run several times for each of 100,000 flows.
 */
public final class WhatIf {
  private static final long NONE = Long.MIN_VALUE;

  /** A wait on the client's thread this close to a call's end is taken to be in its callback. */
  private static final long CALLBACK_SLACK_NANOS = 2_000_000L;

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
  private final int[][] callbackDeps;
  private final int[][] afterWaitDeps;
  private final long[] depGap;
  private final boolean[] onRender;
  private final long[] queue;
  private final long[] setup;
  private final long[] work;
  private final int[] poolGroup;
  private final int[] hostGroup;
  private final String[] poolNames;
  private final int[] poolLimits;
  private final String[] hostPoolNames;
  private final int[] hostLimits;

  /**
   * How long after its end a call kept its pool slot, because its callback blocked the client's
   * thread (OkHttp counts a call as running until its callback returns); and that wait's span id.
   */
  private final long[] holdAfterEnd;

  private final String[] holdBlock;
  private final long firstIssueSeg;
  private final long firstIssueOffset;
  private volatile Replay baseline;

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
    callbackDeps = new int[n][];
    afterWaitDeps = new int[n][];
    depGap = new long[n];
    onRender = new boolean[n];
    queue = new long[n];
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
      callbackDeps[i] = deps(flow, c, DependencyType.CALLBACK);
      afterWaitDeps[i] = deps(flow, c, DependencyType.AFTER_WAIT);
      long depEnd = NONE;
      for (int d : callbackDeps[i]) {
        depEnd = Math.max(depEnd, calls.get(d).endNanos());
      }
      if (callbackDeps[i].length == 0 && !onRender[i]) {
        for (int d : afterWaitDeps[i]) {
          depEnd = Math.max(depEnd, calls.get(d).endNanos());
        }
      }
      depGap[i] = depEnd == NONE ? 0 : Math.max(0, c.issueNanos() - depEnd);
      queue[i] = c.phaseNanos(PhaseKind.QUEUED);
      setup[i] = c.connectionSetupNanos();
      work[i] = Math.max(0, c.durationNanos() - queue[i] - setup[i]);
      if (callbackDeps[i].length == 0 && afterWaitDeps[i].length == 0) {
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
    holdAfterEnd = new long[n];
    holdBlock = new String[n];
    for (Block b : flow.blocks()) {
      if (b.thread().role() != ThreadRole.CLIENT_DISPATCHER
          || b.thread().sameThread(flow.renderThread())) {
        continue;
      }
      // The callback runs on the client's thread as soon as its call completes.
      int best = -1;
      for (int i = 0; i < n; i++) {
        Call c = calls.get(i);
        long gap = b.startNanos() - c.endNanos();
        if ((poolGroup[i] >= 0 || hostGroup[i] >= 0)
            && gap >= -CALLBACK_SLACK_NANOS
            && gap <= CALLBACK_SLACK_NANOS
            && (best < 0 || c.endNanos() > calls.get(best).endNanos())) {
          best = i;
        }
      }
      if (best >= 0 && b.endNanos() - calls.get(best).endNanos() > holdAfterEnd[best]) {
        holdAfterEnd[best] = b.endNanos() - calls.get(best).endNanos();
        holdBlock[best] = b.spanId();
      }
    }
    poolNames = pn.toArray(new String[0]);
    poolLimits = pl.stream().mapToInt(Integer::intValue).toArray();
    hostPoolNames = hn.toArray(new String[0]);
    hostLimits = hl.stream().mapToInt(Integer::intValue).toArray();
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
  }

  private static int[] deps(Flow flow, Call c, DependencyType type) {
    List<Dependency> ds = c.dependencies();
    int[] out = new int[ds.size()];
    int m = 0;
    for (Dependency d : ds) {
      int i = flow.callIndex(d.spanId());
      if (d.type() == type && i >= 0 && !d.spanId().equals(c.spanId())) {
        out[m++] = i;
      }
    }
    return Arrays.copyOf(out, m);
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
    return new Run(changes).run();
  }

  /** One simulation: mutable state over the prepared arrays. */
  private final class Run {
    final boolean[] hoisted = new boolean[n];
    final boolean[] dropped = new boolean[n];
    final int[] reuseFrom = new int[n];
    final long[] cap = new long[n];
    final long[] handshake = new long[n];
    final long[] queueCut = new long[n];
    final boolean[] freedHold = new boolean[n];
    final long[] releaseAt = new long[n];
    final long[] lockCut = new long[n];
    final long[] lockShift = new long[n];
    final boolean[] unwaited = new boolean[segDuration.length];
    boolean reuse;
    final int[] poolLimit = poolLimits.clone();
    final int[] hostLimit = hostLimits.clone();

    final long[] issue = new long[n];
    final long[] dispatch = new long[n];
    final long[] end = new long[n];
    // 0 not yet issued, 1 issue time known, 2 queued, 3 running, 4 done, 5 awaiting a reused result
    final int[] state = new int[n];
    final int[] poolActive = new int[poolLimits.length];
    final int[] hostActive = new int[hostLimits.length];
    long queueSeq;
    final long[] queuedAt = new long[n];

    int seg = -1;
    long segStartT;
    long segEndT = NONE;
    long firstIssueT = NONE;

    Run(List<? extends Change> changes) {
      Arrays.fill(cap, Long.MAX_VALUE);
      Arrays.fill(reuseFrom, -1);
      Arrays.fill(releaseAt, NONE);
      Arrays.fill(issue, NONE);
      Arrays.fill(dispatch, NONE);
      Arrays.fill(end, NONE);
      for (Change ch : changes) {
        if (ch instanceof Change.IssueEarly e) {
          for (String id : e.callIds()) {
            int i = flow.callIndex(id);
            if (i >= 0) {
              hoisted[i] = true;
            }
          }
        } else if (ch instanceof Change.SetPoolLimit p) {
          if (p.kind() == PoolKind.PER_HOST) {
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
          reuse = true;
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
        } else if (ch instanceof Change.Drop d) {
          int i = flow.callIndex(d.callId());
          if (i >= 0) {
            dropped[i] = true;
          }
        }
      }
    }

    Replay run() {
      long t = flow.startNanos();
      enterSegment(0, t);
      int guard = 0;
      while (seg < segDuration.length) {
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
          } else if (state[i] == 1 && (issueCall < 0 || issue[i] < nextIssue)) {
            nextIssue = issue[i];
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
          segEndT = segStartT + segDuration[seg];
        }
      }
      return new Replay(flow.startNanos(), segStartT, issue, dispatch, end);
    }

    /** Shortens recorded queues by the time the given waits held threads during them. */
    /** Gives the call's pool slots back and dispatches what fits. */
    void release(int i, long t) {
      releaseAt[i] = NONE;
      boolean slot = false;
      if (!dropped[i] && poolGroup[i] >= 0) {
        poolActive[poolGroup[i]]--;
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

    void freeQueues(java.util.Set<String> blockIds) {
      for (int i = 0; i < n; i++) {
        if (holdBlock[i] != null && blockIds.contains(holdBlock[i])) {
          freedHold[i] = true;
        }
      }
      List<Block> stuck = new ArrayList<>();
      for (Block b : flow.blocks()) {
        if (blockIds.contains(b.spanId())) {
          stuck.add(b);
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
      if (k >= segDuration.length) {
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
      for (int i = 0; i < n; i++) {
        if (!hoisted[i]
            && anchorSeg[i] == k
            && callbackDeps[i].length == 0
            && anchoredOnRender(i)) {
          schedule(i, t + Math.max(0, anchorOffset[i] - lockShift[i]));
        }
      }
      if (blockCalls[k] == null) {
        segEndT = t + segDuration[k];
      } else if (unwaited[k]) {
        segEndT = t;
      } else {
        checkBlock();
      }
    }

    boolean anchoredOnRender(int i) {
      return onRender[i] || afterWaitDeps[i].length == 0;
    }

    void checkBlock() {
      int[] ids = blockCalls[seg];
      if (ids == null || segEndT != NONE) {
        return;
      }
      if (ids.length == 0) {
        segEndT = segStartT + segDuration[seg];
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
      long depEnd = NONE;
      for (int d : callbackDeps[i]) {
        if (state[d] != 4) {
          return;
        }
        depEnd = Math.max(depEnd, end[d]);
      }
      if (hoisted[i]) {
        if (firstIssueT == NONE) {
          return;
        }
        schedule(i, Math.max(firstIssueT, depEnd == NONE ? NONE : depEnd + depGap[i]));
        return;
      }
      if (callbackDeps[i].length == 0 && anchoredOnRender(i)) {
        return;
      }
      if (callbackDeps[i].length == 0) {
        for (int d : afterWaitDeps[i]) {
          if (state[d] != 4) {
            return;
          }
          depEnd = Math.max(depEnd, end[d]);
        }
      }
      schedule(i, depEnd + Math.max(0, depGap[i] - lockShift[i]));
    }

    void schedule(int i, long t) {
      if (state[i] == 0) {
        issue[i] = t;
        state[i] = 1;
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
      boolean modelled = poolGroup[i] >= 0 || hostGroup[i] >= 0;
      if (!modelled) {
        start(i, t + queue[i] - Math.min(queue[i], queueCut[i]));
        return;
      }
      state[i] = 2;
      queuedAt[i] = queueSeq++;
      promote(t);
    }

    boolean fits(int i) {
      return (poolGroup[i] < 0 || poolActive[poolGroup[i]] < poolLimit[poolGroup[i]])
          && (hostGroup[i] < 0 || hostActive[hostGroup[i]] < hostLimit[hostGroup[i]]);
    }

    /** Dispatches queued calls in the order they queued, skipping those whose host is full. */
    void promote(long t) {
      while (true) {
        int best = -1;
        for (int i = 0; i < n; i++) {
          if (state[i] == 2 && fits(i) && (best < 0 || queuedAt[i] < queuedAt[best])) {
            best = i;
          }
        }
        if (best < 0) {
          return;
        }
        if (poolGroup[best] >= 0) {
          poolActive[poolGroup[best]]++;
        }
        if (hostGroup[best] >= 0) {
          hostActive[hostGroup[best]]++;
        }
        start(best, t);
      }
    }

    void start(int i, long t) {
      dispatch[i] = t;
      long rest = reuse ? Math.max(0, work[i] - handshake[i]) : setup[i] + work[i];
      rest = Math.max(0, rest - lockCut[i]);
      end[i] = t + Math.min(rest, cap[i]);
      state[i] = 3;
    }

    void complete(int i, long t) {
      state[i] = 4;
      long hold = freedHold[i] ? 0 : holdAfterEnd[i];
      if (hold > 0 && !dropped[i] && (poolGroup[i] >= 0 || hostGroup[i] >= 0)) {
        releaseAt[i] = t + hold;
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
        if (state[j] == 0) {
          tryAnchor(j);
        }
      }
      checkBlock();
    }
  }
}
