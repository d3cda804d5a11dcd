package dev.reqflow.agent.recorder;

import dev.reqflow.contract.Routes;
import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.BlockKind;
import dev.reqflow.contract.TraceContract.SampledBecause;
import dev.reqflow.contract.TraceContract.SpanType;
import dev.reqflow.contract.TraceContract.ThreadRole;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Flows (inbound requests, configured methods) and the sections inside them. A flow starts on a
 * thread ({@link #flowEnter}) and usually ends there ({@link #flowExit}); one that outlives that
 * thread is detached from it ({@link #flowDetach}), attached to the threads that go on with it
 * ({@link #flowAttach}), and ended by whichever thread completes its response ({@link #flowEnd}).
 */
final class FlowRecorder {
  private static final AttributeKey<List<String>> LIBRARIES_UNRECORDED =
      AttributeKey.stringArrayKey(Attr.LIBRARIES_UNRECORDED);

  private final SpanWriter spans;
  private final Followed followed;
  private final Urls urls;
  private final TraceParents parents = new TraceParents();
  private final Set<String> flowMethods;
  private final Set<String> sectionMethods;
  private volatile Supplier<List<String>> unrecordedLibraries = List::of;
  private volatile Supplier<String> lockWaitsUnseen;
  private volatile StallWatch watch;
  private final ContentRecorder contents;
  private volatile FlowSampling sampling = FlowSampling.ALL;
  private volatile HeldSpans held;

  /**
   * The token of a flow that sampling left out at its start: nothing of it is recorded, and its
   * thread starts no other flow until it exits (a thread-local counter, {@link
   * ThreadState#skippedFlows}).
   */
  static final Object SKIPPED = new Object();

  FlowRecorder(
      SpanWriter spans,
      Followed followed,
      Urls urls,
      Set<String> flowMethods,
      Set<String> sectionMethods,
      ContentRecorder contents) {
    this.contents = contents;
    this.spans = spans;
    this.followed = followed;
    this.urls = urls;
    this.flowMethods = Set.copyOf(flowMethods);
    this.sectionMethods = Set.copyOf(sectionMethods);
  }

  /** Which flows are recorded and exported; every one unless this is set. */
  void sampling(FlowSampling sampling, HeldSpans held) {
    this.sampling = sampling;
    this.held = held;
  }

  /** The decision as a flow starts: see {@link FlowSampling#atStart}. */
  private int sampleAtStart(String traceparent) {
    FlowSampling s = sampling;
    if (s.keepsAll()) {
      return FlowSampling.KEEP;
    }
    return s.atStart(s.respectsParent() ? parents.sampledFlag(traceparent) : -1);
  }

  /** Enters a flow left out at its start. */
  private static Object skip(ThreadState ts) {
    ts.skippedFlows++;
    return SKIPPED;
  }

  /** Exits a flow left out at its start; true when {@code token} was one. */
  private static boolean exitSkipped(Object token) {
    if (token != SKIPPED) {
      return false;
    }
    ThreadState ts = ThreadState.current();
    ts.skippedFlows = Math.max(0, ts.skippedFlows - 1);
    return true;
  }

  /** The watchdog that snapshots flows that stall; started with the first flow. */
  void watch(StallWatch watch) {
    this.watch = watch;
  }

  /** Names of the loaded client libraries the agent does not record, read as each flow ends. */
  void unrecordedLibraries(Supplier<List<String>> libraries) {
    this.unrecordedLibraries = libraries;
  }

  /** See {@link Recorder#lockWaitsUnseen}. */
  void lockWaitsUnseen(Supplier<String> why) {
    this.lockWaitsUnseen = why;
  }

  /**
   * The decision as a server's flow is about to start, before its advice reads the request: {@link
   * #SKIPPED} (entered) when sampling leaves it out, null when the advice is to call {@link
   * #flowEnter}, which then takes the decision drawn here. Not decided here when the inbound
   * trace's flag may decide ({@code parent.sampling=respect}), nor inside a flow.
   */
  Object flowSkipped() {
    FlowSampling s = sampling;
    if (s.keepsAll() || s.respectsParent()) {
      return null;
    }
    ThreadState ts = ThreadState.current();
    if (ts.flow != null || ts.skippedFlows > 0) {
      return null;
    }
    int decision = s.atStart(-1);
    if (decision == FlowSampling.SKIP) {
      return skip(ts);
    }
    ts.decidedAtStart = decision;
    return null;
  }

  Object flowEnter(String name, String method, String path, String traceparent, String tracestate) {
    ThreadState ts = ThreadState.current();
    int decided = ts.decidedAtStart;
    ts.decidedAtStart = -1;
    if (ts.flow != null || ts.skippedFlows > 0) {
      return null;
    }
    int decision = decided >= 0 ? decided : sampleAtStart(traceparent);
    if (decision == FlowSampling.SKIP) {
      return skip(ts);
    }
    int q = path == null ? -1 : path.indexOf('?');
    String query = q < 0 ? null : path.substring(q + 1);
    String nameQuery = query == null ? "" : urls.flowNameQuery(query);
    SpanBuilder b = flowBuilder(name + nameQuery, SpanKind.SERVER, traceparent, tracestate);
    if (method != null) {
      b.setAttribute(Attr.HTTP_REQUEST_METHOD, method);
    }
    if (path != null) {
      b.setAttribute(Attr.URL_PATH, q < 0 ? path : path.substring(0, q));
      if (query != null) {
        b.setAttribute(Attr.URL_QUERY, urls.redactFlowQuery(query));
      }
    }
    ThreadState.Saved saved = startFlow(ts, b, decision);
    FlowRecord flow = (FlowRecord) saved.payload;
    flow.method = method;
    flow.nameQuery = nameQuery;
    flow.startName = name + nameQuery;
    contents.inbound(flow, path);
    return saved;
  }

  private SpanBuilder flowBuilder(
      String name, SpanKind kind, String traceparent, String tracestate) {
    TraceParents.Parent parent = parents.parent(traceparent, tracestate);
    // Inside the application's own server span, ours is its INTERNAL child (TraceParents.Parent).
    SpanKind k = kind == SpanKind.SERVER && parent.insideServerSpan ? SpanKind.INTERNAL : kind;
    return spans
        .span(name, k, parent.context, spans.nanoTime(), SpanType.FLOW)
        .setAttribute(Attr.FLOW_NAME, name)
        .setAttribute(Attr.THREAD_ROLE, ThreadRole.RENDER);
  }

  /**
   * Whether a flow was ever recorded in this JVM: at exit, JDK Flight Recorder's last events only
   * matter to flows (see {@code Installer}). Written once, read at exit.
   */
  private volatile boolean anyFlow;

  boolean anyFlow() {
    return anyFlow;
  }

  private ThreadState.Saved startFlow(ThreadState ts, SpanBuilder b, int decision) {
    Span span = b.startSpan();
    if (!anyFlow) {
      anyFlow = true;
    }
    followed.inFlight.incrementAndGet();
    FlowRecord flow = new FlowRecord(span, Thread.currentThread(), spans.nanoTime(), followed);
    HeldSpans h = held;
    flow.undecided = decision == FlowSampling.DECIDE_AT_END;
    if (h != null) {
      flow.trace =
          h.flowStarted(span.getSpanContext().getTraceId(), decision == FlowSampling.KEEP, spans);
    }
    StallWatch w = watch;
    if (w != null) {
      w.started();
    }
    Supplier<String> lockWaits = lockWaitsUnseen;
    if (lockWaits != null) {
      // Asked as the flow begins: a wait of its threads that began before the recording ran is
      // lost, whenever the flow ends. On the span now, so that a snapshot of it says so too.
      String why = lockWaits.get();
      if (why != null) {
        flow.lockWaitsUnseen = why;
        span.setAttribute(Attr.UNSEEN_LOCK_WAITS, why);
      }
    }
    ThreadState.Saved saved = ts.save();
    saved.payload = flow;
    // Computed: the render thread's role, unless it is an event loop (see ThreadState.role).
    ts.reset(flow, flow.context);
    ts.workChanged();
    return saved;
  }

  void flowExit(Object token, int status, Throwable error) {
    if (exitSkipped(token)) {
      return;
    }
    ThreadState.Saved saved = (ThreadState.Saved) token;
    FlowRecord flow = (FlowRecord) saved.payload;
    try {
      end(flow, status, error);
    } finally {
      ThreadState.current().restore(saved);
    }
  }

  // --- flows that outlive their first thread ---

  /** The flow that {@code token} (from {@link #flowEnter}) started, or null. */
  static Object handle(Object token) {
    if (token == SKIPPED) {
      return null;
    }
    Object p = ((ThreadState.Saved) token).payload;
    return p instanceof FlowRecord ? p : null;
  }

  /**
   * The render thread returns while the flow goes on (an async response): the thread is given back
   * as it was, the flow stays open until {@link #flowEnd}. Returns the flow's handle.
   */
  Object flowDetach(Object token) {
    if (exitSkipped(token)) {
      return null;
    }
    ThreadState.Saved saved = (ThreadState.Saved) token;
    FlowRecord flow = (FlowRecord) saved.payload;
    try {
      if (flow.ended.get()) {
        // Ended while its first thread still ran (a response written at once).
        return flow;
      }
      flow.dispatches.decrementAndGet();
      if (flow.completeRequested) {
        // Completed from another thread while this one was on its way out: nothing waited.
        end(flow, 0, null);
        return flow;
      }
      long now = spans.nanoTime();
      flow.detachedNanos = now == 0L ? 1L : now;
      followed.detachedFlows.put(flow, Boolean.TRUE);
      if (flow.ended.get()) {
        followed.detachedFlows.remove(flow);
      }
    } finally {
      ThreadState.current().restore(saved);
    }
    return flow;
  }

  /**
   * The current thread works for {@code handle}'s flow until {@link #flowAttachExit}: calls and
   * waits it makes belong to the flow. Null when the flow ended or the thread already works for it.
   */
  Object flowAttach(Object handle) {
    FlowRecord flow = (FlowRecord) handle;
    if (flow.ended.get()) {
      return null;
    }
    ThreadState ts = ThreadState.current();
    if (ts.flow == flow) {
      return null;
    }
    ThreadState.Saved saved = ts.save();
    saved.payload = flow;
    flow.dispatches.incrementAndGet();
    ts.reset(flow, flow.context);
    ts.workChanged();
    return saved;
  }

  void flowAttachExit(Object token) {
    ThreadState.Saved saved = (ThreadState.Saved) token;
    ((FlowRecord) saved.payload).dispatches.decrementAndGet();
    ThreadState.current().restore(saved);
  }

  /**
   * The asynchronous result of a detached flow is ready, signalled on the current thread (a servlet
   * {@code AsyncContext.dispatch/complete}, a reactive response written): the flow's response wait
   * ends here, released by the calls this thread's work followed.
   */
  void flowReleased(Object handle) {
    FlowRecord flow = (FlowRecord) handle;
    if (!flow.detached()) {
      // Ready before the render thread even returned: the response did not wait for it.
      flow.waitWritten.set(true);
    } else if (!flow.ended.get()) {
      writeResponseWait(flow, spans.nanoTime());
    }
  }

  /**
   * The application asked to complete {@code handle}'s response on this thread. Returns true when
   * the flow is to end now; false when a thread still works in it and ends it on its way out.
   */
  boolean flowCompleting(Object handle) {
    FlowRecord flow = (FlowRecord) handle;
    if (flow.dispatches.get() > 0) {
      flow.completeRequested = true;
      // Re-read: the last dispatch may have returned meanwhile without seeing the request.
      return flow.dispatches.get() == 0;
    }
    return true;
  }

  /** Whether the application asked to complete {@code handle}'s response already. */
  static boolean completeRequested(Object handle) {
    return ((FlowRecord) handle).completeRequested;
  }

  void flowBind(Object handle, Object key) {
    followed.flowsByKey.put(key, (FlowRecord) handle);
  }

  Object flowFor(Object key) {
    return followed.flowsByKey.isEmpty() ? null : followed.flowsByKey.get(key);
  }

  /** Ends {@code handle}'s flow, from any thread; once. */
  /** The server matched the flow's path to {@code route}: see {@link #end}. */
  void flowRoute(Object handle, String route) {
    if (handle instanceof FlowRecord && !route.isEmpty()) {
      ((FlowRecord) handle).route = route;
    }
  }

  void flowEnd(Object handle, int status, Throwable error) {
    end((FlowRecord) handle, status, error);
  }

  private void end(FlowRecord flow, int status, Throwable error) {
    if (!flow.ended.compareAndSet(false, true)) {
      return;
    }
    long now = spans.nanoTime();
    Span span = flow.span;
    try {
      if (flow.detached()) {
        writeResponseWait(flow, now);
        followed.detachedFlows.remove(flow);
      }
      if (status > 0) {
        span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, status);
      }
      String route = flow.route;
      if (route != null && flow.method != null) {
        // Named as the semantic conventions name a server span, and so grouped: one endpoint for
        // /product/1 and /product/2.
        String name = flow.method + " " + route + flow.nameQuery;
        span.setAttribute(Attr.HTTP_ROUTE, route);
        span.setAttribute(Attr.FLOW_NAME, name);
        span.updateName(name);
      }
      if (error != null) {
        span.setAttribute(Attr.ERROR_TYPE, error.getClass().getName());
        span.setStatus(StatusCode.ERROR);
      } else if (status >= 500) {
        span.setAttribute(Attr.ERROR_TYPE, String.valueOf(status));
        span.setStatus(StatusCode.ERROR);
      }
      unseen(flow);
      FlowSampling s = sampling;
      String keptBecause = null;
      if (!s.keepsAll()) {
        keptBecause = sampledBecause(s, flow, now, error != null || status >= 500);
        // Said on the flow, so that a reader knows these flows are a sample and which were kept
        // for being slow: their counts and percentiles are not the traffic's.
        span.setAttribute(Attr.FLOW_SAMPLING, s.toString());
        span.setAttribute(
            Attr.FLOW_SAMPLED_BECAUSE,
            keptBecause != null ? keptBecause : SampledBecause.WITH_TRACE);
      }
      spans.end(span, now);
      if (!s.keepsAll()) {
        release(s, flow, keptBecause != null);
      }
    } finally {
      flow.span = Span.getInvalid();
      contents.end(flow);
      followed.inFlight.decrementAndGet();
    }
  }

  /**
   * The flow's sampling at its end: its duration feeds its endpoint's p90 (with {@code keep.slow});
   * why it is kept on its own account (one of {@link SampledBecause}, counted for the exit line),
   * or null: it leaves the decision to its trace (see {@link HeldSpans}).
   */
  private static String sampledBecause(
      FlowSampling s, FlowRecord flow, long endNanos, boolean failed) {
    if (!s.decidesAtEnd()) {
      return s.sampledAtStartEnded();
    }
    // The endpoint as the reader groups flows: by route, else with the path's ids templated.
    String endpoint =
        flow.route != null && flow.method != null
            ? flow.method + " " + flow.route + flow.nameQuery
            : Routes.templated(flow.startName);
    return s.keepAtEnd(endpoint, endNanos - flow.startNanos, failed, flow.undecided);
  }

  /**
   * After the flow's span ended: a flow kept at its start or by its end keeps its trace (held spans
   * end); one with no reason of its own leaves it to its trace.
   */
  private void release(FlowSampling s, FlowRecord flow, boolean keep) {
    HeldSpans h = held;
    if (flow.trace != null && h != null) {
      h.flowEnded(flow.trace, keep, spans);
    } else if (!keep) {
      s.notExported(1);
    }
  }

  /**
   * The flow's response waited for its asynchronous result from the render thread's return to
   * {@code releasedNanos}: a block span on the render thread's lane (kind {@code async.response}),
   * linked to the calls the releasing thread's work followed. Not a thread blocked: the render
   * thread was back in its pool; it is the flow's own wait, which the analysis reads as the page's.
   */
  private void writeResponseWait(FlowRecord flow, long releasedNanos) {
    if (!flow.waitWritten.compareAndSet(false, true)) {
      return;
    }
    long start = flow.detachedNanos;
    if (releasedNanos <= start) {
      return;
    }
    SpanBuilder b =
        spans
            .span(
                "block " + BlockKind.ASYNC_RESPONSE,
                SpanKind.INTERNAL,
                flow.context,
                start,
                SpanType.BLOCK,
                flow.renderThread)
            .setAttribute(Attr.BLOCK_KIND, BlockKind.ASYNC_RESPONSE)
            .setAttribute(Attr.THREAD_ROLE, ThreadRole.RENDER);
    CallRecord[] links = releasedBy(flow);
    if (links != null) {
      spans.addLinks(b, links, SpanWriter.WAITED_ON);
    }
    spans.end(b.startSpan(), releasedNanos);
  }

  /**
   * The calls that the current thread's work in {@code flow} followed, if it works for it; else
   * those whose completion the flow's work last ran in (a server that writes the response on its
   * own loop, after the application's callback produced it on a client's).
   */
  private static CallRecord[] releasedBy(FlowRecord flow) {
    ThreadState ts = ThreadState.peek();
    if (ts == null || ts.flow != flow) {
      return flow.lastCause;
    }
    CallRecord[] links = CallSets.union(ts.cause, ts.lastWaited);
    if (ts.scope != null && !ts.scope.calls.isEmpty()) {
      links = CallSets.union(links, ts.scope.calls.toArray(new CallRecord[0]));
    }
    return links;
  }

  /** What the flow's threads waited on that the agent did not see as calls; see the contract. */
  private void unseen(FlowRecord flow) {
    long socket = flow.unseenSocketNanos;
    long ops = flow.unseenSocketOps;
    long waits = flow.unseenWaitNanos;
    if (socket > 0) {
      flow.span.setAttribute(Attr.UNSEEN_SOCKET_NANOS, socket);
      flow.span.setAttribute(Attr.UNSEEN_SOCKET_OPS, ops);
    }
    if (waits > 0) {
      flow.span.setAttribute(Attr.UNSEEN_WAIT_NANOS, waits);
    }
    List<String> libraries = unrecordedLibraries.get();
    if (!libraries.isEmpty()) {
      flow.span.setAttribute(LIBRARIES_UNRECORDED, libraries);
    }
    if (flow.lockWaitsUnseen != null) {
      followed.unseen.lockWaitsUnseen();
    }
    followed.unseen.add(socket, ops, waits);
  }

  Object methodEnter(String className, String methodName) {
    String key = className + "#" + methodName;
    ThreadState ts = ThreadState.current();
    String simple = className.substring(className.lastIndexOf('.') + 1);
    String name = simple + "." + methodName;
    if (ts.flow == null) {
      if (ts.skippedFlows > 0 || !flowMethods.contains(key)) {
        return null;
      }
      int decision = sampleAtStart(null);
      if (decision == FlowSampling.SKIP) {
        return skip(ts);
      }
      ThreadState.Saved saved =
          startFlow(ts, flowBuilder(name, SpanKind.INTERNAL, null, null), decision);
      ((FlowRecord) saved.payload).startName = name;
      return saved;
    }
    if (!sectionMethods.contains(key)) {
      return null;
    }
    Span span =
        spans
            .span(name, SpanKind.INTERNAL, ts.parent, spans.nanoTime(), SpanType.SECTION)
            .setAttribute(Attr.SECTION_NAME, name)
            .startSpan();
    ThreadState.Saved saved = ts.save();
    saved.payload = span;
    // The identity only: a task captured in the section must not keep the span's data alive.
    ts.parent = ts.parent.with(Span.wrap(span.getSpanContext()));
    ts.workChanged();
    return saved;
  }

  void methodExit(Object token, Throwable error) {
    if (exitSkipped(token)) {
      return;
    }
    ThreadState.Saved saved = (ThreadState.Saved) token;
    if (saved.payload instanceof FlowRecord) {
      flowExit(token, 0, error);
      return;
    }
    Span span = (Span) saved.payload;
    try {
      if (error != null) {
        span.setAttribute(Attr.ERROR_TYPE, error.getClass().getName());
        span.setStatus(StatusCode.ERROR);
      }
      spans.end(span, spans.nanoTime());
    } finally {
      ThreadState.current().restore(saved);
    }
  }
}
