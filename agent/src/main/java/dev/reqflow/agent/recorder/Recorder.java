package dev.reqflow.agent.recorder;

import dev.reqflow.agent.bootstrap.Bridge;
import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.CallMode;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.LinkType;
import dev.reqflow.contract.TraceContract.PoolKind;
import dev.reqflow.contract.TraceContract.SpanType;
import dev.reqflow.contract.TraceContract.ThreadRole;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns what the advice reports into flow, call and block spans. Registered into the {@link
 * Bridge}; all state that follows work between threads lives here.
 */
public final class Recorder implements Bridge.Hooks {

  private static final AttributeKey<String> LINK_TYPE = AttributeKey.stringKey(Attr.LINK_TYPE);
  private static final Attributes WAITED_ON = Attributes.of(LINK_TYPE, LinkType.WAITED_ON);
  private static final Attributes CALLBACK = Attributes.of(LINK_TYPE, LinkType.CALLBACK);
  private static final Attributes AFTER_WAIT = Attributes.of(LINK_TYPE, LinkType.AFTER_WAIT);
  private static final AttributeKey<String> QUEUE_KIND = AttributeKey.stringKey(Attr.QUEUE_KIND);

  private static final ThreadLocal<ThreadState> STATE = new ThreadLocal<>();

  /**
   * Links a span keeps: the SDK's default span limit. The calls behind a wait or a callback are
   * kept to one more than this, so that a cut can be told from a set that just fits.
   */
  public static final int LINK_LIMIT = 128;

  private final Tracer tracer;
  private final Clock clock = new Clock();
  private final long thresholdNanos;
  private final boolean redactQuery;
  private final List<String> flowQueryKeys;
  private final Set<String> flowMethods;
  private final Set<String> sectionMethods;
  private final AppTraceContext appTraceContext = new AppTraceContext();
  private final BodyHandlerDecorator decorator;

  private final WeakIdentityMap<Object, CallRecord[]> futureCalls = new WeakIdentityMap<>();
  private final WeakIdentityMap<Object, CallRecord> callFutures = new WeakIdentityMap<>();
  private final WeakIdentityMap<Object, CallRecord> callsByKey = new WeakIdentityMap<>();
  private final WeakIdentityMap<Object, Captured> pendingTasks = new WeakIdentityMap<>();

  /**
   * Flows and calls in progress. While there are none, completions of futures cannot matter and are
   * skipped without a look-up.
   */
  private final AtomicInteger inFlight = new AtomicInteger();

  private final AtomicLong adviceErrors = new AtomicLong();
  private final AtomicLong linksCut = new AtomicLong();

  public Recorder(
      Tracer tracer,
      long thresholdNanos,
      boolean redactQuery,
      List<String> flowQueryKeys,
      Set<String> flowMethods,
      Set<String> sectionMethods,
      BodyHandlerDecorator bodyHandlerDecorator) {
    this.tracer = tracer;
    this.thresholdNanos = thresholdNanos;
    this.redactQuery = redactQuery;
    this.flowQueryKeys = List.copyOf(flowQueryKeys);
    this.flowMethods = Set.copyOf(flowMethods);
    this.sectionMethods = Set.copyOf(sectionMethods);
    this.decorator = bodyHandlerDecorator;
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
    return inFlight.get();
  }

  /** Spans that waited on, or followed, more calls than {@link #LINK_LIMIT}: links were cut. */
  public long linksCut() {
    return linksCut.get();
  }

  /** Application objects (futures, tasks, calls) not followed because a table was full. */
  public long untracked() {
    return futureCalls.refused()
        + callFutures.refused()
        + callsByKey.refused()
        + pendingTasks.refused();
  }

  @Override
  public void adviceError(Throwable t) {
    if (adviceErrors.getAndIncrement() == 0) {
      System.err.println("reqflow: an instrumentation failed and was skipped (logged once): " + t);
    }
  }

  private static ThreadState state() {
    ThreadState ts = STATE.get();
    if (ts == null) {
      ts = new ThreadState();
      STATE.set(ts);
    }
    return ts;
  }

  private long epoch(long nanoTime) {
    return clock.toEpochNanos(nanoTime);
  }

  // --- flows and sections ---

