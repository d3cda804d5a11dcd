package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.PoolKind;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Outbound calls: issued when the application asked (or when it submitted the task that made the
 * call), their phases as the client reports them, ended when the response is complete.
 */
final class CallRecorder {
  private final SpanWriter spans;
  private final Followed followed;
  private final Urls urls;
  private final Recorder.BodyHandlerDecorator decorator;
  private final ContentRecorder contents;
  private final BodyReads bodyReads;
  private final OpenResponses open;

  CallRecorder(
      SpanWriter spans,
      Followed followed,
      Urls urls,
      Recorder.BodyHandlerDecorator decorator,
      ContentRecorder contents,
      BodyReads bodyReads,
      Consumer<Throwable> errors) {
    this.contents = contents;
    this.spans = spans;
    this.followed = followed;
    this.urls = urls;
    this.decorator = decorator;
    this.bodyReads = bodyReads;
    this.open = new OpenResponses(spans, this::endIncomplete, errors);
  }

  /** The responses the application holds that the client has not ended yet. */
  OpenResponses open() {
    return open;
  }

  Object callEnter(
      Object key, String client, boolean sync, String method, String url, String host, int port) {
    ThreadState ts = ThreadState.peek();
    if (ts == null || ts.flow == null || ts.callDepth > 0) {
      return null;
    }
    ts.callDepth++;
    long now = spans.nanoTime();
    TaskScope scope = ts.scope;
    boolean fromTask = scope != null && !scope.firstCallTaken;
    long start = now;
    if (fromTask) {
      scope.firstCallTaken = true;
      start = Math.min(now, scope.captured.submitNanos);
    }
    CodeSite site = ts.pendingSite;
    ts.pendingSite = null;
    boolean askedSync = sync;
    boolean walked = false;
    if (site == null || !sync) {
      // An asynchronous client under a synchronous API (RestTemplate on the JDK client): the
      // application asked synchronously, and waits as for any synchronous call.
      // Walked from here, not through CallSites.findCall: one frame fewer to fill (see WALKER).
      CallSites.Site found = CallSites.WALKER.walk(CallSites.FIND_CALL);
      walked = site == null;
      site = site != null ? site : found.frame();
      askedSync = sync || found.synchronous();
    }
    Thread t = Thread.currentThread();
    // The raw fields: made into attributes (the URL redacted) on the export thread.
    CallSpan.Start raw =
        new CallSpan.Start(
            client,
            ts.role(),
            method,
            url,
            host,
            port,
            fromTask ? scope.poolName : null,
            fromTask ? scope.captured.poolLimit : 0,
            fromTask ? scope.captured.executor : null,
            fromTask,
            askedSync,
            site,
            t.getId(),
            t.getName(),
            urls);
    CallRecord[] linked = ts.cause != null ? ts.cause : ts.lastWaited;
    Attributes linkType = ts.cause != null ? SpanWriter.CALLBACK : SpanWriter.AFTER_WAIT;
    Span span = spans.startCall(spanName(method, url), ts.parent, start, raw, linked, linkType);
    CallRecord rec = new CallRecord(span, ts.flow, client, sync);
    if (walked) {
      rec.walkedSite = site;
      rec.siteWalked = true;
    }
    if (fromTask) {
      // Written when the call is issued, unless a narrower pool of the client queues the call.
      rec.taskStartNanos = Math.max(start, scope.startNanos);
      rec.executorLimit = scope.captured.poolLimit;
    }
    contents.begin(rec, method, url);
    followed.inFlight.incrementAndGet();
    followed.callsInFlight.incrementAndGet();
    ts.flow.callOpened(rec);
    ts.issuing = rec;
    WorkLog.call(rec);
    ts.issued(rec);
    if (key != null) {
      followed.callsByKey.put(key, rec);
    }
    if (scope != null && scope.calls.size() <= CallSets.LINK_LIMIT) {
      scope.calls.add(rec);
    }
    return rec;
  }

