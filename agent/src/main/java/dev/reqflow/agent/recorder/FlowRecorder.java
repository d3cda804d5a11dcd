package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.SpanType;
import dev.reqflow.contract.TraceContract.ThreadRole;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.Set;

/** Flows (inbound requests, configured methods) and the sections inside them. */
final class FlowRecorder {
  private final SpanWriter spans;
  private final Followed followed;
  private final Urls urls;
  private final TraceParents parents = new TraceParents();
  private final Set<String> flowMethods;
  private final Set<String> sectionMethods;

  FlowRecorder(
      SpanWriter spans,
      Followed followed,
      Urls urls,
      Set<String> flowMethods,
      Set<String> sectionMethods) {
    this.spans = spans;
    this.followed = followed;
    this.urls = urls;
    this.flowMethods = Set.copyOf(flowMethods);
    this.sectionMethods = Set.copyOf(sectionMethods);
  }

  Object flowEnter(String name, String method, String path, String traceparent) {
    ThreadState ts = ThreadState.current();
    if (ts.flow != null) {
      return null;
    }
    int q = path == null ? -1 : path.indexOf('?');
    String query = q < 0 ? null : path.substring(q + 1);
    SpanBuilder b =
        flowBuilder(
            query == null ? name : name + urls.flowNameQuery(query), SpanKind.SERVER, traceparent);
    if (method != null) {
      b.setAttribute(Attr.HTTP_REQUEST_METHOD, method);
    }
    if (path != null) {
      b.setAttribute(Attr.URL_PATH, q < 0 ? path : path.substring(0, q));
      if (query != null) {
        b.setAttribute(Attr.URL_QUERY, urls.redactFlowQuery(query));
      }
    }
    return startFlow(ts, b);
  }

  private SpanBuilder flowBuilder(String name, SpanKind kind, String traceparent) {
    return spans
        .span(name, kind, parents.parentContext(traceparent), spans.nanoTime(), SpanType.FLOW)
        .setAttribute(Attr.FLOW_NAME, name)
        .setAttribute(Attr.THREAD_ROLE, ThreadRole.RENDER);
  }

  private Object startFlow(ThreadState ts, SpanBuilder b) {
    Span span = b.startSpan();
    followed.inFlight.incrementAndGet();
    FlowRecord flow = new FlowRecord(span, Thread.currentThread());
    ThreadState.Saved saved = ts.save();
    saved.payload = flow;
    ts.reset(flow, flow.context);
    ts.role = ThreadRole.RENDER;
    ts.workChanged();
    return saved;
  }

  void flowExit(Object token, int status, Throwable error) {
    ThreadState.Saved saved = (ThreadState.Saved) token;
    FlowRecord flow = (FlowRecord) saved.payload;
    long now = spans.nanoTime();
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
      spans.end(flow.span, now);
    } finally {
      flow.span = Span.getInvalid();
      followed.inFlight.decrementAndGet();
      ThreadState.current().restore(saved);
    }
  }

  Object methodEnter(String className, String methodName) {
    String key = className + "#" + methodName;
    ThreadState ts = ThreadState.current();
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
