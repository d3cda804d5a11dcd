package dev.reqflow.viewer.receiver;

import com.google.protobuf.ByteString;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.contract.TraceContract;
import dev.reqflow.flow.Flow;
import dev.reqflow.otlp.FlowAssembler;
import dev.reqflow.viewer.files.FileLoader;
import dev.reqflow.viewer.flows.FlowStore;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Re-assembles flows whose spans arrive in several requests. Spans are kept per trace, so that a
 * new batch re-assembles only the traces it touched; {@link #drain} returns flows analysed as a
 * file of everything received so far would be, and the caller replaces their earlier versions.
 * Thread-safe; one thread drains.
 *
 * <p>A flow's suggestions depend on the other flows of its service (their calls are its history:
 * connections a shared client would have kept, handshakes, the usual time of its calls), so a drain
 * re-analyses every flow of the services its new flows belong to, and returns those whose report
 * changed (with the other flows of their traces): live flows get the suggestions the same flows
 * read from a file get. A service of more than {@link #BIG_SERVICE} flows is re-analysed at most
 * every {@link #BIG_SERVICE_NANOS}: its new flows wait for that.
 *
 * <p>An exporter sends spans as they end, so a flow's calls and waits arrive before the flow span
 * that ends last. A trace is held back until its flow span (or any root span) has come, and until
 * no call, wait or section of it names a parent that has not come (see {@link ParentWait}): a trace
 * through two services is exported by each process on its own, so the called service's flow may
 * come while the calling page's calls are there without their flow span. Assembled then, those
 * calls would be repaired into the called service's flow ("spans whose parent is missing"). So no
 * half-built flow, named after one of its waits or repaired as if its parent were lost, is shown; a
 * trace still missing a span after {@link #GRACE_NANOS} without new spans (another tool's, a flow
 * still running, a parent never exported) is shown as it is, repaired, and assembled again when the
 * missing span does come.
 *
 * <p>The agent's {@code install} spans ({@code install=background}) are no flow: they are kept
 * apart, and {@link #notices()} words them as a file's reader does, its first warnings.
 *
 * <p>Flows of more than {@link FileLoader#MAX_CALLS_ANALYSED} calls are analysed as an opened
 * file's are: after the others, one at a time on a background thread of low priority, with their
 * service's flows as history. Until then they are published with their critical path and a reason
 * for no suggestion yet, then again with the suggestions a file gives them.
 */
public final class LiveAssembler implements AutoCloseable {
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * Services with more flows than this are re-analysed at most every {@link #BIG_SERVICE_NANOS}.
   */
  static final int BIG_SERVICE = 2_000;

  static final long BIG_SERVICE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Map<ByteString, FlowAssembler> traces = new ConcurrentHashMap<>();

  /**
   * Strings and repeated values shared by the traces' assemblers: a live session holds one
   * assembler per trace, and each kept its own table of every string and value it had read (the
   * benchmark's 30,000 traces held 1.7 million table entries; names repeated per trace). Less held
   * is less for each young collection to copy during ingest, where its pauses stall the UI.
   */
  private final FlowAssembler.Shared shared = new FlowAssembler.Shared();

  private final Set<ByteString> dirty = ConcurrentHashMap.newKeySet();
  private final Set<ByteString> rooted = ConcurrentHashMap.newKeySet();
  private final Map<ByteString, ParentWait> parents = new ConcurrentHashMap<>();

  /** The install spans received, read by an assembler of their own: only its warnings count. */
  private FlowAssembler installs = new FlowAssembler();

  private final AtomicLong installSpans = new AtomicLong();
  private final Map<ByteString, Long> lastAdded = new ConcurrentHashMap<>();
  private final AtomicLong spans = new AtomicLong();
  private final LongSupplier nanoTime;
  // Confined to the draining thread.
  private final Map<ByteString, List<Flow>> built = new HashMap<>();
  private final Map<String, Set<ByteString>> tracesOf = new HashMap<>();
  private final Map<String, FlowReport> published = new HashMap<>();
  private final Map<String, Long> analysedAt = new HashMap<>();
  private final Set<String> pending = new LinkedHashSet<>();
  // Huge flows: analysed apart, by identity of the flow built (a rebuilt trace is analysed anew).
  private final Map<Flow, FlowReport> hugeDone = new IdentityHashMap<>();
  private final Set<Flow> hugeQueued = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Queue<HugeResult> hugeResults = new ConcurrentLinkedQueue<>();
  private final int maxCallsAtOnce;
  private final Executor hugeRunner;
  private final ExecutorService ownRunner;

  public LiveAssembler() {
    this(System::nanoTime);
  }

  LiveAssembler(LongSupplier nanoTime) {
    this(nanoTime, FileLoader.MAX_CALLS_ANALYSED, null);
  }

  /**
   * @param maxCallsAtOnce flows of more calls are analysed after the others
   * @param hugeRunner runs those analyses; null for a daemon thread of low priority of its own
   */
  LiveAssembler(LongSupplier nanoTime, int maxCallsAtOnce, Executor hugeRunner) {
    this.nanoTime = nanoTime;
    this.maxCallsAtOnce = maxCallsAtOnce;
    if (hugeRunner == null) {
      ownRunner =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "reqflow-analyse-huge-live");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
              });
      this.hugeRunner = ownRunner;
    } else {
      ownRunner = null;
      this.hugeRunner = hugeRunner;
    }
  }

  /** Runs the re-analyses of services on one thread (its workers are daemon threads). */
  private final ForkJoinPool oneCore = new ForkJoinPool(1);

  /** A huge flow's report, analysed in the background, for the trace it was built from. */
  private record HugeResult(ByteString trace, Flow flow, FlowReport report) {}

  /** Stops the background analysis of huge flows. */
  @Override
  public void close() {
    if (ownRunner != null) {
      ownRunner.shutdownNow();
    }
    oneCore.shutdownNow();
  }

  /** Why a huge flow has no suggestions yet, until its analysis is done. */
  static String pendingReason(Flow f) {
    return "not yet: a flow of "
        + f.calls().size()
        + " calls is analysed after the others, in the background (its what-if replays take a"
        + " while)";
  }

  /**
   * Adds the spans of one request, split by trace. Requests are decoded in parallel; only spans of
   * the same trace wait for each other. Returns how many spans the request held.
   */
  public int add(ExportTraceServiceRequest request, String source) {
    int count = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        Map<ByteString, List<Span>> byTrace = new LinkedHashMap<>();
        List<Span> install = List.of();
        for (Span s : ss.getSpansList()) {
          count++;
          if (TraceContract.SpanType.INSTALL.equals(spanType(s))) {
            if (install.isEmpty()) {
              install = new ArrayList<>(1);
            }
            install.add(s);
            continue;
          }
          byTrace.computeIfAbsent(s.getTraceId(), k -> new ArrayList<>()).add(s);
          if (startsAFlow(s)) {
            rooted.add(s.getTraceId());
          }
        }
        if (!install.isEmpty()) {
          ExportTraceServiceRequest part = part(rs, ss, install);
          synchronized (this) {
            installs.add(part, source);
          }
          installSpans.addAndGet(install.size());
        }
        for (Map.Entry<ByteString, List<Span>> e : byTrace.entrySet()) {
          ExportTraceServiceRequest part = part(rs, ss, e.getValue());
          FlowAssembler trace = traces.computeIfAbsent(e.getKey(), k -> new FlowAssembler(shared));
          ParentWait wait = parents.computeIfAbsent(e.getKey(), k -> new ParentWait());
          synchronized (trace) {
            trace.add(part, source);
            for (Span s : e.getValue()) {
              wait.add(s.getSpanId(), startsAFlow(s) ? ByteString.EMPTY : s.getParentSpanId());
            }
          }
          lastAdded.put(e.getKey(), nanoTime.getAsLong());
          dirty.add(e.getKey());
        }
      }
    }
    spans.addAndGet(count);
    return count;
  }

  /** A request of one scope's {@code spans}, with their resource and scope. */
  private static ExportTraceServiceRequest part(ResourceSpans rs, ScopeSpans ss, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(rs.getResource())
                .setSchemaUrl(rs.getSchemaUrl())
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(ss.getScope())
                        .setSchemaUrl(ss.getSchemaUrl())
                        .addAllSpans(spans)))
        .build();
  }

  /**
   * The agent's background installs received, worded as a file's reader words them (its first
   * warnings: {@code shop: the agent finished installing 812 ms after the JVM started
   * (install=background): requests before then were not recorded, ...}); empty when none came.
   */
  public synchronized List<String> notices() {
    return installSpans.get() == 0 ? List.of() : installs.build().warnings();
  }

  /** Install spans received so far: {@link #notices()} changes only when this does. */
  public long installSpanCount() {
    return installSpans.get();
  }

  /**
   * Forgets every span and flow received so far, as if none had come: later spans of the same
   * traces start them afresh. Call on the draining thread.
   */
  public void clear() {
    traces.clear();
    dirty.clear();
    rooted.clear();
    parents.clear();
    synchronized (this) {
      installs = new FlowAssembler();
      installSpans.set(0);
    }
    lastAdded.clear();
    built.clear();
    tracesOf.clear();
    published.clear();
    analysedAt.clear();
    pending.clear();
    hugeDone.clear();
    hugeQueued.clear();
    hugeResults.clear();
  }

  /** Spans received so far. */
  public long spanCount() {
    return spans.get();
  }

  private static boolean startsAFlow(Span s) {
    if (s.getParentSpanId().isEmpty() || s.getKind() == Span.SpanKind.SPAN_KIND_SERVER) {
      return true;
    }
    return TraceContract.SpanType.FLOW.equals(spanType(s));
  }

  /** The span's {@code reqflow.span.type}, or null when it has none. */
  private static String spanType(Span s) {
    for (KeyValue a : s.getAttributesList()) {
      if (a.getKey().equals(TraceContract.Attr.SPAN_TYPE)) {
        return a.getValue().getStringValue();
      }
    }
    return null;
  }

  /**
   * The flows of the services whose traces changed since the last drain, analysed with all their
   * flows as history, and the other flows of the traces they are in as they were; empty when none
   * changed. Traces still waiting for their flow span stay for a later drain.
   */
  public List<FlowReport> drain() {
    long now = nanoTime.getAsLong();
    for (java.util.Iterator<ByteString> it = dirty.iterator(); it.hasNext(); ) {
      ByteString t = it.next();
      FlowAssembler trace = traces.get(t);
      ParentWait wait = parents.get(t);
      if (trace == null || wait == null) {
        it.remove(); // cleared while its spans were being added
        continue;
      }
      List<Flow> flows;
      synchronized (trace) {
        boolean whole = rooted.contains(t) && !wait.missing();
        if (!whole && now - lastAdded.getOrDefault(t, now) < GRACE_NANOS) {
          continue;
        }
        it.remove();
        flows = trace.build().flows();
      }
      List<Flow> before = built.put(t, flows);
      if (before != null) {
        for (Flow f : before) {
          hugeDone.remove(f);
          hugeQueued.remove(f);
          pending.add(f.service());
          Set<ByteString> of = tracesOf.get(f.service());
          if (of != null) {
            of.remove(t);
          }
        }
      }
      for (Flow f : flows) {
        pending.add(f.service());
        tracesOf.computeIfAbsent(f.service(), s -> new LinkedHashSet<>()).add(t);
      }
    }
    Map<String, FlowReport> out = new LinkedHashMap<>();
    Set<ByteString> touched = new LinkedHashSet<>();
    for (HugeResult done; (done = hugeResults.poll()) != null; ) {
      if (!hugeQueued.remove(done.flow())) {
        continue; // its trace was rebuilt or cleared meanwhile
      }
      hugeDone.put(done.flow(), done.report());
      String key = FlowStore.key(done.flow());
      published.put(key, done.report());
      out.put(key, done.report());
      touched.add(done.trace());
    }
    for (java.util.Iterator<String> it = pending.iterator(); it.hasNext(); ) {
      String service = it.next();
      Set<ByteString> serviceTraces = tracesOf.getOrDefault(service, Set.of());
      List<Flow> all = new ArrayList<>();
      Map<Flow, ByteString> traceOf = new IdentityHashMap<>();
      for (ByteString t : serviceTraces) {
        for (Flow f : built.get(t)) {
          if (f.service().equals(service)) {
            all.add(f);
            traceOf.put(f, t);
          }
        }
      }
      if (all.size() > BIG_SERVICE
          && now - analysedAt.getOrDefault(service, Long.MIN_VALUE / 2) < BIG_SERVICE_NANOS) {
        continue;
      }
      it.remove();
      analysedAt.put(service, now);
      // On one core: the analysis's parallel streams run in the pool that calls them, and on
      // two cores a re-analysis using both starves the UI thread during ingest (the benchmark's
      // FX thread waited 0.9-2.0 s with both, 0.6-0.7 s with one).
      FileLoader.Analysed analysed =
          oneCore.submit(() -> FileLoader.analyseSplit(all, maxCallsAtOnce)).join();
      for (FlowReport r : analysed.reports()) {
        if (r.flow().calls().size() > maxCallsAtOnce) {
          r = huge(r, all);
        }
        String key = FlowStore.key(r.flow());
        FlowReport before = published.get(key);
        // Only what changed goes to the window: a service's re-analysis changes the suggestions of
        // few of its older flows, and thousands of unchanged rows would cost the UI thread.
        if (!sameReport(before, r)) {
          published.put(key, r);
          out.put(key, r);
          touched.add(traceOf.get(r.flow()));
        }
      }
    }
    // The store replaces whole traces: those published keep their flows of other services.
    for (ByteString t : touched) {
      for (Flow f : built.get(t)) {
        FlowReport r = published.get(FlowStore.key(f));
        if (r != null) {
          out.putIfAbsent(FlowStore.key(f), r);
        }
      }
    }
    return out.isEmpty() ? List.of() : List.copyOf(out.values());
  }

  /** True when a report says what the one published before said, of the same flow built. */
  private static boolean sameReport(FlowReport before, FlowReport now) {
    return before != null
        && before.flow() == now.flow()
        && before.whyNone().equals(now.whyNone())
        && before.suggestions().equals(now.suggestions());
  }

  /**
   * A huge flow's report: the one its background analysis gave, or, until it is done, its critical
   * path with the reason (and the analysis queued, once per flow built).
   */
  private FlowReport huge(FlowReport critical, List<Flow> history) {
    Flow f = critical.flow();
    FlowReport done = hugeDone.get(f);
    if (done != null) {
      return done;
    }
    if (hugeQueued.add(f)) {
      ByteString trace = traceOf(f);
      List<Flow> snapshot = List.copyOf(history);
      hugeRunner.execute(
          () -> {
            FlowReport r;
            try {
              r = FileLoader.analyseDeferred(f, snapshot);
            } catch (RuntimeException e) {
              r =
                  new FlowReport(
                      f, critical.criticalPath(), List.of(), "its analysis failed (" + e + ")");
            }
            hugeResults.add(new HugeResult(trace, f, r));
          });
    }
    return new FlowReport(f, critical.criticalPath(), List.of(), pendingReason(f));
  }

  private ByteString traceOf(Flow f) {
    for (Map.Entry<ByteString, List<Flow>> e : built.entrySet()) {
      for (Flow g : e.getValue()) {
        if (g == f) {
          return e.getKey();
        }
      }
    }
    throw new IllegalStateException("a flow not built here: " + FlowStore.key(f));
  }
}
