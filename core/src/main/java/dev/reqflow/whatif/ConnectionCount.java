package dev.reqflow.whatif;

import dev.reqflow.flow.Call;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.PhaseKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The connections a replay's calls hold: what {@link Change.OpenConnections} counts. */
final class ConnectionCount {
  private ConnectionCount() {}

  /** True when the call opened a connection of its own in the recording. */
  static boolean openedAsRecorded(Call c) {
    return c.connectionReuse() == ConnectionReuse.NEW
        || (c.connectionReuse() == ConnectionReuse.UNKNOWN && c.connectionSetupNanos() > 0);
  }

  /**
   * When the call began its own work in the recording, its connection in hand or being opened: its
   * first phase after its queue, else its issue.
   */
  static long acquiredAt(Call c) {
    for (Phase p : c.phases()) {
      if (p.kind() != PhaseKind.QUEUED) {
        return p.startNanos();
      }
    }
    return c.issueNanos();
  }

  /**
   * Per host ({@link Call#hostPort()}), the most calls of the replay in flight at once, from
   * dispatch to end: the connections the page needs together, and so leaves open.
   */
  static Map<String, Integer> peaks(Flow flow, Replay replay) {
    Map<String, List<long[]>> edges = new HashMap<>();
    List<Call> calls = flow.calls();
    for (int i = 0; i < calls.size(); i++) {
      long from = replay.dispatchNanos(i);
      long to = replay.endNanos(i);
      if (to <= from) {
        continue; // dropped, or never run
      }
      List<long[]> e = edges.computeIfAbsent(calls.get(i).hostPort(), h -> new ArrayList<>());
      e.add(new long[] {from, 1});
      e.add(new long[] {to, -1});
    }
    Map<String, Integer> out = new HashMap<>();
    edges.forEach(
        (host, e) -> {
          // An end before a start at the same moment: a connection given back is taken again.
          e.sort(Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1]));
          int now = 0;
          int max = 0;
          for (long[] x : e) {
            now += (int) x[1];
            max = Math.max(max, now);
          }
          out.put(host, max);
        });
    return out;
  }
}
