package dev.reqflow.viewer.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Why the FX thread was late during ingest, from a JDK Flight Recorder recording of the run: for
 * each of the longest waits of a task posted to the FX thread ({@link Probe}), what overlapped it —
 * garbage-collection pauses, JavaFX pulse phases ({@code -Djavafx.enableJFR=true}), the viewer's
 * own FX work ({@code dev.reqflow.viewer.FxWork}), the FX thread's samples (where it ran) and parks
 * (where it waited), and how many samples each other thread got meanwhile (who had the cores). The
 * FX thread's CPU time during the wait tells a busy FX thread (CPU close to the wait) from a
 * starved or paused one.
 */
final class FxStalls {
  static final String FX_THREAD = "JavaFX Application Thread";

  private FxStalls() {}

  /** A task posted to the FX thread: from its posting to its run, and the FX thread's CPU then. */
  @Name("dev.reqflow.viewer.bench.FxProbe")
  @Label("FX probe wait")
  @StackTrace(false)
  static final class Probe extends Event {
    @Label("FX thread CPU time during the wait (ns)")
    long fxCpuNanos;
  }

  /** Prints the {@code top} longest probe waits of the recording and what overlapped each. */
  static void report(Path recording, int top, PrintStream out) throws IOException {
    List<RecordedEvent> all = RecordingFile.readAllEvents(recording);
    List<RecordedEvent> probes = new ArrayList<>();
    String young = "?";
    String old = "?";
    long maxHeap = 0;
    double gcPauseTotal = 0;
    for (RecordedEvent e : all) {
      switch (e.getEventType().getName()) {
        case "dev.reqflow.viewer.bench.FxProbe" -> probes.add(e);
        case "jdk.GCConfiguration" -> {
          young = e.getString("youngCollector");
          old = e.getString("oldCollector");
        }
        case "jdk.GCHeapConfiguration" -> maxHeap = e.getLong("maxSize");
        case "jdk.GCPhasePause" -> gcPauseTotal += e.getDuration().toNanos() / 1e6;
        default -> {}
      }
    }
    out.printf(
        Locale.ROOT,
        "recording: collectors %s / %s, heap max %,d MB, GC pauses %.0f ms in all%n",
        young,
        old,
        maxHeap >> 20,
        gcPauseTotal);
    probes.sort((a, b) -> b.getDuration().compareTo(a.getDuration()));
    if (!probes.isEmpty()) {
      int n = probes.size();
      int over = 0;
      for (RecordedEvent p : probes) {
        over += durationMillis(p) > 100 ? 1 : 0;
      }
      out.printf(
          Locale.ROOT,
          "FX waits: %d probes, median %.1f ms, p99 %.1f ms, max %.1f ms; %d over 100 ms%n",
          n,
          durationMillis(probes.get(n / 2)),
          durationMillis(probes.get(n / 100)),
          durationMillis(probes.get(0)),
          over);
    }
    Map<String, double[]> work = new TreeMap<>();
    for (RecordedEvent e : all) {
      if (e.getEventType().getName().equals("dev.reqflow.viewer.FxWork")) {
        double[] w = work.computeIfAbsent(e.getString("what"), k -> new double[5]);
        double cpu = e.hasField("cpuNanos") ? e.getLong("cpuNanos") / 1e6 : 0;
        w[0] += durationMillis(e);
        w[1]++;
        w[2] = Math.max(w[2], durationMillis(e));
        w[3] += cpu;
        w[4] = Math.max(w[4], cpu);
      }
    }
    // The CPU figures are the FX thread's own: what the work costs wherever it runs; the wall
    // figures add the waits for a core and the collectors' pauses of this machine.
    work.forEach(
        (k, v) ->
            out.printf(
                Locale.ROOT,
                "viewer FX work in all: %s %.0f ms in %d runs, longest %.1f ms; FX CPU %.0f ms,"
                    + " longest %.1f ms%n",
                k,
                v[0],
                (int) v[1],
                v[2],
                v[3],
                v[4]));
    for (RecordedEvent p : probes.subList(0, Math.min(top, probes.size()))) {
      window(all, p, out);
    }
  }