  void callIssued(Object call, Object result, Throwable error) {
    CallRecord rec = (CallRecord) call;
    leaveClient(rec);
    rec.issued = true;
    if (error != null) {
      endCall(rec, error);
      return;
    }
    writeTaskDispatch(rec);
    if (rec.sync) {
      if (Client.OKHTTP.equals(rec.client) && rec.listenerSeen) {
        // OkHttp's listener ends it, when the response body is read to its end or closed; the
        // advice says the application holds the response (responseHeld).
        return;
      }
      if (rec.pooled && rec.held) {
        // Ends when its connection goes back to the pool: the body is read or closed.
        rec.lastUsedNanos = spans.nanoTime();
        open.held(rec, null);
        return;
      }
      if (result != null && awaitsBody(rec)) {
        return;
      }
      if (rec.releasedNanos != 0) {
        // Released inside the client's method (a response handler that read the body): the
        // body was done then, the call ends now.
        spans.event(rec.span, Event.RESPONSE_BODY_DONE, Attributes.empty(), rec.releasedNanos);
      }
      endCall(rec, null);
      return;
    }
    if (result instanceof CompletableFuture) {
      CompletableFuture<?> cf = (CompletableFuture<?>) result;
      followed.callFutures.put(cf, rec);
      followed.futureCalls.put(
          cf, CallSets.union(followed.futureCalls.get(cf), new CallRecord[] {rec}));
      if (cf.isDone() && followed.callFutures.remove(cf) != null) {
        finishAsyncCall(rec, cf);
      }
    } else if (result instanceof Future) {
      // A client's own future (Apache HttpCore's BasicFuture): its completion, reported by the
      // client's advice through callFor and callEnd, ends the call; waits on it link to the call.
      Future<?> f = (Future<?>) result;
      followed.callsByKey.put(f, rec);
      followed.futureCalls.put(
          f, CallSets.union(followed.futureCalls.get(f), new CallRecord[] {rec}));
      if (f.isDone()) {
        finishAsyncCall(rec, f);
      }
    }
  }

  /**
   * A client span's name as the HTTP semantic conventions give it: the method alone ({@code GET}),
   * {@code HTTP} when it is not known. Not the path: a name of low cardinality, which the path is
   * not ({@code /user/42}); {@code url.full} carries it. {@code {method} {url.template}} would need
   * a template the client does not give the agent.
   */
  private static String spanName(String method, String url) {
    return method == null || url == null ? "HTTP" : method;
  }

  /**
   * The current thread leaves the client method that issued {@code rec}; the call itself goes on
   * until the client ends it.
   */
  void leaveClient(CallRecord rec) {
    ThreadState ts = ThreadState.peek();
    if (ts != null && ts.callDepth > 0) {
      ts.callDepth--;
      if (ts.issuing == rec) {
        ts.issuing = null;
      }
      WorkLog.call(null);
    }
  }

  /** A future completed: if a client returned it for a call, the call is complete. */
  void futureCompleted(Object future) {
    if (!followed.callFutures.isEmpty()) {
      CallRecord call = followed.callFutures.remove(future);
      if (call != null) {
        finishAsyncCall(call, future);
      }
    }
  }

