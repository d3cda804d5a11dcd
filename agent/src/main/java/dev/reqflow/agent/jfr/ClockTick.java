package dev.reqflow.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * reqflow's own JDK Flight Recorder event, committed every period by the recorder's periodic task:
 * its start time (JDK Flight Recorder's clock) beside {@link #nanoTime} (the agent's) lets the
 * agent place JDK Flight Recorder's events on its own time line.
 */
@Name(ClockTick.NAME)
@Label("reqflow clock tick")
@Category("reqflow")
@Description("The reqflow agent's System.nanoTime at the event's start, to align clocks")
@StackTrace(false)
// Off unless a recording asks for it: the application's own recordings do not get it.
@Enabled(false)
public final class ClockTick extends jdk.jfr.Event {
  static final String NAME = "dev.reqflow.ClockTick";

  @Label("System.nanoTime")
  long nanoTime;
}
