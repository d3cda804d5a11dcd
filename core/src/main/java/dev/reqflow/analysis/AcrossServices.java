package dev.reqflow.analysis;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flows of one trace joined across services: when a service's agent sends the W3C trace context on
 * its calls ({@code traceparent}), the flow the called service ran for a call is the child of that
 * call's span. Joined here: the callee flow of a call, the critical path continued into it ("the
 * page waited 300 ms on B's GET /recommendations, of which B waited 250 ms on its own call to GET
 * http://c/x"), and the callee's suggestions with the share of the caller's time they would save.
 * Pure: built from the analysed flows, whatever files or processes they came from.
 */
public final class AcrossServices {
  /** Deepest chain of services followed in one sentence (a malformed trace could loop). */
  static final int MAX_DEPTH = 16;

  private static final AcrossServices NONE = new AcrossServices(Map.of());

  /** Key {@code traceId/parentSpanId} to the first flow (by start) below that span. */
  private final Map<String, FlowReport> byParent;

  private AcrossServices(Map<String, FlowReport> byParent) {
    this.byParent = byParent;
  }

  /** Joins {@code flows}; a flow whose parent is no call of theirs joins nothing. */
  public static AcrossServices of(List<FlowReport> flows) {
    Map<String, FlowReport> byParent = new HashMap<>();
    for (FlowReport r : flows) {
      Flow f = r.flow();
      if (f.parentSpanId().isEmpty()) {
        continue;
      }
      byParent.merge(
          key(f.traceId(), f.parentSpanId()),
          r,
          (a, b) -> a.flow().startNanos() <= b.flow().startNanos() ? a : b);
    }
    return byParent.isEmpty() ? NONE : new AcrossServices(byParent);
  }

  private static String key(String traceId, String spanId) {
    return traceId + "/" + spanId;
  }

  /** True when no flow continues a call of another. */
  public boolean isEmpty() {
    return byParent.isEmpty();
  }

  /** The flow the called service ran for {@code call} of {@code caller}, or null when unknown. */
  public FlowReport callee(Flow caller, Call call) {
    FlowReport r = byParent.get(key(caller.traceId(), call.spanId()));
    // A flow in this process below its own call (a page server calling itself) is no other
    // service's, but it is the call's callee all the same.
    return r == null || r.flow() == caller ? null : r;
  }

  /**
   * The critical path of {@code caller} continued into the service that segment {@code s} waited
   * for: {@code "the page waited 300 ms on B's GET /recommendations, 290 ms of it in B's flow, of
   * which B waited 250 ms on its own call to C's GET /scores, ..."}; {@code ""} when the segment
   * waited on no call whose callee flow is known, or was the page reading a body. A flow longer
   * than the wait (the page waited only for its end) is said so: {@code "the last part of B's flow
   * there (352 ms in all)"}.
   */
  public String continuation(Flow caller, Segment s) {
    if (s.kind() != Kind.BLOCKED || s.releasedBy() == null) {
      return "";
    }
    FlowReport callee = callee(caller, s.releasedBy());
    if (callee == null || readsBody(s)) {
      return "";
    }
    StringBuilder b = new StringBuilder("the page waited ");
    b.append(Durations.format(s.durationNanos())).append(" on ");
    describe(callee, s.durationNanos(), b, 0);
    return b.toString();
  }