  @Override
  public Object flowEnter(String name, String method, String path, String traceparent) {
    ThreadState ts = state();
    if (ts.flow != null) {
      return null;
    }
    int q = path == null ? -1 : path.indexOf('?');
    String query = q < 0 ? null : path.substring(q + 1);
    SpanBuilder b =
        flowBuilder(
            query == null ? name : name + flowNameQuery(query), SpanKind.SERVER, traceparent);
    if (method != null) {
      b.setAttribute(Attr.HTTP_REQUEST_METHOD, method);
    }
    if (path != null) {
      b.setAttribute(Attr.URL_PATH, q < 0 ? path : path.substring(0, q));
      if (query != null) {
        b.setAttribute(Attr.URL_QUERY, redactQuery(query, flowQueryKeys));
      }
    }
    return startFlow(ts, b);
  }

  private SpanBuilder flowBuilder(String name, SpanKind kind, String traceparent) {
    Context parent = parentContext(traceparent);
    Thread t = Thread.currentThread();
    return tracer
        .spanBuilder(name)
        .setSpanKind(kind)
        .setParent(parent)
        .setStartTimestamp(epoch(clock.nanoTime()), TimeUnit.NANOSECONDS)
        .setAttribute(Attr.SPAN_TYPE, SpanType.FLOW)
        .setAttribute(Attr.FLOW_NAME, name)
        .setAttribute(Attr.THREAD_ID, t.getId())
        .setAttribute(Attr.THREAD_NAME, t.getName())
        .setAttribute(Attr.THREAD_ROLE, ThreadRole.RENDER);
  }

  private Object startFlow(ThreadState ts, SpanBuilder b) {
    Span span = b.startSpan();
    inFlight.incrementAndGet();
    FlowRecord flow = new FlowRecord(span, Thread.currentThread());
    ThreadState.Saved saved = ts.save();
    saved.payload = flow;
    ts.flow = flow;
    ts.parent = flow.context;
    ts.scope = null;
    ts.cause = null;
    ts.lastWaited = null;
    ts.role = ThreadRole.RENDER;
    ts.callDepth = 0;
    ts.blockDepth = 0;
    return saved;
  }

  /**
   * The span our flow hangs below: the one current in the application's OpenTelemetry (its own API
   * or the OpenTelemetry Java agent's), which is the server span made from an inbound {@code
   * traceparent} when there is one; else the inbound {@code traceparent} itself. Every flow is
   * recorded, whatever the sampling decision of the trace it joins.
   */
  Context parentContext(String traceparent) {
    SpanContext parent = parseTraceparent(appTraceContext.currentTraceparent());
    if (parent == null) {
      parent = parseTraceparent(traceparent);
    }
    if (parent == null) {
      return Context.root();
    }
    SpanContext sampled =
        SpanContext.createFromRemoteParent(
            parent.getTraceId(),
            parent.getSpanId(),
            TraceFlags.getSampled(),
            parent.getTraceState());
    return Context.root().with(Span.wrap(sampled));
  }

  static SpanContext parseTraceparent(String tp) {
    if (tp == null || tp.length() < 55) {
      return null;
    }
    String[] parts = tp.trim().split("-");
    if (parts.length < 4 || parts[1].length() != 32 || parts[2].length() != 16) {
      return null;
    }
    SpanContext sc =
        SpanContext.createFromRemoteParent(
            parts[1],
            parts[2],
            TraceFlags.fromHex(parts[3].length() >= 2 ? parts[3] : "01", 0),
            TraceState.getDefault());
    return sc.isValid() ? sc : null;
  }