  private static void window(List<RecordedEvent> all, RecordedEvent probe, PrintStream out) {
    Instant from = probe.getStartTime();
    Instant to = probe.getEndTime();
    double gc = 0;
    List<String> gcs = new ArrayList<>();
    Map<String, Double> phases = new TreeMap<>();
    Map<String, double[]> work = new TreeMap<>();
    Map<String, Integer> fxSamples = new LinkedHashMap<>();
    Map<String, Integer> threads = new TreeMap<>();
    List<String> parks = new ArrayList<>();
    for (RecordedEvent e : all) {
      String type = e.getEventType().getName();
      double overlap = overlapMillis(e, from, to);
      switch (type) {
        case "jdk.GCPhasePause" -> {
          if (overlap > 0) {
            gc += overlap;
            gcs.add(
                String.format(Locale.ROOT, "%s %.1f ms", e.getString("name"), durationMillis(e)));
          }
        }
        case "javafx.PulsePhase" -> {
          if (overlap > 0 && e.hasField("phaseName")) {
            phases.merge(e.getString("phaseName"), overlap, Double::sum);
          }
        }
        case "dev.reqflow.viewer.FxWork" -> {
          if (overlap > 0) {
            double[] w = work.computeIfAbsent(e.getString("what"), k -> new double[3]);
            w[0] += overlap;
            w[1]++;
            w[2] = Math.max(w[2], e.getLong("items"));
          }
        }
        case "jdk.ExecutionSample" -> {
          if (within(e.getStartTime(), from, to)) {
            RecordedThread t = e.getThread("sampledThread");
            String name = t == null ? "?" : t.getJavaName();
            threads.merge(threadGroup(name), 1, Integer::sum);
            if (FX_THREAD.equals(name)) {
              fxSamples.merge(where(e.getStackTrace()), 1, Integer::sum);
            }
          }
        }
        case "jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait" -> {
          RecordedThread t = e.getThread();
          if (overlap > 0 && t != null && FX_THREAD.equals(t.getJavaName())) {
            parks.add(
                String.format(
                    Locale.ROOT,
                    "%s %.1f ms at %s",
                    type.substring(4),
                    overlap,
                    where(e.getStackTrace())));
          }
        }
        default -> {}
      }
    }
    out.printf(
        Locale.ROOT,
        "FX thread late %.1f ms (its CPU meanwhile %.1f ms); GC pauses in it %.1f ms %s%n",
        durationMillis(probe),
        probe.getLong("fxCpuNanos") / 1e6,
        gc,
        gcs);
    if (!phases.isEmpty()) {
      StringBuilder b = new StringBuilder("  pulse phases (ms):");
      phases.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.1f;", k, v)));
      out.println(b);
    }
    work.forEach(
        (k, v) ->
            out.printf(
                Locale.ROOT,
                "  viewer FX work: %s %.1f ms in %d runs (up to %d items)%n",
                k,
                v[0],
                (int) v[1],
                (long) v[2]));
    if (!fxSamples.isEmpty()) {
      out.println("  FX thread samples: " + top(fxSamples, 6));
    }
    for (String p : parks) {
      out.println("  FX thread " + p);
    }
    out.println("  samples by thread: " + top(threads, 8));
  }

  /** Pool threads counted together: {@code ForkJoinPool-1-worker-3} as {@code ForkJoinPool-1}. */
  private static String threadGroup(String name) {
    return name.replaceAll("-worker-\\d+$", "").replaceAll("-\\d+$", "");
  }

  /** The sample's first frame in reqflow's code and its top frame (where the time went). */
  private static String where(RecordedStackTrace st) {
    if (st == null || st.getFrames().isEmpty()) {
      return "?";
    }
    List<RecordedFrame> frames = st.getFrames();
    String topFrame = frame(frames.get(0));
    for (RecordedFrame f : frames) {
      if (f.getMethod().getType().getName().startsWith("dev.reqflow.")) {
        String ours = frame(f);
        return ours.equals(topFrame) ? ours : ours + " > " + topFrame;
      }
    }
    return topFrame;
  }

  private static String frame(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }

  private static String top(Map<String, Integer> counts, int n) {
    List<Map.Entry<String, Integer>> es = new ArrayList<>(counts.entrySet());
    es.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Integer> e : es.subList(0, Math.min(n, es.size()))) {
      b.append(b.length() == 0 ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
    }
    return b.toString();
  }

  private static boolean within(Instant t, Instant from, Instant to) {
    return !t.isBefore(from) && !t.isAfter(to);
  }

  private static double overlapMillis(RecordedEvent e, Instant from, Instant to) {
    Instant s = e.getStartTime().isAfter(from) ? e.getStartTime() : from;
    Instant x = e.getEndTime().isBefore(to) ? e.getEndTime() : to;
    return x.isAfter(s) ? Duration.between(s, x).toNanos() / 1e6 : 0;
  }

  private static double durationMillis(RecordedEvent e) {
    return e.getDuration().toNanos() / 1e6;
  }
}