  /**
   * Whether the segment is the page reading a response body the client had handed it: the called
   * service had answered by then, the wait is the transfer, nothing of the callee's flow.
   */
  private static boolean readsBody(Segment s) {
    if (s.blocks().isEmpty()) {
      return false;
    }
    for (dev.reqflow.flow.Block b : s.blocks()) {
      if (!b.isBodyRead()) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code "B's GET /x, 290 ms of it in B's flow"}, then what B waited on; {@code waited} is how
   * long the caller waited on the call that reached B.
   */
  private void describe(FlowReport callee, long waited, StringBuilder b, int depth) {
    Flow f = callee.flow();
    String service = service(f);
    b.append(service).append("'s ").append(f.name());
    boolean within = f.durationNanos() <= waited;
    if (within) {
      b.append(", ")
          .append(Durations.format(f.durationNanos()))
          .append(" of it in ")
          .append(service)
          .append("'s flow");
    } else {
      b.append(", the last part of ")
          .append(service)
          .append("'s flow there (")
          .append(Durations.format(f.durationNanos()))
          .append(" in all)");
    }
    if (!f.waitsRecorded()) {
      return;
    }
    Map<Call, Long> onCalls = waitedOnCalls(callee.criticalPath());
    if (onCalls.isEmpty()) {
      b.append(", which waited on no call of its own");
      return;
    }
    Call longest = null;
    long most = -1;
    long all = 0;
    boolean oneRequest = true;
    for (Map.Entry<Call, Long> e : onCalls.entrySet()) {
      all += e.getValue();
      if (e.getValue() > most) {
        most = e.getValue();
        longest = e.getKey();
      }
    }
    for (Call c : onCalls.keySet()) {
      oneRequest &= c.label().equals(longest.label());
    }
    b.append(within ? ", of which " : "; ").append(service);
    // What B's flow did besides waiting on its calls (its own code, waits on no call), when it is
    // a real part of it: otherwise a 700 ms flow "waiting 200 ms on calls" leaves 500 ms unsaid.
    long own = f.durationNanos() - all;
    if (own >= OWN_TIME_MIN_NANOS && own >= f.durationNanos() / 10) {
      b.append(" spent ").append(Durations.format(own)).append(" in its own code and");
    }
    b.append(" waited ");
    FlowReport next = depth + 1 < MAX_DEPTH ? callee(f, longest) : null;
    if (next == null && oneRequest && onCalls.size() > 1) {
      // The same request made again and again: one sentence for all of them.
      b.append(Durations.format(all))
          .append(" on ")
          .append(onCalls.size())
          .append(" calls to ")
          .append(longest.label());
      return;
    }
    if (all > most) {
      int n = onCalls.size() - 1;
      b.append(Durations.format(all - most))
          .append(" on ")
          .append(n)
          .append(n == 1 ? " other call and " : " other calls and ");
    }
    b.append(Durations.format(most)).append(" on its own call to ");
    if (next == null) {
      b.append(longest.label());
    } else {
      describe(next, most, b, depth + 1);
    }
  }

  /** The least time of a called flow's own (not waiting on its calls) worth saying. */
  private static final long OWN_TIME_MIN_NANOS = 5_000_000L;

  /** The blocked time of a critical path per call that released it, in the path's order. */
  static Map<Call, Long> waitedOnCalls(CriticalPath path) {
    Map<Call, Long> waited = new LinkedHashMap<>();
    for (Segment s : path.segments()) {
      if (s.kind() == Kind.BLOCKED && s.releasedBy() != null) {
        waited.merge(s.releasedBy(), s.durationNanos(), Long::sum);
      }
    }
    return waited;
  }

  /**
   * The suggestions of the flow that {@code call} of {@code caller} reached, best first, each with
   * what it would save of the caller's time: its saving in the callee, bounded by the time the
   * caller's critical path waited on that call (a call the page did not wait for saves the page
   * nothing, however much faster it gets). Empty when the callee is unknown or has none.
   */
  public List<CalleeSuggestion> suggestions(FlowReport caller, Call call) {
    FlowReport callee = callee(caller.flow(), call);
    if (callee == null || callee.suggestions().isEmpty()) {
      return List.of();
    }
    long waited = waitedOnCalls(caller.criticalPath()).getOrDefault(call, 0L);
    long whole = caller.flow().durationNanos();
    List<CalleeSuggestion> out = new ArrayList<>();
    for (Suggestion s : callee.suggestions()) {
      long saves = Math.max(0, Math.min(s.savingNanos(), waited));
      out.add(new CalleeSuggestion(call, callee, s, saves, whole > 0 ? (double) saves / whole : 0));
    }
    return List.copyOf(out);
  }

  /** {@code service.name} of a flow, or what stands for it when the trace has none. */
  public static String service(Flow f) {
    return f.service().isEmpty() ? "the called service" : f.service();
  }

  /**
   * A suggestion of a called service's flow, seen from the caller.
   *
   * @param call the caller's call that reached the callee
   * @param callee the flow the called service ran for it
   * @param suggestion the callee's suggestion, its saving in the callee's time
   * @param callerSavingNanos what it would save of the caller's time, at most: the saving, bounded
   *     by the time the caller's critical path waited on {@code call}
   * @param shareOfCaller {@code callerSavingNanos} over the caller's duration, 0 to 1
   */
  public record CalleeSuggestion(
      Call call,
      FlowReport callee,
      Suggestion suggestion,
      long callerSavingNanos,
      double shareOfCaller) {}
}
