package dev.reqflow.agent.recorder;

import dev.reqflow.agent.bootstrap.Bridge;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the advice reports, through the {@link Bridge}, turned into flow, call and block spans. Each
 * hook goes to the recorder of its concern: {@link FlowRecorder}, {@link CallRecorder}, {@link
 * WaitRecorder}, {@link HandoffRecorder}, {@link UrlConnectionRecorder}, {@link LockWaitRecorder},
 * {@link BodyReads} (a thread's stretch of body reads ends with anything else it does); their
 * shared state is {@link Followed}, and how spans are spelled is {@link SpanWriter}.
 */
public final class Recorder implements Bridge.Hooks {

  /** Links a span keeps at most; see {@link CallSets#LINK_LIMIT}. */
  public static final int LINK_LIMIT = CallSets.LINK_LIMIT;

  private final Followed followed = new Followed();
  private final SpanWriter spans;
  private final FlowRecorder flows;
  private final CallRecorder calls;
  private final WaitRecorder waits;
  private final HandoffRecorder handoffs;
  private final UnseenRecorder unseen;
  private final ContentRecorder contents;
  private final UrlConnectionRecorder urlConnections;
  private final LockWaitRecorder locks;
  private final BodyReads bodyReads;
  private final AtomicLong adviceErrors = new AtomicLong();
  private volatile Snapshots snapshots;
  private volatile TraceHeaders traceHeaders = new TraceHeaders(false);

  public Recorder(
      Tracer tracer,
      long thresholdNanos,
      boolean redactQuery,
      List<String> flowQueryKeys,
      Set<String> flowMethods,
      Set<String> sectionMethods,
      BodyHandlerDecorator bodyHandlerDecorator) {
    Urls urls = new Urls(redactQuery, flowQueryKeys);
    this.spans = new SpanWriter(tracer, new Clock());
    this.contents = new ContentRecorder(spans);
    this.flows = new FlowRecorder(spans, followed, urls, flowMethods, sectionMethods, contents);
    this.bodyReads = new BodyReads(spans, followed, thresholdNanos);
    this.calls =
        new CallRecorder(
            spans, followed, urls, bodyHandlerDecorator, contents, bodyReads, this::adviceError);
    this.unseen = new UnseenRecorder(spans, followed, thresholdNanos);
    this.waits = new WaitRecorder(spans, followed, thresholdNanos, unseen);
    this.handoffs = new HandoffRecorder(spans, followed, calls, unseen);
    this.urlConnections = new UrlConnectionRecorder(calls, waits, followed);
    this.locks = new LockWaitRecorder(spans, thresholdNanos);
  }

  /** Spans held for undecided flows at most, in all (a bound on the memory the hold takes). */
  static final int HELD_SPANS_LIMIT = 20_000;

  private volatile FlowSampling sampling = FlowSampling.ALL;
  private volatile HeldSpans held;

  /**
   * Which flows are recorded and exported ({@code sample}, {@code keep.slow}, {@code keep.slower},
   * {@code parent.sampling}); every flow unless this is called, before the first flow.
   */
  public void sampling(FlowSampling sampling) {
    // Only when a flow's end can keep it: otherwise nothing is held, and flows cost nothing more.
    HeldSpans h =
        sampling.decidesAtEnd() && !sampling.keepsAll()
            ? new HeldSpans(HELD_SPANS_LIMIT, new Clock(), sampling)
            : null;
    this.held = h;
    this.sampling = sampling;
    spans.hold(h);
    flows.sampling(sampling, h);
  }

  /** What sampling left out: for the exit line. */
  public SamplingTotals samplingTotals() {
    HeldSpans h = held;
    return sampling.totals(h == null ? 0 : h.droppedFull(), h == null ? 0 : h.letGo());
  }

  /**
   * At exit, before the last flush: the traces still undecided are kept (a flow open at exit is one
   * to look at), their held spans ended.
   */
  public void keepUndecidedAtExit() {
    HeldSpans h = held;
    if (h != null) {
      h.keepAll(spans);
    }
  }

  /**
   * Where flows read, as they end, the names of the loaded client libraries whose calls the agent
   * does not record ({@code reqflow.libraries.unrecorded}); none until this is set.
   */
  public void unrecordedLibraries(Supplier<List<String>> libraries) {
    flows.unrecordedLibraries(libraries);
  }

  /**
   * Asked as each flow begins: why its waits for monitors cannot be recorded from now on ({@code
   * reqflow.unseen.lock_waits}, e.g. {@code jfr-starting}), or null when they can; the answer is
   * set on the flow span then. Never asked until this is set.
   */
  public void lockWaitsUnseen(Supplier<String> why) {
    flows.lockWaitsUnseen(why);
  }

  /**
   * Snapshots of flows in progress: of each flow open for {@code stallAfterNanos} (0: none), by a
   * watchdog thread started with the first flow, and of every flow still open when {@link
   * StallWatch#atExit} runs. The views of spans in progress go to {@code openSpans}, the processor
   * that counts and exports ended spans; the waits in progress go through the tracer. Returns the
   * watchdog, whose {@code atExit} the exit hook runs before the exporters' last flush.
   */
  public StallWatch watchStalls(long stallAfterNanos, Consumer<ReadableSpan> openSpans) {
    StallWatch w = stallWatch(stallAfterNanos, openSpans);
    flows.watch(w);
    return w;
  }

  /** The watchdog, not started by flows: its looks are the caller's (tests). */
  StallWatch stallWatch(long stallAfterNanos, Consumer<ReadableSpan> openSpans) {
    endedSpans(openSpans);
    Snapshots s = new Snapshots(spans, followed, stallAfterNanos, openSpans);
    snapshots = s;
    return new StallWatch(followed, s, spans, stallAfterNanos);
  }

  /**
   * From now on call spans are recorded cheaply and built on the export thread ({@link CallSpan}):
   * when they end they go to {@code ended}, the processor that counts and exports ended spans (the
   * one the tracer's own spans end in). Until then, and for a tracer that is not the SDK's, calls
   * are the SDK's spans, built on the application's thread. {@link #watchStalls} gives it the same
   * processor.
   */
  void endedSpans(Consumer<ReadableSpan> ended) {
    spans.endedSpans(ended);
  }

  /** What the snapshots wrote and left out: for the exit line. */
  public StallTotals stalls() {
    Snapshots s = snapshots;
    return s == null
        ? StallTotals.NONE
        : new StallTotals(s.flowsWritten(), s.stalledFlows(), s.spansLeftOut(), s.flowsLeftOut());
  }

  /** What the flows that ended did not see as calls: for the exit line. */
  public UnseenTotals unseen() {
    return followed.unseen;
  }

  /** Wraps a JDK body handler so that its callbacks report a call's phases. */
  public interface BodyHandlerDecorator {
    Object decorate(Object handler, Object call);
  }

  /** Errors inside the recorder that advice swallowed: what each touched was not recorded. */
  public long adviceErrors() {
    return adviceErrors.get();
  }

  /** Whether any flow was recorded in this JVM's life (sampled in or out after its start). */
  public boolean anyFlowRecorded() {
    return flows.anyFlow();
  }

  /** Flows and calls started and not yet ended: at exit, what will never be recorded. */
  public long openAtExit() {
    return followed.inFlight.get();
  }

  /** Of {@link #openAtExit}, the calls. */
  public long callsOpenAtExit() {
    return followed.callsInFlight.get();
  }

  /**
   * Whether outbound calls carry {@code traceparent} and {@code tracestate} ({@code propagate=on};
   * off until set): see {@link TraceHeaders}.
   */
  public void propagate(boolean on) {
    traceHeaders = new TraceHeaders(on);
    urlConnections.traceHeaders = traceHeaders;
  }

  /**
   * How long after its flow ended a response the application never closed is ended incomplete
   * ({@code unclosed.after}; 10 s unless set).
   */
  public void unclosedAfter(long nanos) {
    calls.open().unclosedAfter(nanos);
  }

  /**
   * At exit, before the last export: ends the calls whose responses the application still holds, so
   * that they are written (incomplete) rather than lost.
   */
  public void endOpenResponses() {
    calls.open().endAll();
  }

  /** Calls the agent ended incomplete so far, by reason; see {@link IncompleteCalls}. */
  public IncompleteCalls incompleteCalls() {
    long[] c = calls.open().counts();
    return new IncompleteCalls(c[0], c[1], c[2], c[3]);
  }

  /** Spans that waited on, or followed, more calls than {@link #LINK_LIMIT}: links were cut. */
  public long linksCut() {
    return spans.linksCut();
  }

  /**
   * Flows whose requests and responses carried more values than the agent keeps per flow: some of
   * their data dependencies may be missing.
   */
  public long contentCut() {
    return contents.flowsCut();
  }

  /** Application objects (futures, tasks, calls) not followed because a table was full. */
  public long untracked() {
    return followed.refused() + VirtualThreads.refused() + ThreadState.ALL.refused();
  }

  /**
   * From now on, virtual threads that work for a flow are followed, so that their waits for
   * monitors, seen from other threads (JDK 24+), land in their flow.
   */
  public static void followVirtualThreads() {
    VirtualThreads.follow();
  }

  /** Records a wait reported after the fact (JDK Flight Recorder) as a block span of its flow. */
  public void lateWait(LateWait wait) {
    try {
      locks.late(wait);
    } catch (RuntimeException | LinkageError e) {
      adviceError(e);
    }
  }

  @Override
  public void adviceError(Throwable t) {
    if (adviceErrors.getAndIncrement() == 0) {
      System.err.println("reqflow: an instrumentation failed and was skipped (logged once): " + t);
    }
  }

  // --- flows and sections ---

  @Override
  public Object flowEnter(String name, String method, String path, String traceparent) {
    return flows.flowEnter(name, method, path, traceparent, null);
  }

  @Override
  public Object flowEnter(
      String name, String method, String path, String traceparent, String tracestate) {
    return flows.flowEnter(name, method, path, traceparent, tracestate);
  }

  @Override
  public Object flowSkipped() {
    return flows.flowSkipped();
  }

  @Override
  public void flowExit(Object token, int status, Throwable error) {
    bodyReads.flushCurrent();
    flows.flowExit(token, status, error);
  }

  @Override
  public Object methodEnter(String className, String methodName) {
    return flows.methodEnter(className, methodName);
  }

  @Override
  public void methodExit(Object token, Throwable error) {
    bodyReads.flushCurrent();
    flows.methodExit(token, error);
  }

  @Override
  public Object flowHandle(Object token) {
    return FlowRecorder.handle(token);
  }

  @Override
  public void flowRoute(Object flow, String route) {
    flows.flowRoute(flow, route);
  }

  @Override
  public Object flowDetach(Object token) {
    return flows.flowDetach(token);
  }

  @Override
  public Object flowAttach(Object flow) {
    return flows.flowAttach(flow);
  }

  @Override
  public void flowAttachExit(Object token) {
    flows.flowAttachExit(token);
  }

  @Override
  public void flowReleased(Object flow) {
    flows.flowReleased(flow);
  }

  @Override
  public boolean flowCompleting(Object flow) {
    return flows.flowCompleting(flow);
  }

  @Override
  public boolean flowCompleteRequested(Object flow) {
    return FlowRecorder.completeRequested(flow);
  }

  @Override
  public void flowEnd(Object flow, int status, Throwable error) {
    flows.flowEnd(flow, status, error);
  }

  @Override
  public void flowBind(Object flow, Object key) {
    flows.flowBind(flow, key);
  }

  @Override
  public Object flowFor(Object key) {
    return flows.flowFor(key);
  }

  // --- waits ---

  @Override
  public long blockEnter(Object waitedOn) {
    long start = waits.blockEnter(waitedOn);
    if (start != 0L) {
      bodyReads.flushCurrent();
    }
    return start;
  }

  @Override
  public void blockExit(long startNanos, Object waitedOn, String kind) {
    waits.blockExit(startNanos, waitedOn, kind);
  }

  // --- locks ---

  @Override
  public long lockAcquireEnter(Object blocker) {
    return locks.acquireEnter(blocker);
  }

  @Override
  public void lockAcquireExit(long startNanos, Object blocker) {
    locks.acquireExit(startNanos, blocker);
  }

  @Override
  public void virtualThreadYielded(Thread vthread) {
    locks.virtualThreadYielded(vthread);
  }

  @Override
  public void virtualThreadUnblocked(Thread vthread) {
    locks.virtualThreadUnblocked(vthread);
  }

  // --- hand-offs: futures, executors, callbacks ---

  @Override
  public void futureCompleted(Object future) {
    handoffs.futureCompleted(future);
  }

  @Override
  public Object completionEnter(Object src, Object snd) {
    return handoffs.completionEnter(src, snd);
  }

  @Override
  public void completionExit(Object token) {
    bodyReads.flushCurrent();
    HandoffRecorder.exit(token);
  }

  @Override
  public void executorCreated(Object executor) {
    ExecutorSites.ALL.created(executor);
  }

  @Override
  public void taskCreated(Object task) {
    handoffs.taskCreated(task);
  }

  @Override
  public void taskSubmitted(Object task, Object executor) {
    handoffs.taskSubmitted(task, executor);
  }

  @Override
  public Object capture(Object executor) {
    return handoffs.capture(executor);
  }

  @Override
  public Object taskEnter(Object task) {
    return handoffs.taskEnter(task);
  }

  @Override
  public void taskExit(Object token) {
    bodyReads.flushCurrent();
    HandoffRecorder.exit(token);
  }

  @Override
  public Object callbackEnter(Object call) {
    return handoffs.callbackEnter(call);
  }

  @Override
  public void callbackExit(Object token) {
    bodyReads.flushCurrent();
    HandoffRecorder.exit(token);
  }

  // --- calls ---

  @Override
  public Object callEnter(
      Object key, String client, boolean sync, String method, String url, String host, int port) {
    Object call = calls.callEnter(key, client, sync, method, url, host, port);
    if (call != null) {
      bodyReads.flushCurrent();
    }
    return call;
  }

  @Override
  public void callIssued(Object call, Object result, Throwable error) {
    calls.callIssued(call, result, error);
  }

  @Override
  public Object callFor(Object key) {
    return calls.callFor(key);
  }

  @Override
  public void callEvent(Object call, String event) {
    calls.callEvent(call, event);
  }

  @Override
  public void callQueued(Object call, String queueKind, Object pool, int limit, int perHostLimit) {
    calls.callQueued(call, queueKind, pool, limit, perHostLimit);
  }

  @Override
  public String[] traceHeaders(Object call) {
    return traceHeaders.of(((CallRecord) call).context);
  }

  @Override
  public void callStatus(Object call, int status) {
    calls.callStatus(call, status);
  }

  @Override
  public void callEnd(Object call, Throwable error) {
    calls.endCall((CallRecord) call, error);
  }

  @Override
  public boolean callContent(Object call, int part, byte[] bytes, int offset, int length) {
    return contents.content((CallRecord) call, part, bytes, offset, length);
  }

  @Override
  public void connectionLookup(boolean reused) {
    calls.connectionLookup(reused);
  }

  @Override
  public Object decorate(Object call, Object argument) {
    return calls.decorate(call, argument);
  }

  // --- java.net.HttpURLConnection ---

  @Override
  public Object urlConnectionEnter(Object connection, int op) {
    return urlConnections.enter(connection, op);
  }

  @Override
  public void urlConnectionExit(
      Object token, int responseCode, Object httpClient, Object result, Throwable error) {
    urlConnections.exit(token, responseCode, httpClient, result, error);
  }

  @Override
  public void urlConnectionPhase(int phase) {
    urlConnections.phase(phase);
  }

  @Override
  public void urlConnectionEnd(Object key, int how) {
    urlConnections.end(key, how);
  }

  // --- I/O outside recorded calls ---

  @Override
  public long socketEnter(Object channel) {
    return unseen.socketEnter(channel);
  }

  @Override
  public void socketExit(long startNanos, String kind) {
    unseen.socketExit(startNanos, kind);
  }

  // --- connection pools ---

  @Override
  public Object issuingCall() {
    return calls.issuingCall();
  }

  @Override
  public void callRequest(Object call, String method, String url, String host, int port) {
    calls.callRequest(call, method, url, host, port);
  }

  @Override
  public void callLeased(Object call, Object connection, boolean reused) {
    calls.callLeased(
        (CallRecord) call, connection, reused ? CallRecorder.REUSED : CallRecorder.NEW);
  }

  @Override
  public void callReleased(Object connection) {
    calls.callReleased(connection);
  }

  @Override
  public void callAwaits(Object call, Object key, String event) {
    calls.callAwaits(call, key, event);
  }

  @Override
  public void callAwaited(Object key, Object result) {
    calls.callAwaited(key, result);
  }

  @Override
  public void callKey(Object call, Object key) {
    calls.callKey(call, key);
  }

  @Override
  public void callPool(Object call, String kind, String name, int limit, int pendingLimit) {
    calls.callPool(call, kind, name, limit, pendingLimit);
  }

  @Override
  public void callExecutor(Object call, Object executor) {
    calls.callExecutor(call, executor);
  }

  @Override
  public void siteMark(Object key) {
    calls.siteMark(key);
  }

  @Override
  public void siteNext(Object key, boolean override) {
    calls.siteNext(key, override);
  }

  // --- responses the application holds, and their bodies ---

  @Override
  public void responseHeld(Object call, Object holder) {
    calls.responseHeld((CallRecord) call, holder);
  }

  @Override
  public void callBody(Object call, Object body) {
    calls.callBody((CallRecord) call, body);
  }

  @Override
  public long bodyReadEnter(Object key) {
    return bodyReads.enter(key);
  }

  @Override
  public void bodyReadExit(long startNanos, long read) {
    bodyReads.exit(startNanos, read);
  }

  @Override
  public void bodyClosed(Object key) {
    calls.bodyClosed(key);
  }
}
