package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.LinkType;
import dev.reqflow.contract.TraceContract.SpanType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.internal.ImmutableSpanContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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

  /**
   * What call spans built off the application's thread need ({@link CallSpan}); null until {@link
   * #endedSpans} is given where ended spans go: calls are then spans of the SDK, built at once.
   */
  private volatile CallSpan.Scope callScope;

  private static final IdGenerator IDS = IdGenerator.random();

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
   * From now on call spans are {@link CallSpan}s, handed when they end to {@code ended}: the
   * processor that counts and exports ended spans (the one the SDK's spans of this tracer end in).
   * Their instrumentation scope and resource are those of this tracer's spans, read once from a
   * span started for the purpose and never ended (so never exported). Nothing changes when this
   * tracer's spans are not the SDK's.
   */
  void endedSpans(Consumer<ReadableSpan> ended) {
    Span probe = tracer.spanBuilder("reqflow.scope").setNoParent().startSpan();
    if (ended != null && probe instanceof ReadableSpan) {
      ReadableSpan r = (ReadableSpan) probe;
      callScope =
          new CallSpan.Scope(r.getInstrumentationScopeInfo(), r.toSpanData().getResource(), ended);
    }
  }

  /**
   * A call's span, started at {@code startNanos} below {@code parent} with the links to {@code
   * linked} (of {@code linkType}): a {@link CallSpan}, whose attributes are made on the export
   * thread, once {@link #endedSpans} was given; else, or below a parent the sampler would leave out
   * (the SDK's default sampler follows a parent's decision), the SDK's span, built now.
   */
  Span startCall(
      String name,
      Context parent,
      long startNanos,
      CallSpan.Start start,
      CallRecord[] linked,
      Attributes linkType) {
    CallSpan.Scope scope = callScope;
    Context p = parent == null ? Context.current() : parent;
    SpanContext parentContext = Span.fromContext(p).getSpanContext();
    if (scope == null || (parentContext.isValid() && !parentContext.isSampled())) {
      SpanBuilder b =
          tracer
              .spanBuilder(name)
              .setSpanKind(SpanKind.CLIENT)
              .setParent(p)
              .setStartTimestamp(epoch(startNanos), TimeUnit.NANOSECONDS);
      start.setAll(b);
      if (linked != null) {
        addLinks(b, linked, linkType);
      }
      return b.startSpan();
    }
    CallSpan span =
        new CallSpan(scope, child(parentContext), parentContext, name, epoch(startNanos), start);
    if (linked != null) {
      int n = Math.min(linked.length, CallSets.LINK_LIMIT);
      for (int i = 0; i < n; i++) {
        span.startLink(linked[i].context, linkType);
      }
      if (linked.length > CallSets.LINK_LIMIT) {
        linksCut.incrementAndGet();
      }
    }
    return span;
  }

  /**
   * A new span's context below {@code parent} (a new trace when it is not valid), as the SDK makes
   * its spans' contexts: ids it generated itself are not checked again (the check of two hex
   * strings was a tenth of a recorded call).
   */
  private static SpanContext child(SpanContext parent) {
    return ImmutableSpanContext.create(
        parent.isValid() ? parent.getTraceId() : IDS.generateTraceId(),
        IDS.generateSpanId(),
        TraceFlags.getSampled(),
        parent.getTraceState(),
        false,
        true);
  }

  /**
   * A wait's block span below {@code parent}, from {@code startNanos}: a {@link BlockSpan}, whose
   * attributes and links are made on the export thread, once {@link #endedSpans} was given; else,
   * or below a parent the sampler would leave out, the SDK's span, built now. Not ended.
   */
  Span startBlock(Context parent, long startNanos, BlockSpan.Wait w) {
    CallSpan.Scope scope = callScope;
    SpanContext parentContext =
        Span.fromContext(parent == null ? Context.current() : parent).getSpanContext();
    if (scope == null || (parentContext.isValid() && !parentContext.isSampled())) {
      SpanBuilder b =
          span(
                  "block " + w.kind(),
                  SpanKind.INTERNAL,
                  parent,
                  startNanos,
                  SpanType.BLOCK,
                  w.threadId(),
                  w.threadName())
              .setAttribute(BlockSpan.BLOCK_KIND, w.kind())
              .setAttribute(Keys.THREAD_ROLE, w.role());
      site(b, w.site());
      if (w.completedBy() != null) {
        b.setAttribute(BlockSpan.BLOCK_COMPLETED_BY, w.completedBy());
      }
      if (w.waitedOn() != null) {
        addLinks(b, w.waitedOn(), WAITED_ON);
      }
      if (w.callbacks() != null) {
        addLinks(b, w.callbacks(), CALLBACK);
      }
      return b.startSpan();
    }
    countCut(w.waitedOn());
    countCut(w.callbacks());
    return new BlockSpan(scope, child(parentContext), parentContext, epoch(startNanos), w);
  }

  private void countCut(CallRecord[] calls) {
    if (calls != null && calls.length > CallSets.LINK_LIMIT) {
      linksCut.incrementAndGet();
    }
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
    // Walked from here, not through CallSites.find: one frame fewer to fill (CallSites.WALKER).
    site(b, CallSites.WALKER.walk(CallSites.FIND));
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
