package dev.reqflow.viewer.timeline;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.ThreadLane;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Where each span of a flow goes vertically: per thread lane, one thread row (its running and
 * blocked time) and then as many call rows as the calls it issued need so that none overlap; under
 * a call row whose calls reached flows of other services (see {@link Callee}), a row drawing those
 * flows inside their calls. Pure function of the flow and its callees, computed once per flow;
 * pixels only in the vertical direction.
 */
public final class TimelineLayout {
  public static final double THREAD_ROW_HEIGHT = 24;
  public static final double CALL_ROW_HEIGHT = 20;
  public static final double LANE_GAP = 8;

  /** Room under a render thread that issued no call, for the caption saying it renders. */
  public static final double CAPTION_HEIGHT = 12;

  /** What a row shows. */
  public enum Kind {
    THREAD,
    CALLS,
    /**
     * The flows other services ran for the calls of the row above: its {@code calls} are those
     * calls, its {@code starts} and {@code ends} where their callees are drawn.
     */
    CALLEES
  }

  /**
   * One row. For call rows, {@code calls} are indices into {@link Flow#calls()} in start order, and
   * since they do not overlap, {@code ends} (their end times) is sorted too. Start and end times
   * are copied into arrays so that drawing scans primitives, not call objects.
   */
  public record Row(
      Kind kind, int lane, double y, double height, int[] calls, long[] starts, long[] ends) {
    public double bottom() {
      return y + height;
    }
  }

  private final Flow flow;
  private final List<Row> rows;
  private final int[] callRow;
  private final Map<String, Integer> blockRow;
  private final int[] laneThreadRow;
  private final double height;
  private final int[] dependentCalls;
  private final String[] callLabels;
  private final boolean labelsWithHost;
  private final Callee[] callees;
  private String[] laneNames;

  private TimelineLayout(
      Flow flow,
      List<Row> rows,
      int[] callRow,
      Map<String, Integer> blockRow,
      int[] laneThreadRow,
      double height,
      Callee[] callees) {
    this.flow = flow;
    this.callees = callees;
    this.dependentCalls =
        java.util.stream.IntStream.range(0, flow.calls().size())
            .filter(i -> !flow.calls().get(i).dependencies().isEmpty())
            .toArray();
    this.rows = List.copyOf(rows);
    this.callRow = callRow;
    this.blockRow = blockRow;
    this.laneThreadRow = laneThreadRow;
    this.height = height;
    this.callLabels = new String[flow.calls().size()];
    this.labelsWithHost = manyHosts(flow);
  }

  private static boolean manyHosts(Flow flow) {
    String first = null;
    for (Call c : flow.calls()) {
      if (first == null) {
        first = c.hostPort();
      } else if (!first.equals(c.hostPort())) {
        return true;
      }
    }
    return false;
  }

  /** What the bar of a call says: method and path, the host when the flow's calls differ in it. */
  public String callLabel(int callIndex) {
    String l = callLabels[callIndex];
    if (l == null) {
      l = Names.callLabel(flow.calls().get(callIndex), labelsWithHost);
      callLabels[callIndex] = l;
    }
    return l;
  }

  /** The lane's name in the gutter, distinct from the other lanes' (see {@link Names}). */
  public String laneName(int lane) {
    if (laneNames == null) {
      laneNames = Names.laneNames(flow, this::callLabel);
    }
    return laneNames[lane];
  }

  /**
   * The flow another service ran for call {@code callIndex}, placed inside it; null when none is
   * known.
   */
  public Callee callee(int callIndex) {
    return callees == null || callIndex < 0 || callIndex >= callees.length
        ? null
        : callees[callIndex];
  }

  public static TimelineLayout of(Flow flow) {
    return of(flow, Map.of());
  }

