package dev.reqflow.viewer.timeline;

import dev.reqflow.whatif.Replay;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The what-if as a second timeline under the real one: a title band (the saving, the recorded and
 * predicted durations, the change; on two lines when one is too narrow), the replayed page lane,
 * then each replayed call on a lane of its own in the order the replay issues them; past {@link
 * #MAX_OWN_LANES} calls they share rows, packed like the real ones. Heights are in pixels from the
 * top of the what-if, which starts below the real lanes. Pure.
 *
 * @param replay the replayed flow (times of each call, indexed like the flow's calls)
 * @param endNanos when the page would end with the change (the predicted end, see {@code
 *     Prediction})
 * @param title what the change is: the suggestion's title
 * @param savingNanos recorded duration minus predicted
 * @param callRows call indices on each call row, in replayed issue order
 */
public record WhatIfLayout(
    Replay replay, long endNanos, String title, long savingNanos, List<int[]> callRows) {
  /**
   * The title band: two lines of text, so that the change and its saving read whole at 1024 px (one
   * line when it fits, centred).
   */
  public static final double TITLE_HEIGHT = 36;

  /** Distance between the title band's two lines. */
  public static final double TITLE_LINE = 14;

  public static final double GAP = 10;

  /** Calls drawn on lanes of their own; more than this share rows. */
  public static final int MAX_OWN_LANES = 100;

  public static WhatIfLayout of(Replay replay, long endNanos, String title, long savingNanos) {
    int n = replay.callCount();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.<Integer>comparingLong(replay::issueNanos).thenComparingInt(Integer::intValue));
    List<int[]> rows = new ArrayList<>();
    if (n <= MAX_OWN_LANES) {
      for (int i : order) {
        rows.add(new int[] {i});
      }
    } else {
      List<List<Integer>> packed = new ArrayList<>();
      PriorityQueue<long[]> free = new PriorityQueue<>(Comparator.comparingLong(a -> a[0]));
      for (int i : order) {
        long[] head = free.peek();
        int row;
        if (head != null && head[0] <= replay.issueNanos(i)) {
          free.poll();
          row = (int) head[1];
        } else {
          row = packed.size();
          packed.add(new ArrayList<>());
        }
        packed.get(row).add(i);
        free.add(new long[] {Math.max(replay.endNanos(i), replay.issueNanos(i) + 1), row});
      }
      for (List<Integer> r : packed) {
        rows.add(r.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    return new WhatIfLayout(replay, endNanos, title, savingNanos, List.copyOf(rows));
  }

  /** Top of the page lane, from the top of the what-if. */
  public double pageY() {
    return GAP + TITLE_HEIGHT;
  }

  /** Top of call row {@code r}, from the top of the what-if. */
  public double callRowY(int r) {
    return pageY() + TimelineLayout.THREAD_ROW_HEIGHT + r * TimelineLayout.CALL_ROW_HEIGHT;
  }

  /** Height of the whole what-if in pixels. */
  public double height() {
    return callRowY(callRows.size()) + TimelineLayout.LANE_GAP;
  }

  /** True when every call has a lane of its own. */
  public boolean ownLanes() {
    return callRows.size() == replay.callCount();
  }
}
