package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.LinkType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything that touches the OpenTelemetry API when a span is written: builders with the
 * attributes every span of the contract carries, the call site, links, timestamps. The recorders
 * decide what to record; this class knows how it is spelled.
 */
final class SpanWriter {
  static final AttributeKey<String> LINK_TYPE = AttributeKey.stringKey(Attr.LINK_TYPE);
  static final Attributes WAITED_ON = Attributes.of(LINK_TYPE, LinkType.WAITED_ON);
  static final Attributes CALLBACK = Attributes.of(LINK_TYPE, LinkType.CALLBACK);
  static final Attributes AFTER_WAIT = Attributes.of(LINK_TYPE, LinkType.AFTER_WAIT);
  static final Attributes DATA = Attributes.of(LINK_TYPE, LinkType.DATA);
  static final AttributeKey<String> QUEUE_KIND = AttributeKey.stringKey(Attr.QUEUE_KIND);

  private final Tracer tracer;
  private final Clock clock;
  private final AtomicLong linksCut = new AtomicLong();

  /** Where the ends of undecided flows' spans wait for their flow's decision; null: none. */
  private volatile HeldSpans held;

  SpanWriter(Tracer tracer, Clock clock) {
    this.tracer = tracer;
    this.clock = clock;
  }

  long nanoTime() {
    return clock.nanoTime();
  }

  long epoch(long nanoTime) {
    return clock.toEpochNanos(nanoTime);
  }

  /** Spans that waited on, or followed, more calls than the link limit: links were cut. */
  long linksCut() {
    return linksCut.get();
  }

  /**
   * A span of {@code type} started at {@code startNanos} on the current thread, below {@code
   * parent}.
   */
  SpanBuilder span(String name, SpanKind kind, Context parent, long startNanos, String type) {
    return span(name, kind, parent, startNanos, type, Thread.currentThread());
  }

  /** As above, on thread {@code t}'s lane. */
  SpanBuilder span(
      String name, SpanKind kind, Context parent, long startNanos, String type, Thread t) {
    return span(name, kind, parent, startNanos, type, t.getId(), t.getName());
  }

  /** As above, for a span of another thread, written after the fact (its thread may be gone). */
  SpanBuilder span(
      String name,
      SpanKind kind,
      Context parent,
      long startNanos,
      String type,
      long threadId,
      String threadName) {
    return tracer
        .spanBuilder(name)
        .setSpanKind(kind)
        .setParent(parent)
        .setStartTimestamp(epoch(startNanos), TimeUnit.NANOSECONDS)
        .setAttribute(Keys.SPAN_TYPE, type)
        .setAttribute(Keys.THREAD_ID, threadId)
        .setAttribute(Keys.THREAD_NAME, threadName);
  }

  /**
   * {@code code.*} attributes of a frame; {@code file} may be null, {@code line} 0 when unknown.
   */
  static void site(SpanBuilder b, String function, String file, int line) {
    b.setAttribute(Keys.CODE_FUNCTION_NAME, function);
    if (file != null) {
      b.setAttribute(Keys.CODE_FILE_PATH, file);
    }
    if (line > 0) {
      b.setAttribute(Keys.CODE_LINE_NUMBER, (long) line);
    }
  }

  /** From now on, ends of spans of undecided flows go to {@code held} (see {@link HeldSpans}). */
  void hold(HeldSpans held) {
    this.held = held;
  }

  /** Ends {@code span} at {@code nanoTime}; held instead while its flow's sampling is undecided. */
  void end(Span span, long nanoTime) {
    HeldSpans h = held;
    if (h != null && h.hold(span, nanoTime)) {
      return;
    }
    endNow(span, nanoTime);
  }

  /** Ends {@code span} at {@code nanoTime}, whatever its flow's sampling. */
  void endNow(Span span, long nanoTime) {
    span.end(epoch(nanoTime), TimeUnit.NANOSECONDS);
  }

  void event(Span span, String name, Attributes attrs, long nanoTime) {
    span.addEvent(name, attrs, epoch(nanoTime), TimeUnit.NANOSECONDS);
  }

  /** The application's line that made the current call or wait, as {@code code.*} attributes. */
  static void site(SpanBuilder b) {
    site(b, CallSites.find());
  }

  /** {@code f} as the {@code code.*} attributes; nothing for null. */
  static void site(SpanBuilder b, CodeSite f) {
    if (f == null) {
      return;
    }
    site(b, f.function, f.file, f.line);
  }

  /** {@code e}, a frame sampled from another thread, as the {@code code.*} attributes. */
  static void site(SpanBuilder b, StackTraceElement e) {
    if (e == null) {
      return;
    }
    b.setAttribute(Attr.CODE_FUNCTION_NAME, e.getClassName() + "." + e.getMethodName());
    if (e.getFileName() != null) {
      b.setAttribute(Attr.CODE_FILE_PATH, e.getFileName());
    }
    if (e.getLineNumber() > 0) {
      b.setAttribute(Attr.CODE_LINE_NUMBER, e.getLineNumber());
    }
  }

  void addLinks(SpanBuilder b, CallRecord[] calls, Attributes type) {
    int n = Math.min(calls.length, CallSets.LINK_LIMIT);
    for (int i = 0; i < n; i++) {
      b.addLink(calls[i].context, type);
    }
    if (calls.length > CallSets.LINK_LIMIT) {
      linksCut.incrementAndGet();
    }
  }
}
