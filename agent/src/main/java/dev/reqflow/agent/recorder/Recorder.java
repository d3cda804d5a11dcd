package dev.reqflow.agent.recorder;

import dev.reqflow.agent.bootstrap.Bridge;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the advice reports, through the {@link Bridge}, turned into flow, call and block spans. Each
 * hook goes to the recorder of its concern: {@link FlowRecorder}, {@link CallRecorder}, {@link
 * WaitRecorder}, {@link HandoffRecorder}, {@link UrlConnectionRecorder}, {@link LockWaitRecorder};
 * their shared state is {@link Followed}, and how spans are spelled is {@link SpanWriter}.
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
  private final UrlConnectionRecorder urlConnections;
  private final LockWaitRecorder locks;
  private final AtomicLong adviceErrors = new AtomicLong();

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
    this.flows = new FlowRecorder(spans, followed, urls, flowMethods, sectionMethods);
    this.calls = new CallRecorder(spans, followed, urls, bodyHandlerDecorator);
    this.waits = new WaitRecorder(spans, followed, thresholdNanos);
    this.handoffs = new HandoffRecorder(spans, followed, calls);
    this.urlConnections = new UrlConnectionRecorder(calls, waits, followed);
    this.locks = new LockWaitRecorder(spans, thresholdNanos);
  }

  /** Wraps a JDK body handler so that its callbacks report a call's phases. */
  public interface BodyHandlerDecorator {
    Object decorate(Object handler, Object call);
  }

  /** Errors inside the recorder that advice swallowed: what each touched was not recorded. */
  public long adviceErrors() {
    return adviceErrors.get();
  }

  /** Flows and calls started and not yet ended: at exit, what will never be recorded. */
  public long openAtExit() {
    return followed.inFlight.get();
  }

  /** Spans that waited on, or followed, more calls than {@link #LINK_LIMIT}: links were cut. */
  public long linksCut() {
    return spans.linksCut();
  }

  /** Application objects (futures, tasks, calls) not followed because a table was full. */
  public long untracked() {
    return followed.refused() + VirtualThreads.refused();
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
    return flows.flowEnter(name, method, path, traceparent);
  }

  @Override
  public void flowExit(Object token, int status, Throwable error) {
    flows.flowExit(token, status, error);
  }

  @Override
  public Object methodEnter(String className, String methodName) {
    return flows.methodEnter(className, methodName);
  }

  @Override
  public void methodExit(Object token, Throwable error) {
    flows.methodExit(token, error);
  }

  // --- waits ---

  @Override
  public long blockEnter(Object waitedOn) {
    return waits.blockEnter(waitedOn);
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
    HandoffRecorder.exit(token);
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
    HandoffRecorder.exit(token);
  }

  @Override
  public Object callbackEnter(Object call) {
    return handoffs.callbackEnter(call);
  }

  @Override
  public void callbackExit(Object token) {
    HandoffRecorder.exit(token);
  }

  // --- calls ---

  @Override
  public Object callEnter(
      Object key, String client, boolean sync, String method, String url, String host, int port) {
    return calls.callEnter(key, client, sync, method, url, host, port);
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
  public void callQueued(Object call, String queueKind, int limit, int perHostLimit) {
    calls.callQueued(call, queueKind, limit, perHostLimit);
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
}
