package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.CallMode;
import dev.reqflow.contract.TraceContract.Client;
import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.contract.TraceContract.PoolKind;
import dev.reqflow.contract.TraceContract.SpanType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.CompletableFuture;

/**
 * Outbound calls: issued when the application asked (or when it submitted the task that made the
 * call), their phases as the client reports them, ended when the response is complete.
 */
final class CallRecorder {
  private final SpanWriter spans;
  private final Followed followed;
  private final Urls urls;
  private final Recorder.BodyHandlerDecorator decorator;

  CallRecorder(
      SpanWriter spans, Followed followed, Urls urls, Recorder.BodyHandlerDecorator decorator) {
    this.spans = spans;
    this.followed = followed;
    this.urls = urls;
    this.decorator = decorator;
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
    SpanBuilder b =
        spans
            .span(method + " " + Urls.pathOf(url), SpanKind.CLIENT, ts.parent, start, SpanType.CALL)
            .setAttribute(Attr.CALL_CLIENT, client)
            .setAttribute(Attr.CALL_MODE, sync ? CallMode.SYNC : CallMode.ASYNC)
            .setAttribute(Attr.HTTP_REQUEST_METHOD, method)
            .setAttribute(Attr.URL_FULL, urls.redactUrl(url))
            .setAttribute(Attr.THREAD_ROLE, ts.role());
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
      spans.addLinks(b, ts.cause, SpanWriter.CALLBACK);
    } else if (ts.lastWaited != null) {
      spans.addLinks(b, ts.lastWaited, SpanWriter.AFTER_WAIT);
    }
    SpanWriter.site(b);
    Span span = b.startSpan();
    if (fromTask) {
      spans.event(
          span,
          Event.DISPATCHED,
          Attributes.of(SpanWriter.QUEUE_KIND, PoolKind.EXECUTOR),
          Math.max(start, scope.startNanos));
    }
    CallRecord rec = new CallRecord(span, ts.flow, client, sync);
    followed.inFlight.incrementAndGet();
    ts.issuing = rec;
    WorkLog.call(rec);
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
      followed.callFutures.put(cf, rec);
      followed.futureCalls.put(
          cf, CallSets.union(followed.futureCalls.get(cf), new CallRecord[] {rec}));
      if (cf.isDone() && followed.callFutures.remove(cf) != null) {
        finishAsyncCall(rec, cf);
      }
    }
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
        if (rec.queueKind != null) {
          attrs = Attributes.of(SpanWriter.QUEUE_KIND, rec.queueKind);
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
    spans.event(rec.span, event, attrs, now);
  }

  void callQueued(Object call, String queueKind, int limit, int perHostLimit) {
    CallRecord rec = (CallRecord) call;
    rec.queueKind = queueKind;
    rec.span.setAttribute(Attr.POOL_KIND, queueKind);
    rec.span.setAttribute(Attr.POOL_NAME, "okhttp-dispatcher");
    rec.span.setAttribute(Attr.POOL_LIMIT, limit);
    rec.span.setAttribute(Attr.POOL_LIMIT_PER_HOST, perHostLimit);
  }

  void callStatus(Object call, int status) {
    CallRecord rec = (CallRecord) call;
    rec.status = status;
    rec.span.setAttribute(Attr.HTTP_RESPONSE_STATUS_CODE, status);
  }

  void endCall(CallRecord rec, Throwable error) {
    if (!rec.ended.compareAndSet(false, true)) {
      return;
    }
    followed.inFlight.decrementAndGet();
    long now = spans.nanoTime();
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
}
