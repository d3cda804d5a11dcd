package dev.reqflow.viewer.profiling;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A piece of the viewer's own work on the FX thread (the store taking a batch, the flow list
 * following it, a flow drawn), as a JDK Flight Recorder event: so that a recording of a stall says
 * which of ours ran in it and for how long. Costs a check of a flag when no recording asks for it.
 *
 * <pre>
 * FxWork w = FxWork.begin("flow list rebuilt");
 * ...
 * w.end(rows);
 * </pre>
 */
@Name("dev.reqflow.viewer.FxWork")
@Label("reqflow viewer FX work")
@Category({"reqflow", "Viewer"})
@Description("The viewer's own work on the FX thread")
@StackTrace(false)
public final class FxWork extends Event {
  @Label("What")
  String what;

  @Label("Items")
  @Description("How many items the work went through (flows, rows)")
  long items;

  @Label("CPU time")
  @Description(
      "The FX thread's CPU time in the work, ns: what it costs on a machine of its own, where the"
          + " duration also counts waiting for a core and collectors' pauses")
  @jdk.jfr.Timespan
  long cpuNanos;

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private FxWork(String what) {
    this.what = what;
  }

  /** Starts timing {@code what} (a short constant phrase). */
  public static FxWork begin(String what) {
    FxWork w = new FxWork(what);
    w.begin();
    if (w.isEnabled()) {
      w.cpuNanos = THREADS.getCurrentThreadCpuTime();
    }
    return w;
  }

  /** Ends the work, having gone through {@code items} items; recorded if a recording wants it. */
  public void end(long items) {
    if (shouldCommit()) {
      this.items = items;
      cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuNanos;
      commit();
    }
  }
}
