package dev.reqflow.report;

import dev.reqflow.analysis.CriticalPath;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.analysis.Deadlock;
import dev.reqflow.analysis.Durations;
import dev.reqflow.analysis.StalledFlow;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.ThreadNow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Phrases the text and Markdown writers share. */
final class Words {
  private Words() {}

  static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  static String time(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos).toString();
  }

  static String percent(long part, long whole) {
    return whole == 0 ? "0%" : Math.round(100.0 * part / whole) + "%";
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  /** The text with its first letter upper case. */
  static String capitalized(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  static String shortId(String traceId) {
    return traceId.length() > 12 ? traceId.substring(0, 12) : traceId;
  }

  static String flowLine(Flow flow, CriticalPath path) {
    if (!flow.waitsRecorded()) {
      return Durations.format(flow.durationNanos())
          + ", "
          + plural(flow.calls().size(), "call")
          + ", waits not recorded";
    }
    return Durations.format(flow.durationNanos())
        + ", blocked "
        + Durations.format(path.blockedNanos())
        + " ("
        + percent(path.blockedNanos(), flow.durationNanos())
        + "), "
        + flow.calls().size()
        + (flow.calls().size() == 1 ? " call" : " calls");
  }

  /**
   * As {@link #segment(Segment)}, for a segment of {@code flow}: a wait still in progress when the
   * flow's snapshot was taken says so; a wait of a flow with a deadlock named that no call released
   * is put down to the deadlock ({@code held by the deadlock of executor ThreadPoolExecutor@77f0
   * (stalled flows, first); no call released it}).
   */
  static String segment(Segment s, Flow flow) {
    if (s.kind() != CriticalPath.Kind.BLOCKED || s.releasedBy() != null || !flow.stall().taken()) {
      return segment(s);
    }
    String held = "";
    List<Deadlock> deadlocks = Deadlock.of(flow);
    if (!deadlocks.isEmpty()) {
      held =
          ", held by the deadlock of executor "
              + deadlocks.get(0).executor().id()
              + " (see the stalled flows, first)";
    }
    if (flow.inProgress()) {
      for (Block b : s.blocks()) {
        for (ThreadNow t : flow.stall().threads()) {
          if (t.blockSpanId().equals(b.spanId())) {
            String site = b.site().isKnown() ? " at " + b.site().label() : "";
            return "waiting" + site + " in " + b.kind() + ", still waiting at the snapshot" + held;
          }
        }
      }
    }
    Block unreleased = StalledFlow.unreleasedRenderBlock(flow);
    if (!held.isEmpty() && unreleased != null && s.blocks().contains(unreleased)) {
      String site = unreleased.site().isKnown() ? " at " + unreleased.site().label() : "";
      return "waiting" + site + " in " + unreleased.kind() + held + "; no call released it";
    }
    return segment(s);
  }

  /**
   * A call as a line for people, whatever its span was named: {@code GET /user?session=REDACTED on
   * 127.0.0.1:8081, HTTP 200} (method and path from its URL, then its host and port, then its
   * status or error, {@code no response} when there was neither).
   */
  static String callLine(Call c) {
    String url = c.url();
    String path = url;
    int scheme = url.indexOf("://");
    if (scheme > 0) {
      int slash = url.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : url.substring(slash);
    }
    String what = (c.method().isEmpty() ? "" : c.method() + " ") + (path.isEmpty() ? "?" : path);
    String target = c.hostPort();
    String status =
        c.status() > 0
            ? "HTTP " + c.status()
            : !c.error().isEmpty() ? "failed: " + c.error() : c.failed() ? "failed" : "no status";
    return what + (target.isEmpty() ? "" : " on " + target) + ", " + status;
  }

  /**
   * The flow's failed calls, one phrase each: {@code GET http://h/items: HTTP 500, at
   * Page.render(Page.java:31)}, or the error type when there was no response.
   */
  static List<String> failedCalls(Flow flow) {
    List<String> out = new ArrayList<>();
    for (Call c : flow.calls()) {
      if (!c.failed() && c.status() < 400) {
        continue;
      }
      String why =
          c.status() > 0 ? "HTTP " + c.status() : c.error().isEmpty() ? "failed" : c.error();
      out.add(
          c.label() + ": " + why + (c.callSite().isKnown() ? ", at " + c.callSite().label() : ""));
    }
    return out;
  }

  /**
   * The calls the page answered without (they ran on after the flow's end), one phrase each: {@code
   * GET http://h/items ran on 2.0 s after the page answered, at Page.render(Page.java:31)}.
   */
  static List<String> callsRunOn(Flow flow) {
    List<String> out = new ArrayList<>();
    for (Call c : flow.calls()) {
      Long after = flow.callsRunOn().get(c.spanId());
      if (after == null) {
        continue;
      }
      out.add(
          c.label()
              + " ran on "
              + Durations.format(after)
              + " after the page answered"
              + (c.callSite().isKnown() ? ", at " + c.callSite().label() : ""));
    }
    return out;
  }

  /**
   * What a segment was: {@code running}, {@code waiting at SITE for GET ...}, or {@code reading the
   * body at SITE of GET ...} (the page reading a response after the client returned).
   */
  static String segment(Segment s) {
    if (s.kind() == CriticalPath.Kind.RUNNING) {
      return "running";
    }
    Call c = s.releasedBy();
    boolean reading = !s.blocks().isEmpty();
    for (Block b : s.blocks()) {
      reading &= b.isBodyRead();
    }
    StringBuilder sb = new StringBuilder(reading ? "reading the body" : "waiting");
    if (!s.blocks().isEmpty() && s.blocks().get(0).site().isKnown()) {
      sb.append(" at ").append(s.blocks().get(0).site().label());
    }
    if (!s.blocks().isEmpty() && s.blocks().get(0).isLockWait()) {
      sb.append(" for ").append(s.blocks().get(0).lockLabel());
      return c == null ? sb.toString() : sb.append(", held by ").append(c.label()).toString();
    }
    if (c == null) {
      return sb.append(unseen(s)).toString();
    }
    sb.append(reading ? " of " : " for ").append(c.label());
    if (s.chain().size() > 1) {
      sb.append(" (after ");
      for (int i = 0; i < s.chain().size() - 1; i++) {
        sb.append(i == 0 ? "" : ", ").append(s.chain().get(i).label());
      }
      sb.append(")");
    }
    return sb.toString();
  }

  /** Why a wait has no call: socket I/O or a future no recorded call completed, or unknown. */
  private static String unseen(Segment s) {
    boolean socket = true;
    String completedBy = "";
    for (Block b : s.blocks()) {
      socket &= b.isSocketIo();
      if (completedBy.isEmpty()) {
        completedBy = b.completedBy();
      }
    }
    if (socket && !s.blocks().isEmpty()) {
      return " in socket I/O that reqflow did not see as a call";
    }
    if (!completedBy.isEmpty()) {
      return " for a future that thread " + completedBy + " completed, not a call reqflow saw";
    }
    for (Block b : s.blocks()) {
      if (!b.releasedBy().isEmpty()) {
        return " (released by a call not in the trace)";
      }
    }
    return " (no call that reqflow recorded released it)";
  }

  /** {@code queued 10 ms, connect 10 ms, server 200 ms}. */
  static String phases(Segment s) {
    StringBuilder sb = new StringBuilder();
    for (Phase p : s.phases()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(p.kind().label()).append(' ').append(Durations.format(p.durationNanos()));
    }
    return sb.toString();
  }
}
