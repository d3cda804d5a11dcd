package dev.reqflow.viewer.timeline;

import dev.reqflow.analysis.AcrossServices;
import dev.reqflow.analysis.Durations;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;

/**
 * The flow another service ran for a call of the shown flow (its agent got the call's trace
 * context; see core's {@code AcrossServices}), placed on the call's time so that it is drawn inside
 * it: what of the caller's wait was the called service working, and what was it waiting on calls of
 * its own.
 *
 * <p>Two processes' clocks differ (their epoch anchors, a few milliseconds on one machine, more
 * across machines), so a callee may be recorded starting before its call or ending after it. It is
 * then moved by the least amount that puts it inside the call, as trace viewers do for a child
 * span, and {@link #describe} says by how much; one longer than its call starts with it.
 *
 * @param flow the called service's flow, as recorded
 * @param shiftNanos added to its times to draw it inside the call; 0 when it already lies inside
 */
public record Callee(Flow flow, long shiftNanos) {

  /** {@code callee} placed inside {@code call}. */
  public static Callee place(Call call, Flow callee) {
    long shift = 0;
    if (callee.endNanos() > call.endNanos()) {
      shift = call.endNanos() - callee.endNanos();
    }
    if (callee.startNanos() + shift < call.startNanos()) {
      shift = call.startNanos() - callee.startNanos();
    }
    return new Callee(callee, shift);
  }

  /** Where it is drawn to start, epoch nanos. */
  public long startNanos() {
    return flow.startNanos() + shiftNanos;
  }

  /** Where it is drawn to end, epoch nanos. */
  public long endNanos() {
    return flow.endNanos() + shiftNanos;
  }

  /** {@code service.name} of the callee, or what stands for it. */
  public String service() {
    return AcrossServices.service(flow);
  }

  /**
   * What the callee did, for the call's tooltip and details: {@code "Continues in backends's flow
   * GET /user, 290 ms: blocked 250 ms (86%) waiting on its own calls, 40 ms in its own code"}, what
   * reqflow could not see of it, and how far it was moved to fit inside the call.
   */
  public String describe() {
    StringBuilder b =
        new StringBuilder("Continues in ")
            .append(service())
            .append("'s flow ")
            .append(flow.name())
            .append(", ")
            .append(Durations.format(flow.durationNanos()));
    if (!flow.waitsRecorded()) {
      // Drawn all working: say it is not known to be, rather than let grey read as an all-clear.
      b.append(
          ": its waits were not recorded (not the reqflow agent), so where it blocked is not"
              + " known");
    } else {
      long blocked = flow.blockedNanos();
      long own = Math.max(0, flow.durationNanos() - blocked);
      long pct = flow.durationNanos() == 0 ? 0 : Math.round(100.0 * blocked / flow.durationNanos());
      b.append(": blocked ")
          .append(Durations.format(blocked))
          .append(" (")
          .append(pct)
          .append("%) waiting on ")
          .append(flow.calls().isEmpty() ? "no call of its own" : "its own calls")
          .append(", ")
          .append(Durations.format(own))
          .append(" in its own code");
    }
    if (flow.inProgress()) {
      b.append("; it had not ended when its trace was written");
    }
    if (shiftNanos != 0) {
      b.append("\nDrawn ")
          .append(Durations.format(Math.abs(shiftNanos)))
          .append(shiftNanos > 0 ? " later" : " earlier")
          .append(
              " than its service recorded it, to fit inside the call: the two services'"
                  + " clocks differ");
    }
    return b.toString();
  }
}