  /**
   * The layout of {@code flow} with the flows other services ran for its calls, by the call's span
   * id (empty: none known).
   */
  public static TimelineLayout of(Flow flow, Map<String, Flow> calleesBySpan) {
    List<Call> calls = flow.calls();
    Callee[] callees = null;
    if (!calleesBySpan.isEmpty()) {
      callees = new Callee[calls.size()];
      for (int i = 0; i < calls.size(); i++) {
        Flow f = calleesBySpan.get(calls.get(i).spanId());
        if (f != null) {
          callees[i] = Callee.place(calls.get(i), f);
        }
      }
    }
    Map<String, Integer> callIndex = new HashMap<>(calls.size() * 2);
    for (int i = 0; i < calls.size(); i++) {
      callIndex.putIfAbsent(calls.get(i).spanId(), i);
    }
    List<ThreadLane> lanes = flow.lanes();
    List<Row> rows = new ArrayList<>();
    int[] callRow = new int[calls.size()];
    Arrays.fill(callRow, -1);
    Map<String, Integer> blockRow = new HashMap<>();
    int[] laneThreadRow = new int[lanes.size()];
    double y = 0;
    for (int l = 0; l < lanes.size(); l++) {
      ThreadLane lane = lanes.get(l);
      laneThreadRow[l] = rows.size();
      for (Block b : lane.blocks()) {
        blockRow.put(b.spanId(), rows.size());
      }
      rows.add(new Row(Kind.THREAD, l, y, THREAD_ROW_HEIGHT, new int[0], new long[0], new long[0]));
      y += THREAD_ROW_HEIGHT;
      List<int[]> packed = pack(lane.issuedCalls(), callIndex, calls);
      for (int[] rowCalls : packed) {
        long[] starts = new long[rowCalls.length];
        long[] ends = new long[rowCalls.length];
        for (int i = 0; i < rowCalls.length; i++) {
          starts[i] = calls.get(rowCalls[i]).startNanos();
          ends[i] = calls.get(rowCalls[i]).endNanos();
          callRow[rowCalls[i]] = rows.size();
        }
        rows.add(new Row(Kind.CALLS, l, y, CALL_ROW_HEIGHT, rowCalls, starts, ends));
        y += CALL_ROW_HEIGHT;
        Row below = calleeRow(callees, calls, rowCalls, l, y);
        if (below != null) {
          rows.add(below);
          y += CALLEE_ROW_HEIGHT;
        }
      }
      if (l == 0 && packed.isEmpty()) {
        y += CAPTION_HEIGHT;
      }
      y += LANE_GAP;
    }
    return new TimelineLayout(flow, rows, callRow, blockRow, laneThreadRow, y, callees);
  }

  /** Height of a row of callee flows. */
  public static final double CALLEE_ROW_HEIGHT = 20;

  /**
   * The row of the callees of a call row's calls, or null when none has one. Each callee is drawn
   * inside its call (one longer than its call is cut at the call's end) and the calls do not
   * overlap, so neither do the callees, in the same order.
   */
  private static Row calleeRow(
      Callee[] callees, List<Call> calls, int[] rowCalls, int lane, double y) {
    if (callees == null) {
      return null;
    }
    int n = 0;
    for (int c : rowCalls) {
      n += callees[c] != null ? 1 : 0;
    }
    if (n == 0) {
      return null;
    }
    int[] which = new int[n];
    long[] starts = new long[n];
    long[] ends = new long[n];
    int k = 0;
    for (int c : rowCalls) {
      if (callees[c] != null) {
        which[k] = c;
        starts[k] = callees[c].startNanos();
        ends[k] = Math.max(starts[k], Math.min(callees[c].endNanos(), calls.get(c).endNanos()));
        k++;
      }
    }
    return new Row(Kind.CALLEES, lane, y, CALLEE_ROW_HEIGHT, which, starts, ends);
  }

  /** Greedy interval packing: each call goes to the row that freed up first, if it is free. */
  private static List<int[]> pack(
      List<Call> laneCalls, Map<String, Integer> index, List<Call> all) {
    List<List<Integer>> rows = new ArrayList<>();
    // (end time, row) of each row's last call, earliest end first
    PriorityQueue<long[]> free = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    for (Call c : laneCalls) {
      int idx = index.get(c.spanId());
      if (all.get(idx) != c) {
        continue;
      }
      long[] head = free.peek();
      int row;
      if (head != null && head[0] <= c.startNanos()) {
        free.poll();
        row = (int) head[1];
      } else {
        row = rows.size();
        rows.add(new ArrayList<>());
      }
      rows.get(row).add(idx);
      free.add(new long[] {Math.max(c.endNanos(), c.startNanos() + 1), row});
    }
    List<int[]> out = new ArrayList<>(rows.size());
    for (List<Integer> r : rows) {
      out.add(r.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  public Flow flow() {
    return flow;
  }

  public List<Row> rows() {
    return rows;
  }

  /** Indices of the calls that depend on others: the ones with arrows. */
  public int[] dependentCalls() {
    return dependentCalls;
  }

  /** Total height of the rows in pixels. */
  public double height() {
    return height;
  }

  /** Row index of the call at {@code callIndex} in {@link Flow#calls()}, -1 if not laid out. */
  public int rowOfCall(int callIndex) {
    return callIndex >= 0 && callIndex < callRow.length ? callRow[callIndex] : -1;
  }

  /** Row index of a block span, -1 when unknown. */
  public int rowOfBlock(String blockSpanId) {
    Integer r = blockRow.get(blockSpanId);
    return r == null ? -1 : r;
  }

  public int threadRow(int lane) {
    return laneThreadRow[lane];
  }

  /** The row at content height {@code y}, or -1 between lanes and below the last row. */
  public int rowAt(double y) {
    int lo = 0;
    int hi = rows.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Row r = rows.get(mid);
      if (y < r.y()) {
        hi = mid - 1;
      } else if (y >= r.bottom()) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** Index into the row's calls of the first call that ends at or after {@code nanos}. */
  public static int firstEndingAtOrAfter(Row row, long nanos) {
    long[] ends = row.ends();
    int lo = 0;
    int hi = ends.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ends[mid] < nanos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