  private void finishAsyncCall(CallRecord call, Object future) {
    if (future instanceof CompletableFuture
        && !((CompletableFuture<?>) future).isCompletedExceptionally()
        && awaitsBody(call)) {
      return;
    }
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
    } else if (future instanceof Future) {
      Future<?> f = (Future<?>) future;
      if (f.isCancelled()) {
        error = new CancellationException();
      } else {
        try {
          f.get(); // done: returns at once
        } catch (ExecutionException e) {
          error = e.getCause() != null ? e.getCause() : e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          error = e;
        }
      }
    }
    endCall(call, error);
  }

  /**
   * The JDK client hands the application its response when the body handler's result is there: at
   * once for a stream ({@code ofInputStream}), at the body's end for a string. The call ends when
   * both happened. True when the body is still to come: the call is then watched.
   */
  private boolean awaitsBody(CallRecord rec) {
    // Only where our body handler reports the body's end (it reports the headers first).
    if (!Client.JDK_HTTP_CLIENT.equals(rec.client) || !rec.firstByteSeen) {
      return false;
    }
    if (rec.responseDelivered()) {
      return false;
    }
    rec.lastUsedNanos = spans.nanoTime();
    open.held(rec, null);
    return true;
  }

  /** The application holds the response of {@code rec}; see {@code Bridge.responseHeld}. */
  void responseHeld(CallRecord rec, Object holder) {
    if (rec.ended.get()) {
      return;
    }
    rec.lastUsedNanos = spans.nanoTime();
    open.held(rec, holder);
  }

  /** {@code body} is what the application reads the body of {@code rec} from. */
  void callBody(CallRecord rec, Object body) {
    if (!rec.ended.get()) {
      followed.callsByKey.put(body, rec);
    }
  }

  /**
   * The application closed a body the client does not report closes of (a JDK client stream): the
   * response is done with.
   */
  void bodyClosed(Object key) {
    CallRecord rec = followed.callsByKey.get(key);
    if (rec != null && !rec.ended.get() && Client.JDK_HTTP_CLIENT.equals(rec.client)) {
      endCall(rec, null);
    }
  }

  Object callFor(Object key) {
    return followed.callsByKey.get(key);
  }

  void callEvent(Object call, String event) {
    CallRecord rec = (CallRecord) call;
    if (rec.ended.get()) {
      return;
    }
    rec.listenerSeen = true;
    long now = spans.nanoTime();
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
        if (rec.dispatchedSeen || rec.taskStartNanos != 0) {
          return; // the first dispatch counts; an executor's is written when the call is issued
        }
        rec.dispatchedSeen = true;
        if (rec.queueKind != null) {
          attrs = Attributes.of(SpanWriter.QUEUE_KIND, rec.queueKind);
        }
        break;
      case Event.RESPONSE_FIRST_BYTE:
        if (rec.firstByteSeen) {
          return;
        }
        rec.firstByteSeen = true;
        inferReuse(rec);
        break;
      default:
        break;
    }
    spans.event(rec.span, event, attrs, now);
    if (Event.RESPONSE_BODY_DONE.equals(event)
        && Client.JDK_HTTP_CLIENT.equals(rec.client)
        && rec.bodyDone()) {
      // The application has had the response since before: the body's end ends the call.
      endCall(rec, null);
    }
  }

  void callQueued(Object call, String queueKind, Object pool, int limit, int perHostLimit) {
    CallRecord rec = (CallRecord) call;
    if (rec.queueDecided || rec.ended.get()) {
      return; // a later lease of the same call (a redirect, a retry)
    }
    rec.queueDecided = true;
    int bound = perHostLimit > 0 && (limit <= 0 || perHostLimit < limit) ? perHostLimit : limit;
    if (rec.taskStartNanos != 0
        && rec.executorLimit > 0
        && (bound <= 0 || rec.executorLimit <= bound)) {
      // The executor that ran the task admits no more calls at once than this pool would: its
      // queue is where calls wait, and it stays the call's pool.
      writeTaskDispatch(rec);
      return;
    }
    rec.taskStartNanos = 0;
    rec.queueKind = queueKind;
    Span span = rec.span;
    span.setAttribute(Attr.POOL_KIND, queueKind);
    span.setAttribute(Attr.POOL_NAME, poolName(pool));
    if (limit > 0) {
      span.setAttribute(Attr.POOL_LIMIT, limit);
    }
    if (perHostLimit > 0) {
      span.setAttribute(Attr.POOL_LIMIT_PER_HOST, perHostLimit);
    }
  }

  /**
   * A pool's name as given, or for a pool object its class (the first named one, past anonymous
   * subclasses) and identity: {@code PoolingHttpClientConnectionManager@1b2c3d4e}.
   */
  static String poolName(Object pool) {
    if (pool instanceof String) {
      return (String) pool;
    }
    if (pool == null) {
      return "";
    }
    Class<?> c = pool.getClass();
    while (c.isAnonymousClass() && c.getSuperclass() != null) {
      c = c.getSuperclass();
    }
    return c.getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(pool));
  }

  /** Writes the deferred dispatched event of a call made by an executor task. */
  private void writeTaskDispatch(CallRecord rec) {
    long at = rec.taskStartNanos;
    if (at == 0 || rec.dispatchedSeen) {
      return;
    }
    rec.taskStartNanos = 0;
    rec.dispatchedSeen = true;
    spans.event(rec.span, Event.DISPATCHED, EXECUTOR_QUEUE, at);
  }

  private static final Attributes EXECUTOR_QUEUE =
      Attributes.of(SpanWriter.QUEUE_KIND, PoolKind.EXECUTOR);

  void callStatus(Object call, int status) {
    CallRecord rec = (CallRecord) call;
    rec.status = status;
    rec.span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, status);
  }

  void endCall(CallRecord rec, Throwable error) {
    if (rec.ended.get()) {
      return;
    }
    writeTaskDispatch(rec);
    inferReuse(rec);
    if (!rec.ended.compareAndSet(false, true)) {
      return;
    }
    followed.inFlight.decrementAndGet();
    followed.callsInFlight.decrementAndGet();
    if (rec.watch != null) {
      open.ended(rec);
    }
    bodyReads.callEnded(rec);
    if (rec.flow != null) {
      rec.flow.callClosed(rec);
    }
    long now = spans.nanoTime();
    contents.finish(rec);
    if (error != null) {
      rec.span.setAttribute(Attr.ERROR_TYPE, error.getClass().getName());
      rec.span.setStatus(StatusCode.ERROR);
    } else if (rec.status >= 400) {
      rec.span.setAttribute(Attr.ERROR_TYPE, String.valueOf(rec.status));
      rec.span.setStatus(StatusCode.ERROR);
    }
    spans.end(rec.span, now);
    rec.span = Span.getInvalid();
  }

  /**
   * Ends a call the client never ended ({@link OpenResponses}): marked incomplete for {@code
   * reason}, ended where the application last used its response (at {@code now} if it never had
   * it), with the phases seen so far. False when it had ended meanwhile.
   */
  boolean endIncomplete(CallRecord rec, String reason, long now) {
    if (rec.ended.get()) {
      return false;
    }
    writeTaskDispatch(rec);
    inferReuse(rec);
    if (!rec.ended.compareAndSet(false, true)) {
      return false;
    }
    followed.inFlight.decrementAndGet();
    followed.callsInFlight.decrementAndGet();
    contents.finish(rec);
    long last = rec.lastUsedNanos;
    long end = last != 0 && last <= now ? last : now;
    Span span = rec.span;
    span.setAttribute(Attr.CALL_INCOMPLETE, reason);
    span.setAttribute(Attr.CALL_OPEN_AFTER_NANOS, now - end);
    if (rec.status >= 400) {
      span.setAttribute(Attr.ERROR_TYPE, String.valueOf(rec.status));
      span.setStatus(StatusCode.ERROR);
    }
    spans.end(span, end);
    rec.span = Span.getInvalid();
    return true;
  }

  void connectionLookup(boolean reused) {
    ThreadState ts = ThreadState.peek();
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

  Object decorate(Object call, Object argument) {
    return decorator == null ? argument : decorator.decorate(argument, call);
  }

  /**
   * The client runs its own work for {@code call} on {@code executor} (a JDK {@code HttpClient}
   * built with one): named on the call, so that a snapshot can tell a thread of that executor
   * blocked on the call from one of any other.
   */
  void callExecutor(Object call, Object executor) {
    CallRecord rec = (CallRecord) call;
    if (executor != null && !rec.ended.get()) {
      rec.span.setAttribute(Attr.CALL_EXECUTOR, poolName(executor));
    }
  }

  void callKey(Object call, Object key) {
    followed.callsByKey.put(key, (CallRecord) call);
  }

  void callPool(Object call, String kind, String name, int limit, int pendingLimit) {
    CallRecord rec = (CallRecord) call;
    if (rec.queueDecided) {
      return; // a later acquire of the same call (a redirect, a retry)
    }
    rec.queueDecided = true;
    if (rec.taskStartNanos != 0
        && rec.executorLimit > 0
        && (limit <= 0 || rec.executorLimit <= limit)) {
      // As in callQueued: an executor that admits no more calls at once than this pool is where
      // the call waits (RestTemplate on Reactor Netty fanned out on a small pool). Else the
      // executor's kind and name would sit beside the connection pool's limits.
      writeTaskDispatch(rec);
      return;
    }
    rec.taskStartNanos = 0;
    rec.queueKind = kind;
    rec.span.setAttribute(Attr.POOL_KIND, kind);
    rec.span.setAttribute(Attr.POOL_NAME, name);
    if (limit > 0) {
      // The limit is per remote address: the per-host limit of the contract.
      rec.span.setAttribute(Attr.POOL_LIMIT_PER_HOST, limit);
    }
    if (pendingLimit >= 0) {
      rec.span.setAttribute(Attr.POOL_PENDING_LIMIT, pendingLimit);
    }
  }

  void siteMark(Object key) {
    ThreadState ts = ThreadState.peek();
    if (ts == null || ts.flow == null) {
      return;
    }
    CodeSite f = CallSites.find();
    if (f != null) {
      followed.buildSites.put(key, f);
    }
  }

  void siteNext(Object key, boolean override) {
    ThreadState ts = ThreadState.peek();
    if (ts == null
        || ts.flow == null
        || followed.buildSites.isEmpty()
        || (!override && ts.pendingSite != null)) {
      return;
    }
    CodeSite f = followed.buildSites.get(key);
    if (f != null) {
      ts.pendingSite = f;
    }
  }

  // --- connection pools (Apache HttpClient) ---

  static final int NEW = 0;
  static final int REUSED = 1;
  static final int UNKNOWN = 2;

  /** A step of a call that a client's future or callback completes. */
  record Awaited(CallRecord call, String event) {}

  Object issuingCall() {
    ThreadState ts = ThreadState.peek();
    if (ts == null || ts.flow == null) {
      return null;
    }
    CallRecord rec = ts.issuing;
    return rec == null || rec.ended.get() ? null : rec;
  }

  void callRequest(Object call, String method, String url, String host, int port) {
    CallRecord rec = (CallRecord) call;
    Span span = rec.span;
    if (method != null && url != null) {
      contents.begin(rec, method, url);
      span.updateName(spanName(method, url));
      span.setAttribute(Attr.HTTP_REQUEST_METHOD, method);
      span.setAttribute(Attr.URL_FULL, urls.redactUrl(url));
    }
    if (host != null) {
      span.setAttribute(Attr.SERVER_ADDRESS, host);
    }
    if (port > 0) {
      span.setAttribute(Attr.SERVER_PORT, (long) port);
    }
  }

  /**
   * The call leased a connection: its queued phase ends (the first time: redirects and retries
   * lease again within the same call), and {@code connection} finds the call when it is released.
   */
  void callLeased(CallRecord rec, Object connection, int reuse) {
    if (rec.ended.get()) {
      return;
    }
    rec.pooled = true;
    rec.held = true;
    if (connection != null) {
      followed.callsByKey.put(connection, rec);
      if (rec.sync) {
        // The lease is what the application's response keeps: dropped, it becomes unreachable.
        open.prepare(rec, connection);
      }
    }
    callEvent(rec, Event.DISPATCHED);
    if (reuse != UNKNOWN && !rec.reuseKnown) {
      rec.reuseKnown = true;
      rec.acquiredSeen = true;
      rec.span.setAttribute(Attr.CONNECTION_REUSED, reuse == REUSED);
      if (reuse == REUSED) {
        spans.event(rec.span, Event.CONNECTION_ACQUIRED, Attributes.empty(), spans.nanoTime());
      }
    }
  }

  void callReleased(Object connection) {
    if (followed.callsByKey.isEmpty()) {
      return;
    }
    CallRecord rec = followed.callsByKey.remove(connection);
    if (rec == null || !rec.held) {
      return;
    }
    rec.releasedNanos = spans.nanoTime();
    rec.held = false;
    if (rec.sync && rec.issued && !rec.ended.get()) {
      callEvent(rec, Event.RESPONSE_BODY_DONE);
      endCall(rec, null);
    }
  }

  void callAwaits(Object call, Object key, String event) {
    CallRecord rec = (CallRecord) call;
    if (!rec.ended.get()) {
      followed.awaited.put(key, new Awaited(rec, event));
    }
  }

  void callAwaited(Object key, Object result) {
    if (followed.awaited.isEmpty()) {
      return;
    }
    Awaited a = followed.awaited.remove(key);
    if (a == null) {
      return;
    }
    if (Event.DISPATCHED.equals(a.event())) {
      // The lease's result is the connection: the client's connect step finds the call by it.
      callLeased(a.call(), result, UNKNOWN);
    } else {
      callEvent(a.call(), a.event());
    }
  }

  /**
   * A leased connection whose reuse the client did not say: reused unless the call connected before
   * its response came.
   */
  private static void inferReuse(CallRecord rec) {
    if (rec.pooled && !rec.reuseKnown) {
      rec.reuseKnown = true;
      rec.span.setAttribute(Attr.CONNECTION_REUSED, !rec.connectSeen);
    }
  }
}