  @Override
  public void flowExit(Object token, int status, Throwable error) {
    ThreadState.Saved saved = (ThreadState.Saved) token;
    FlowRecord flow = (FlowRecord) saved.payload;
    long now = clock.nanoTime();
    try {
      if (status > 0) {
        flow.span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, status);
      }
      if (error != null) {
        flow.span.setAttribute(Attr.ERROR_TYPE, error.getClass().getName());
        flow.span.setStatus(StatusCode.ERROR);
      } else if (status >= 500) {
        flow.span.setAttribute(Attr.ERROR_TYPE, String.valueOf(status));
        flow.span.setStatus(StatusCode.ERROR);
      }
      flow.span.end(epoch(now), TimeUnit.NANOSECONDS);
    } finally {
      flow.span = Span.getInvalid();
      inFlight.decrementAndGet();
      state().restore(saved);
    }
  }

  @Override
  public Object methodEnter(String className, String methodName) {
    String key = className + "#" + methodName;
    ThreadState ts = state();
    String simple = className.substring(className.lastIndexOf('.') + 1);
    String name = simple + "." + methodName;
    if (ts.flow == null) {
      if (!flowMethods.contains(key)) {
        return null;
      }
      return startFlow(ts, flowBuilder(name, SpanKind.INTERNAL, null));
    }
    if (!sectionMethods.contains(key)) {
      return null;
    }
    Thread t = Thread.currentThread();
    Span span =
        tracer
            .spanBuilder(name)
            .setSpanKind(SpanKind.INTERNAL)
            .setParent(ts.parent)
            .setStartTimestamp(epoch(clock.nanoTime()), TimeUnit.NANOSECONDS)
            .setAttribute(Attr.SPAN_TYPE, SpanType.SECTION)
            .setAttribute(Attr.SECTION_NAME, name)
            .setAttribute(Attr.THREAD_ID, t.getId())
            .setAttribute(Attr.THREAD_NAME, t.getName())
            .startSpan();
    ThreadState.Saved saved = ts.save();
    saved.payload = span;
    // The identity only: a task captured in the section must not keep the span's data alive.
    ts.parent = ts.parent.with(Span.wrap(span.getSpanContext()));
    return saved;
  }

  @Override
  public void methodExit(Object token, Throwable error) {
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
      span.end(epoch(clock.nanoTime()), TimeUnit.NANOSECONDS);
    } finally {
      state().restore(saved);
    }
  }

  // --- waits ---

  @Override
  public long blockEnter(Object waitedOn) {
    ThreadState ts = STATE.get();
    if (ts == null || ts.flow == null || ts.blockDepth > 0) {
      return 0L;
    }
    if (waitedOn instanceof Future && ((Future<?>) waitedOn).isDone()) {
      return 0L;
    }
    ts.blockDepth++;
    long now = clock.nanoTime();
    return now == 0L ? 1L : now;
  }

  @Override
  public void blockExit(long startNanos, Object waitedOn, String kind) {
    ThreadState ts = state();
    ts.blockDepth = Math.max(0, ts.blockDepth - 1);
    long end = clock.nanoTime();
    if (ts.flow == null || end - startNanos < thresholdNanos) {
      return;
    }
    CallRecord[] links =
        waitedOn instanceof CallRecord
            ? new CallRecord[] {(CallRecord) waitedOn}
            : futureCalls.get(waitedOn);
    Thread t = Thread.currentThread();
    SpanBuilder b =
        tracer
            .spanBuilder("block " + kind)
            .setSpanKind(SpanKind.INTERNAL)
            .setParent(ts.parent)
            .setStartTimestamp(epoch(startNanos), TimeUnit.NANOSECONDS)
            .setAttribute(Attr.SPAN_TYPE, SpanType.BLOCK)
            .setAttribute(Attr.BLOCK_KIND, kind)
            .setAttribute(Attr.THREAD_ID, t.getId())
            .setAttribute(Attr.THREAD_NAME, t.getName())
            .setAttribute(Attr.THREAD_ROLE, roleOf(ts));
    site(b);
    if (links != null) {
      addLinks(b, links, WAITED_ON);
      if (links.length > 0) {
        ts.lastWaited = links;
      }
    }
    b.startSpan().end(epoch(end), TimeUnit.NANOSECONDS);
  }

  // --- futures ---

  @Override
  public void futureCompleted(Object future) {
    if (inFlight.get() == 0) {
      return;
    }
    if (!callFutures.isEmpty()) {
      CallRecord call = callFutures.remove(future);
      if (call != null) {
        finishAsyncCall(call, future);
      }
    }
    ThreadState ts = STATE.get();
    if (ts == null) {
      return;
    }
    CallRecord[] cause = ts.cause;
    TaskScope scope = ts.scope;
    boolean fromScope = scope != null && !scope.calls.isEmpty();
    // A thread that waited on a call before completing this future (a callback that blocks)
    // was held up by that call too.
    CallRecord[] waited = ts.flow == null ? null : ts.lastWaited;
    if (cause == null && !fromScope && waited == null) {
      return;
    }
    CallRecord[] tags = union(union(futureCalls.get(future), cause), waited);
    if (fromScope) {
      tags = union(tags, scope.calls.toArray(new CallRecord[0]));
    }
    futureCalls.put(future, tags);
  }

  private void finishAsyncCall(CallRecord call, Object future) {
    Throwable error = null;
    if (future instanceof CompletableFuture) {
      CompletableFuture<?> cf = (CompletableFuture<?>) future;
      if (cf.isCompletedExceptionally()) {
        try {
          cf.getNow(null);
        } catch (Throwable t) {
          error = t.getCause() != null ? t.getCause() : t;
        }
      }
    }
    endCall(call, error);
  }

  @Override
  public Object completionEnter(Object src, Object snd) {
    if (inFlight.get() == 0 || futureCalls.isEmpty()) {
      return null;
    }
    CallRecord[] a = src == null ? null : futureCalls.get(src);
    CallRecord[] b = snd == null ? null : futureCalls.get(snd);
    if (a == null && b == null) {
      return null;
    }
    CallRecord[] tags = union(a, b);
    ThreadState ts = state();
    ThreadState.Saved saved = ts.save();
    ts.cause = tags;
    if (ts.flow == null) {
      ts.flow = tags[0].flow;
      ts.parent = ts.flow.context;
      ts.role = null;
      ts.lastWaited = null;
      ts.callDepth = 0;
      ts.blockDepth = 0;
    }
    return saved;
  }

  @Override
  public void completionExit(Object token) {
    state().restore((ThreadState.Saved) token);
  }

  // --- executors ---

  @Override
  public void taskCreated(Object task) {
    ThreadState ts = STATE.get();
    if (ts == null || ts.flow == null) {
      return;
    }
    Captured c = new Captured(ts.flow, ts.parent, clock.nanoTime());
    c.issuing = ts.issuing;
    pendingTasks.put(task, c);
  }

  @Override
  public void taskSubmitted(Object task, Object executor) {
    if (pendingTasks.isEmpty()) {
      return;
    }
    Captured c = pendingTasks.get(task);
    if (c != null) {
      c.submitNanos = clock.nanoTime();
      describe(c, executor);
    }
  }

  @Override
  public Object capture(Object executor) {
    ThreadState ts = STATE.get();
    if (ts == null || ts.flow == null) {
      return null;
    }
    Captured c = new Captured(ts.flow, ts.parent, clock.nanoTime());
    c.issuing = ts.issuing;
    describe(c, executor);
    return c;
  }

  private static void describe(Captured c, Object executor) {
    if (executor instanceof ThreadPoolExecutor) {
      c.poolLimit = ((ThreadPoolExecutor) executor).getMaximumPoolSize();
    } else if (executor instanceof ForkJoinPool) {
      c.poolLimit = ((ForkJoinPool) executor).getParallelism();
    }
    if (executor != null) {
      c.executorName = executor.getClass().getSimpleName();
    }
  }

  @Override
  public Object taskEnter(Object task) {
    Captured c;
    if (task instanceof Captured) {
      c = (Captured) task;
    } else {
      c = pendingTasks.isEmpty() ? null : pendingTasks.remove(task);
    }
    if (c == null) {
      return null;
    }
    ThreadState ts = state();
    if (ts.scope != null && ts.flow == c.flow) {
      // A wrapped runnable inside a future task of the same flow: one task, one scope.
      return null;
    }
    ThreadState.Saved saved = ts.save();
    ts.flow = c.flow;
    ts.parent = c.parent;
    ts.scope = new TaskScope(c, clock.nanoTime(), poolName(c));
    ts.cause = null;
    ts.lastWaited = null;
    ts.issuing = null;
    ts.role = null;
    ts.callDepth = 0;
    ts.blockDepth = 0;
    return saved;
  }

  private static String poolName(Captured c) {
    String name = Thread.currentThread().getName();
    int end = name.length();
    while (end > 0 && (Character.isDigit(name.charAt(end - 1)) || name.charAt(end - 1) == '-')) {
      end--;
    }
    if (end > 0) {
      return name.substring(0, end);
    }
    if (c.executorName != null) {
      return c.executorName;
    }
    return Thread.currentThread().getClass().getName().equals("java.lang.VirtualThread")
        ? "virtual"
        : "executor";
  }

  @Override
  public void taskExit(Object token) {
    state().restore((ThreadState.Saved) token);
  }

  // --- calls ---

  @Override
  public Object callEnter(
      Object key, String client, boolean sync, String method, String url, String host, int port) {
    ThreadState ts = STATE.get();
    if (ts == null || ts.flow == null || ts.callDepth > 0) {
      return null;
    }
    ts.callDepth++;
    long now = clock.nanoTime();
    TaskScope scope = ts.scope;
    boolean fromTask = scope != null && !scope.firstCallTaken;
    long start = now;
    if (fromTask) {
      scope.firstCallTaken = true;
      start = Math.min(now, scope.captured.submitNanos);
    }
    Thread t = Thread.currentThread();
    SpanBuilder b =
        tracer
            .spanBuilder(method + " " + pathOf(url))
            .setSpanKind(SpanKind.CLIENT)
            .setParent(ts.parent)
            .setStartTimestamp(epoch(start), TimeUnit.NANOSECONDS)
            .setAttribute(Attr.SPAN_TYPE, SpanType.CALL)
            .setAttribute(Attr.CALL_CLIENT, client)
            .setAttribute(Attr.CALL_MODE, sync ? CallMode.SYNC : CallMode.ASYNC)
            .setAttribute(Attr.HTTP_REQUEST_METHOD, method)
            .setAttribute(Attr.URL_FULL, redactUrl(url))
            .setAttribute(Attr.THREAD_ID, t.getId())
            .setAttribute(Attr.THREAD_NAME, t.getName())
            .setAttribute(Attr.THREAD_ROLE, roleOf(ts));
    if (host != null) {
      b.setAttribute(Attr.SERVER_ADDRESS, host);
    }
    if (port > 0) {
      b.setAttribute(Attr.SERVER_PORT, port);
    }
    if (fromTask) {
      b.setAttribute(Attr.POOL_KIND, PoolKind.EXECUTOR);
      b.setAttribute(Attr.POOL_NAME, scope.poolName);
      if (scope.captured.poolLimit > 0) {
        b.setAttribute(Attr.POOL_LIMIT, scope.captured.poolLimit);
      }
    }
    if (ts.cause != null) {
      addLinks(b, ts.cause, CALLBACK);
    } else if (ts.lastWaited != null) {
      addLinks(b, ts.lastWaited, AFTER_WAIT);
    }
    site(b);
    Span span = b.startSpan();
    if (fromTask) {
      span.addEvent(
          Event.DISPATCHED,
          Attributes.of(QUEUE_KIND, PoolKind.EXECUTOR),
          epoch(Math.max(start, scope.startNanos)),
          TimeUnit.NANOSECONDS);
    }
    CallRecord rec = new CallRecord(span, ts.flow, client, sync);
    inFlight.incrementAndGet();
    ts.issuing = rec;
    if (key != null) {
      callsByKey.put(key, rec);
    }
    if (scope != null && scope.calls.size() <= LINK_LIMIT) {
      scope.calls.add(rec);
    }
    return rec;
  }

  @Override
  public void callIssued(Object call, Object result, Throwable error) {
    CallRecord rec = (CallRecord) call;
    ThreadState ts = STATE.get();
    if (ts != null && ts.callDepth > 0) {
      ts.callDepth--;
      if (ts.issuing == rec) {
        ts.issuing = null;
      }
    }
    if (error != null) {
      endCall(rec, error);
      return;
    }
    if (rec.sync) {
      if (Client.JDK_HTTP_CLIENT.equals(rec.client) || !rec.listenerSeen) {
        endCall(rec, null);
      }
      return;
    }
    if (result instanceof CompletableFuture) {
      CompletableFuture<?> cf = (CompletableFuture<?>) result;
      callFutures.put(cf, rec);
      futureCalls.put(cf, union(futureCalls.get(cf), new CallRecord[] {rec}));
      if (cf.isDone() && callFutures.remove(cf) != null) {
        finishAsyncCall(rec, cf);
      }
    }
  }

  @Override
  public Object callFor(Object key) {
    return callsByKey.get(key);
  }

  @Override
  public void callEvent(Object call, String event) {
    CallRecord rec = (CallRecord) call;
    if (rec.ended.get()) {
      return;
    }
    rec.listenerSeen = true;
    long now = clock.nanoTime();
    Attributes attrs = Attributes.empty();
    switch (event) {
      case Event.CONNECT_START:
        rec.connectSeen = true;
        break;
      case Event.CONNECTION_ACQUIRED:
        if (rec.acquiredSeen) {
          return;
        }
        rec.acquiredSeen = true;
        rec.span.setAttribute(Attr.CONNECTION_REUSED, !rec.connectSeen);
        break;
      case Event.DISPATCHED:
        if (rec.queueKind != null) {
          attrs = Attributes.of(QUEUE_KIND, rec.queueKind);
        }
        break;
      case Event.RESPONSE_FIRST_BYTE:
        if (rec.firstByteSeen) {
          return;
        }
        rec.firstByteSeen = true;
        break;
      default:
        break;
    }
    rec.span.addEvent(event, attrs, epoch(now), TimeUnit.NANOSECONDS);
  }

  @Override
  public void callQueued(Object call, String queueKind, int limit, int perHostLimit) {
    CallRecord rec = (CallRecord) call;
    rec.queueKind = queueKind;
    rec.span.setAttribute(Attr.POOL_KIND, queueKind);
    rec.span.setAttribute(Attr.POOL_NAME, "okhttp-dispatcher");
    rec.span.setAttribute(Attr.POOL_LIMIT, limit);
    rec.span.setAttribute(Attr.POOL_LIMIT_PER_HOST, perHostLimit);
  }

  @Override
  public void callStatus(Object call, int status) {
    CallRecord rec = (CallRecord) call;
    rec.status = status;
    rec.span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, status);
  }

  @Override
  public void callEnd(Object call, Throwable error) {
    endCall((CallRecord) call, error);
  }

  private void endCall(CallRecord rec, Throwable error) {
    if (!rec.ended.compareAndSet(false, true)) {
      return;
    }
    inFlight.decrementAndGet();
    long now = clock.nanoTime();
    if (error != null) {
      rec.span.setAttribute(Attr.ERROR_TYPE, error.getClass().getName());
      rec.span.setStatus(StatusCode.ERROR);
    } else if (rec.status >= 400) {
      rec.span.setAttribute(Attr.ERROR_TYPE, String.valueOf(rec.status));
      rec.span.setStatus(StatusCode.ERROR);
    }
    rec.span.end(epoch(now), TimeUnit.NANOSECONDS);
    rec.span = Span.getInvalid();
  }

  @Override
  public Object callbackEnter(Object call) {
    CallRecord rec = (CallRecord) call;
    ThreadState ts = state();
    ThreadState.Saved saved = ts.save();
    ts.flow = rec.flow;
    ts.parent = rec.flow.context;
    ts.cause = new CallRecord[] {rec};
    ts.scope = null;
    ts.lastWaited = null;
    ts.role = null;
    ts.callDepth = 0;
    ts.blockDepth = 0;
    return saved;
  }

  @Override
  public void callbackExit(Object token) {
    state().restore((ThreadState.Saved) token);
  }

  @Override
  public void connectionLookup(boolean reused) {
    ThreadState ts = STATE.get();
    if (ts == null || ts.flow == null) {
      return;
    }
    CallRecord rec = ts.issuing;
    if (rec == null && ts.scope != null) {
      rec = ts.scope.captured.issuing;
    }
    if (rec == null || rec.acquiredSeen || !Client.JDK_HTTP_CLIENT.equals(rec.client)) {
      return;
    }
    // The JDK client shows only this moment: a pooled connection, or the start of a new one.
    callEvent(rec, reused ? Event.CONNECTION_ACQUIRED : Event.CONNECT_START);
    if (!reused) {
      rec.acquiredSeen = true;
      rec.span.setAttribute(Attr.CONNECTION_REUSED, false);
    }
  }

  @Override
  public Object decorate(Object call, Object argument) {
    return decorator == null ? argument : decorator.decorate(argument, call);
  }

  // --- helpers ---

  private String roleOf(ThreadState ts) {
    if (ts.role != null) {
      return ts.role;
    }
    Thread t = Thread.currentThread();
    String role;
    String name = t.getName();
    if (ts.flow != null && ts.flow.renderThread == t && ts.scope == null && ts.cause == null) {
      role = ThreadRole.RENDER;
    } else if (name.startsWith("OkHttp ") || name.startsWith("HttpClient-")) {
      role = ThreadRole.CLIENT_DISPATCHER;
    } else if (t instanceof ForkJoinWorkerThread
        && ((ForkJoinWorkerThread) t).getPool() == ForkJoinPool.commonPool()) {
      role = ThreadRole.COMMON_POOL;
    } else if (ts.cause != null) {
      // Running a call's completion: the client's callback thread, whatever its name.
      role = ThreadRole.CLIENT_DISPATCHER;
    } else if (ts.scope != null) {
      role = ThreadRole.EXECUTOR;
    } else {
      role = ThreadRole.OTHER;
    }
    ts.role = role;
    return role;
  }

  private static void site(SpanBuilder b) {
    StackWalker.StackFrame f = CallSites.find();
    if (f == null) {
      return;
    }
    b.setAttribute(Attr.CODE_FUNCTION_NAME, f.getClassName() + "." + f.getMethodName());
    if (f.getFileName() != null) {
      b.setAttribute(Attr.CODE_FILE_PATH, f.getFileName());
    }
    if (f.getLineNumber() > 0) {
      b.setAttribute(Attr.CODE_LINE_NUMBER, f.getLineNumber());
    }
  }

  private void addLinks(SpanBuilder b, CallRecord[] calls, Attributes type) {
    int n = Math.min(calls.length, LINK_LIMIT);
    for (int i = 0; i < n; i++) {
      b.addLink(calls[i].context, type);
    }
    if (calls.length > LINK_LIMIT) {
      linksCut.incrementAndGet();
    }
  }

  /**
   * The calls of {@code a}, then those of {@code b} not in it, up to one past {@link #LINK_LIMIT}:
   * a wait on {@code allOf} of 100,000 calls must cost neither 100,000 links nor a quadratic merge
   * up the tree of its relays.
   */
  static CallRecord[] union(CallRecord[] a, CallRecord[] b) {
    if (a == null || a.length == 0) {
      return b;
    }
    if (b == null || b.length == 0 || a == b || a.length > LINK_LIMIT) {
      return a;
    }
    CallRecord[] out = Arrays.copyOf(a, Math.min(a.length + b.length, LINK_LIMIT + 1));
    int n = a.length;
    outer:
    for (CallRecord c : b) {
      if (n == out.length) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (out[i] == c) {
          continue outer;
        }
      }
      out[n++] = c;
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  static String pathOf(String url) {
    if (url == null) {
      return "";
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
    if (start < 0) {
      return "/";
    }
    int end = url.length();
    int q = url.indexOf('?', start);
    if (q >= 0) {
      end = q;
    }
    int h = url.indexOf('#', start);
    if (h >= 0 && h < end) {
      end = h;
    }
    return url.substring(start, end);
  }

  String redactUrl(String url) {
    if (url == null) {
      return "";
    }
    String u = url;
    int scheme = u.indexOf("://");
    if (scheme >= 0) {
      int slash = u.indexOf('/', scheme + 3);
      int at = u.lastIndexOf('@', slash < 0 ? u.length() : slash);
      if (at > scheme) {
        u = u.substring(0, scheme + 3) + "REDACTED:REDACTED@" + u.substring(at + 1);
      }
    }
    int q = u.indexOf('?');
    if (q < 0 || !redactQuery) {
      return u;
    }
    int hash = u.indexOf('#', q);
    String query = hash < 0 ? u.substring(q + 1) : u.substring(q + 1, hash);
    return u.substring(0, q + 1) + redactQuery(query) + (hash < 0 ? "" : u.substring(hash));
  }

  String redactQuery(String query) {
    return redactQuery(query, List.of());
  }

  /** The query with every value redacted (unless redaction is off) but those of {@code keep}. */
  String redactQuery(String query, List<String> keep) {
    if (!redactQuery) {
      return query;
    }
    StringBuilder out = new StringBuilder(query.length());
    for (String part : query.split("&", -1)) {
      if (out.length() > 0) {
        out.append('&');
      }
      int eq = part.indexOf('=');
      boolean kept = eq < 0 || keep.contains(part.substring(0, eq));
      out.append(kept ? part : part.substring(0, eq + 1) + "REDACTED");
    }
    return out.toString();
  }

  /**
   * The {@code flow.query} parameters of an inbound query, in the configured order, as they join
   * the flow's name ({@code ?strategy=pool-2}): requests that differ in them are different
   * endpoints. Empty when none is configured or present.
   */
  String flowNameQuery(String query) {
    if (flowQueryKeys.isEmpty()) {
      return "";
    }
    String[] parts = query.split("&", -1);
    StringBuilder out = new StringBuilder();
    for (String key : flowQueryKeys) {
      for (String part : parts) {
        if (part.startsWith(key + "=")) {
          out.append(out.length() == 0 ? '?' : '&').append(part);
          break;
        }
      }
    }
    return out.toString();
  }
}
