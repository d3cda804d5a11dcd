package dev.reqflow.viewer.flows;

import dev.reqflow.analysis.Deadlock;
import dev.reqflow.analysis.StalledFlow;
import dev.reqflow.flow.Flow;
import java.util.List;

/** What the viewer says of a flow that had not ended, in the reports' words. */
public final class StalledText {
  private StalledText() {}

  /**
   * {@code open 11.4 s when the process stopped: stalled (...). Deadlock: ...}; {@code ""} for a
   * flow that ended.
   */
  public static String of(Flow f) {
    if (!f.inProgress()) {
      return "";
    }
    StalledFlow s = new StalledFlow(f, Deadlock.of(f));
    StringBuilder b = new StringBuilder(s.headline()).append('.');
    for (Deadlock d : s.deadlocks()) {
      b.append(' ').append(d.sentence());
    }
    return b.toString();
  }

  /**
   * The whole account, for the panel beside the timeline: the headline, each deadlock with what to
   * change, what each thread waited on, the calls in progress.
   */
  public static String details(Flow f) {
    if (!f.inProgress()) {
      return "";
    }
    StalledFlow s = new StalledFlow(f, Deadlock.of(f));
    StringBuilder b = new StringBuilder("Not ended: ").append(s.headline()).append('.');
    for (Deadlock d : s.deadlocks()) {
      b.append('\n').append(d.sentence()).append("\nFix: ").append(d.fix());
    }
    List<String> threads = s.threadLines();
    if (!threads.isEmpty()) {
      b.append("\nThreads then:");
      for (String t : threads) {
        b.append("\n• ").append(t);
      }
    }
    List<String> calls = s.callsInProgress();
    if (!calls.isEmpty()) {
      b.append("\nCalls in progress: ").append(String.join("; ", calls)).append('.');
    }
    if (!s.leftOutSentence().isEmpty()) {
      b.append('\n').append(s.leftOutSentence());
    }
    return b.toString();
  }
}
