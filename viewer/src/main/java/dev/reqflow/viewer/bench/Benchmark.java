package dev.reqflow.viewer.bench;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Flow;
import dev.reqflow.otlp.FlowAssembler;
import dev.reqflow.viewer.app.MainWindow;
import dev.reqflow.viewer.app.ViewerPrefs;
import dev.reqflow.viewer.files.FileLoader;
import dev.reqflow.viewer.receiver.OtlpReceiver;
import dev.reqflow.viewer.timeline.TimelineModel;
import dev.reqflow.viewer.timeline.TimelineRenderer;
import dev.reqflow.viewer.timeline.Viewport;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.prefs.Preferences;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/**
 * The viewer's budgets, measured: a timeline frame with 100,000 visible spans, opening a
 * 1,000,000-span file, and live ingest with the window open. Not a test: run it from the jar,
 *
 * <pre>
 * java -Xmx4g -cp viewer/target/reqflow-viewer.jar dev.reqflow.viewer.bench.Benchmark [frame] [open] [ingest]
 * </pre>
 *
 * Without a display it uses Monocle's headless platform and software rendering, as the tests do.
 */
public final class Benchmark {
  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    if (System.getenv("DISPLAY") == null) {
      System.setProperty("glass.platform", "Monocle");
      System.setProperty("monocle.platform", "Headless");
      System.setProperty("prism.order", "sw");
      System.setProperty("headless.geometry", "1600x1000-32");
    }
    CountDownLatch started = new CountDownLatch(1);
    Platform.startup(started::countDown);
    started.await();
    Platform.setImplicitExit(false);
    System.out.printf(
        Locale.ROOT,
        "reqflow viewer benchmark (java %s, %d cpus)%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    if (args.length > 0 && args[0].equals("write-files")) {
      writeFiles(Path.of(args[1]));
      Platform.exit();
      return;
    }
    if (args.length > 0 && args[0].equals("open-files")) {
      // The toolkit keeps the JVM alive (implicit exit is off): it ends even when opening fails.
      Thread.setDefaultUncaughtExceptionHandler(
          (t, e) -> {
            e.printStackTrace();
            Runtime.getRuntime().halt(1);
          });
      for (int i = 1; i < args.length; i++) {
        Path f = Path.of(args[i]);
        openOne(
            f, f.getFileName().toString().endsWith(".pb") ? "OTLP protobuf" : "OTLP JSON lines");
      }
      System.out.printf(
          Locale.ROOT,
          "peak heap used: %,d MB (max %,d MB)%n",
          peakHeap() >> 20,
          Runtime.getRuntime().maxMemory() >> 20);
      Platform.exit();
      return;
    }
    List<String> which = args.length == 0 ? List.of("frame", "open", "ingest") : List.of(args);
    try {
      if (which.contains("frame")) {
        frame();
      }
      if (which.contains("open")) {
        openFile();
      }
      if (which.contains("ingest")) {
        ingest();
      }
    } catch (Throwable t) {
      t.printStackTrace();
      Platform.exit();
      System.exit(1);
    }
    Platform.exit();
    System.exit(0);
  }

  private static <T> T onFx(java.util.concurrent.Callable<T> work) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          try {
            f.complete(work.call());
          } catch (Throwable t) {
            f.completeExceptionally(t);
          }
        });
    return f.get(10, TimeUnit.MINUTES);
  }

  private static String stats(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return String.format(
        Locale.ROOT,
        "median %.2f ms, p95 %.2f ms, max %.2f ms",
        s[s.length / 2] / 1e6,
        s[(int) Math.ceil(s.length * 0.95) - 1] / 1e6,
        s[s.length - 1] / 1e6);
  }

  /** 100,000 calls on 8 threads, all visible, then zoomed views; draw calls and rasterised. */
  static void frame() throws Exception {
    List<Span> spans = new SyntheticTraces(1).bigFlow(100_000, 8);
    Flow flow =
        new FlowAssembler()
            .add(SyntheticTraces.request("bench", spans), "bench")
            .build()
            .flows()
            .get(0);
    TimelineModel model = new TimelineModel();
    long[][] result =
        onFx(
            () -> {
              model.setFlow(flow);
              Canvas canvas = new Canvas(1600, 900);
              double w = TimelineRenderer.plotWidth(canvas.getWidth());
              Viewport fit = Viewport.fit(flow.startNanos(), flow.endNanos(), w);
              Viewport[] views = {fit, fit.zoomAround(w / 2, 8), fit.zoomAround(w / 3, 200)};
              for (int i = 0; i < 100; i++) {
                TimelineRenderer.draw(
                    canvas.getGraphicsContext2D(),
                    model,
                    views[i % views.length],
                    canvas.getWidth(),
                    canvas.getHeight());
              }
              int rounds = 100;
              long[] draw = new long[rounds];
              long[] raster = new long[rounds / 3];
              for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                TimelineRenderer.draw(
                    canvas.getGraphicsContext2D(),
                    model,
                    views[0],
                    canvas.getWidth(),
                    canvas.getHeight());
                draw[i] = System.nanoTime() - t0;
              }
              for (int i = 0; i < raster.length; i++) {
                long t0 = System.nanoTime();
                TimelineRenderer.draw(
                    canvas.getGraphicsContext2D(),
                    model,
                    views[i % views.length],
                    canvas.getWidth(),
                    canvas.getHeight());
                canvas.snapshot(null, null);
                raster[i] = System.nanoTime() - t0;
              }
              return new long[][] {draw, raster};
            });
    System.out.printf(
        Locale.ROOT,
        "frame, %,d spans visible: draw %s%n",
        flow.calls().size() + flow.blocks().size(),
        stats(result[0]));
    System.out.printf(
        Locale.ROOT,
        "frame incl. software rasterising and read-back (snapshot): %s%n",
        stats(result[1]));
  }

  /**
   * 100,000 home pages (900,000 spans) and one flow of 100,000 calls: 1,001,001 spans, in OTLP JSON
   * lines of 1,000 spans (the format files are written in) and as one protobuf request.
   */
  /**
   * Writes the open budget's two files into {@code dir} ({@code bench.jsonl}, {@code bench.pb}): so
   * that {@code open-files} can open them in a JVM of the budget's heap, not of the heap that
   * generating them takes.
   */
  static void writeFiles(Path dir) throws Exception {
    Files.createDirectories(dir);
    SyntheticTraces t = new SyntheticTraces(2);
    List<Span> spans = new ArrayList<>(1_001_100);
    for (int i = 0; i < 100_000; i++) {
      spans.addAll(t.homePage());
    }
    spans.addAll(t.bigFlow(100_000, 8));
    try (OutputStream out = Files.newOutputStream(dir.resolve("bench.pb"))) {
      SyntheticTraces.request("bench", spans).writeTo(out);
    }
    try (java.io.Writer out = Files.newBufferedWriter(dir.resolve("bench.jsonl"))) {
      for (int from = 0; from < spans.size(); from += 1000) {
        out.write(
            SyntheticTraces.json(
                SyntheticTraces.request(
                    "bench", spans.subList(from, Math.min(spans.size(), from + 1000)))));
        out.write('\n');
      }
    }
    System.out.println("wrote " + dir.resolve("bench.pb") + " and " + dir.resolve("bench.jsonl"));
  }

  /** Time the collectors have spent so far, ms (pauses, for G1). */
  static long gcMillis() {
    long sum = 0;
    for (java.lang.management.GarbageCollectorMXBean g :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, g.getCollectionTime());
    }
    return sum;
  }

  /** The most heap in use at once so far: the sum of each pool's peak (an upper bound). */
  static long peakHeap() {
    long sum = 0;
    for (java.lang.management.MemoryPoolMXBean p :
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == java.lang.management.MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static void openFile() throws Exception {
    Path jsonl = Files.createTempFile("reqflow-bench", ".jsonl");
    Path file = Files.createTempFile("reqflow-bench", ".pb");
    try {
      SyntheticTraces t = new SyntheticTraces(2);
      List<Span> spans = new ArrayList<>(1_001_100);
      for (int i = 0; i < 100_000; i++) {
        spans.addAll(t.homePage());
      }
      spans.addAll(t.bigFlow(100_000, 8));
      try (OutputStream out = Files.newOutputStream(file)) {
        SyntheticTraces.request("bench", spans).writeTo(out);
      }
      try (java.io.Writer out = Files.newBufferedWriter(jsonl)) {
        for (int from = 0; from < spans.size(); from += 1000) {
          out.write(
              SyntheticTraces.json(
                  SyntheticTraces.request(
                      "bench", spans.subList(from, Math.min(spans.size(), from + 1000)))));
          out.write('\n');
        }
      }
      spans = null;
      System.gc();
      openOne(jsonl, "OTLP JSON lines");
      openOne(file, "OTLP protobuf");
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(jsonl);
    }
  }

  static void openOne(Path file, String format) throws Exception {
    long[] times = new long[3];
    long[] cpu = new long[times.length];
    long[] gc = new long[times.length];
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    FileLoader.Loaded loaded = null;
    for (int i = 0; i < times.length; i++) {
      loaded = null;
      System.gc();
      long gc0 = gcMillis();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      loaded = FileLoader.load(List.of(file), p -> {});
      times[i] = System.nanoTime() - t0;
      cpu[i] = os.getProcessCpuTime() - cpu0;
      gc[i] = gcMillis() - gc0;
    }
    if (Boolean.getBoolean("reqflow.bench.histogram")) {
      // What the open leaves live (the flows, their critical paths): the classes by bytes, after a
      // full collection, while the last open's result is still held.
      System.out.println(histogram(25));
    }
    // On a shared machine the wall time says more of the others' load than of the open: the CPU
    // time this process spent, and its collector's pauses, say what the open costs.
    for (int i = 0; i < times.length; i++) {
      System.out.printf(
          Locale.ROOT,
          "  open %d: wall %.2f s, process CPU %.2f s, GC pauses %.2f s, load average %.1f%n",
          i + 1,
          times[i] / 1e9,
          cpu[i] / 1e9,
          gc[i] / 1e3,
          os.getSystemLoadAverage());
    }
    System.out.printf(
        Locale.ROOT,
        "open %,d-span %s file (%,d MB, %,d flows): read + assemble + critical paths, flows"
            + " on screen: %s%n",
        loaded.read().spanCount(),
        format,
        Files.size(file) >> 20,
        loaded.read().flows().size(),
        stats(times));
    if (!Boolean.parseBoolean(System.getProperty("reqflow.bench.suggestions", "true"))) {
      return; // the open alone, for profiles of it
    }
    List<Flow> pages = new ArrayList<>();
    for (Flow f : loaded.read().flows()) {
      if (f.calls().size() < 1000) {
        pages.add(f);
      }
    }
    long t0 = System.nanoTime();
    FileLoader.analyse(pages);
    System.out.printf(
        Locale.ROOT,
        "then suggestions for its %,d small flows (core analysis, in the background): %.2f s%n",
        pages.size(),
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * The first {@code lines} lines of the heap's class histogram (live objects, after a full
   * collection), as {@code jcmd PID GC.class_histogram} prints it.
   */
  static String histogram(int lines) throws Exception {
    String all =
        (String)
            java.lang.management.ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    String[] split = all.split("\n");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(lines + 3, split.length); i++) {
      out.append(split[i]).append('\n');
    }
    out.append(split[split.length - 1]);
    return out.toString();
  }

  /** Requests of 500 home pages each from 2 senders into the window's receiver. */
  static void ingest() throws Exception {
    Preferences node = Preferences.userRoot().node("dev/reqflow/viewer-bench");
    long[] maxGap = {0};
    long[] last = {0};
    MainWindow window =
        onFx(
            () -> {
              MainWindow w = new MainWindow(new ViewerPrefs(node), "");
              Stage stage = new Stage();
              stage.setScene(new Scene(new StackPane(w), 1400, 850));
              stage.show();
              new AnimationTimer() {
                @Override
                public void handle(long now) {
                  if (last[0] != 0) {
                    maxGap[0] = Math.max(maxGap[0], now - last[0]);
                  }
                  last[0] = now;
                }
              }.start();
              return w;
            });
    AtomicLong flowsSeen = new AtomicLong();
    OtlpReceiver.Listener ui = window.receiverListener();
    OtlpReceiver receiver =
        OtlpReceiver.start(
            "127.0.0.1",
            0,
            new OtlpReceiver.Listener() {
              @Override
              public void flows(List<FlowReport> changed) {
                flowsSeen.addAndGet(changed.size());
                ui.flows(changed);
              }

              @Override
              public void error(String message) {
                ui.error(message);
              }
            });
    int requests = 60;
    int pages = 500;
    List<byte[]> bodies = new ArrayList<>();
    SyntheticTraces t = new SyntheticTraces(3);
    long spanTotal = 0;
    for (int r = 0; r < requests; r++) {
      List<Span> spans = new ArrayList<>();
      for (int p = 0; p < pages; p++) {
        spans.addAll(t.homePage());
      }
      spanTotal += spans.size();
      bodies.add(SyntheticTraces.request("bench", spans).toByteArray());
    }
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + receiver.port() + "/v1/traces");
    // Warm up: the first flows load the list's and the timeline's classes and styles, once.
    byte[] warm =
        SyntheticTraces.request("warm-up", new SyntheticTraces(4).homePage()).toByteArray();
    http.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(warm))
            .build(),
        HttpResponse.BodyHandlers.discarding());
    while (onFx(() -> window.shown() == null)) {
      Thread.sleep(20);
    }
    Thread.sleep(500);
    flowsSeen.set(0);
    ExecutorService senders = Executors.newFixedThreadPool(2);
    onFx(() -> maxGap[0] = 0);
    // A recording of the run, to say what overlapped the longest waits (FxStalls).
    jdk.jfr.Recording recording =
        new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
    recording.enable(FxStalls.Probe.class);
    recording.enable("dev.reqflow.viewer.FxWork");
    recording.start();
    // How long a task posted to the FX thread waits: what a click would wait during ingest.
    AtomicLong maxLatency = new AtomicLong();
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long fxThread = onFx(() -> Thread.currentThread().getId());
    java.util.concurrent.ScheduledExecutorService probe =
        Executors.newSingleThreadScheduledExecutor();
    probe.scheduleAtFixedRate(
        () -> {
          FxStalls.Probe event = new FxStalls.Probe();
          long cpu = threads.getThreadCpuTime(fxThread);
          long posted = System.nanoTime();
          event.begin();
          Platform.runLater(
              () -> {
                maxLatency.accumulateAndGet(System.nanoTime() - posted, Math::max);
                event.fxCpuNanos = threads.getCurrentThreadCpuTime() - cpu;
                event.commit();
              });
        },
        10,
        10,
        TimeUnit.MILLISECONDS);
    java.util.Map<String, Double> cpuBefore = ThreadCpu.snapshot();
    long t0 = System.nanoTime();
    List<java.util.concurrent.Future<Integer>> sent = new ArrayList<>();
    for (byte[] body : bodies) {
      sent.add(
          senders.submit(
              () ->
                  http.send(
                          HttpRequest.newBuilder(uri)
                              .header("Content-Type", "application/x-protobuf")
                              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                              .build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()));
    }
    for (java.util.concurrent.Future<Integer> f : sent) {
      if (f.get() != 200) {
        throw new IllegalStateException("receiver answered " + f.get());
      }
    }
    long accepted = System.nanoTime() - t0;
    long expectedFlows = (long) requests * pages;
    while (flowsSeen.get() < expectedFlows) {
      Thread.sleep(5);
    }
    int[] inStore = {0};
    while (inStore[0] < expectedFlows + 1) {
      inStore[0] = onFx(() -> window.store().size());
    }
    long listed = System.nanoTime() - t0;
    long gap = onFx(() -> maxGap[0]);
    java.util.Map<String, Double> cpuAfter = ThreadCpu.snapshot();
    probe.shutdownNow();
    recording.stop();
    String keep = System.getProperty("reqflow.bench.jfr");
    Path jfr = keep != null ? Path.of(keep) : Files.createTempFile("reqflow-ingest", ".jfr");
    recording.dump(jfr);
    recording.close();
    System.out.printf(
        Locale.ROOT,
        "live ingest of %,d spans in %d requests: accepted at %,.0f spans/s, all %,d flows in the"
            + " window at %,.0f spans/s; meanwhile the FX thread answered within %.1f ms"
            + " (longest pulse gap %.1f ms)%n",
        spanTotal,
        requests,
        spanTotal / (accepted / 1e9),
        expectedFlows,
        spanTotal / (listed / 1e9),
        maxLatency.get() / 1e6,
        gap / 1e6);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    System.out.printf(
        Locale.ROOT,
        "load average %.1f; what overlapped the longest waits:%n",
        os.getSystemLoadAverage());
    System.out.println(
        "CPU of the process's threads meanwhile, "
            + ThreadCpu.between(cpuBefore, cpuAfter, 12)
            + " (the FX thread is \"JavaFX Applicat\", the collector's \"GC Thread\")");
    bodies.clear();
    System.gc();
    System.out.printf(
        Locale.ROOT,
        "heap live after the run (the window's flows and the receiver's spans): %,d MB%n",
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()
            >> 20);
    if (Boolean.getBoolean("reqflow.bench.histogram")) {
      System.out.println(histogram(25)); // what that heap is
    }
    FxStalls.report(jfr, 5, System.out);
    if (keep == null) {
      Files.delete(jfr);
    } else {
      System.out.println("recording kept: " + jfr);
    }
    senders.shutdownNow();
    receiver.close();
    node.removeNode();
  }
}
