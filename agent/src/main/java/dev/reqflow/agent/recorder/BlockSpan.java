package dev.reqflow.agent.recorder;

import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.SpanType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A wait's block span, recorded on the application's thread and built on the export thread, as
 * {@link CallSpan} is: the hook keeps what it knew when the wait ended (its kind, the thread and
 * its role, the call site, what completed it when nothing recorded did, the calls that released it
 * and the calls the thread ran a callback for) and the span's ids; attributes and links are made
 * when an export thread asks for {@link #toSpanData()}, which for a flow {@code keep.slow} lets go
 * is never. A wait is written once it ended, so nothing is added afterwards: the methods that would
 * change a span do nothing. The data is what the SDK's span of the same wait held ({@code
 * BlockSpanTest}).
 *
 * <p>Bounded as the SDK's span is: it refers to the call records it links to (arrays the recorders
 * never change once made, {@link CallSets}) until its sinks exported or dropped it.
 */
final class BlockSpan implements Span, ReadableSpan {
  static final AttributeKey<String> BLOCK_KIND = AttributeKey.stringKey(Attr.BLOCK_KIND);
  static final AttributeKey<String> BLOCK_COMPLETED_BY =
      AttributeKey.stringKey(Attr.BLOCK_COMPLETED_BY);

  /** The SDK's default link limit. */
  private static final int MAX_LINKS = 128;

  /** What the wait's hook knew when it ended: all the span will say. */
  record Wait(
      String kind,
      String role,
      long threadId,
      String threadName,
      CodeSite site,
      String completedBy,
      CallRecord[] waitedOn,
      CallRecord[] callbacks) {}

  private final CallSpan.Scope scope;
  private final SpanContext context;
  private final SpanContext parent;
  private final long startEpochNanos;
  private final Wait wait;

  // Guarded by this.
  private long endEpochNanos;
  private boolean ended;
  private SpanData built;

  BlockSpan(
      CallSpan.Scope scope,
      SpanContext context,
      SpanContext parent,
      long startEpochNanos,
      Wait wait) {
    this.scope = scope;
    this.context = context;
    this.parent = parent;
    this.startEpochNanos = startEpochNanos;
    this.wait = wait;
  }

  // --- Span: nothing changes a wait's span once made; end hands it to its tracer's processor ---

  @Override
  public <T> Span setAttribute(AttributeKey<T> key, T value) {
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
    return this;
  }

  @Override
  public Span setStatus(StatusCode code, String description) {
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes additional) {
    return this;
  }

  @Override
  public Span updateName(String name) {
    return this;
  }

  @Override
  public void end() {
    end(TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()), TimeUnit.NANOSECONDS);
  }

  @Override
  public void end(long timestamp, TimeUnit unit) {
    synchronized (this) {
      if (ended) {
        return;
      }
      endEpochNanos = unit.toNanos(timestamp);
      ended = true;
    }
    scope.ended().accept(this);
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public boolean isRecording() {
    return !hasEnded();
  }

  // --- ReadableSpan: what the processors and exporters read, on the export thread ---

  @Override
  public SpanContext getParentSpanContext() {
    return parent;
  }

  @Override
  public String getName() {
    return "block " + wait.kind();
  }

  /** The span's data, built the first time an export thread asks once the span ended. */
  @Override
  public synchronized SpanData toSpanData() {
    if (built != null) {
      return built;
    }
    // In the order the SDK's builder got them (SpanWriter.span, then the wait's own).
    AttributesBuilder b = Attributes.builder();
    b.put(Keys.SPAN_TYPE, SpanType.BLOCK);
    b.put(Keys.THREAD_ID, wait.threadId());
    b.put(Keys.THREAD_NAME, wait.threadName());
    b.put(BLOCK_KIND, wait.kind());
    b.put(Keys.THREAD_ROLE, wait.role());
    CodeSite site = wait.site();
    if (site != null) {
      b.put(Keys.CODE_FUNCTION_NAME, site.function);
      if (site.file != null) {
        b.put(Keys.CODE_FILE_PATH, site.file);
      }
      if (site.line > 0) {
        b.put(Keys.CODE_LINE_NUMBER, (long) site.line);
      }
    }
    if (wait.completedBy() != null) {
      b.put(BLOCK_COMPLETED_BY, wait.completedBy());
    }
    Attributes attributes = b.build();
    List<LinkData> links = new ArrayList<>(2);
    int total = link(links, 0, wait.waitedOn(), SpanWriter.WAITED_ON);
    total = link(links, total, wait.callbacks(), SpanWriter.CALLBACK);
    SpanData data =
        new BuiltSpanData(
            new BuiltSpanData.Identity(scope, context, parent, SpanKind.INTERNAL, startEpochNanos),
            getName(),
            attributes,
            attributes.size(),
            links,
            total,
            List.of(),
            0,
            StatusData.unset(),
            ended ? endEpochNanos : 0,
            ended);
    if (ended) {
      built = data;
    }
    return data;
  }

  /**
   * Links to the first {@link CallSets#LINK_LIMIT} of {@code calls} (as the recorders' builders
   * added them; invalid contexts skipped as the SDK's builder skips them); returns the count so
   * far.
   */
  private static int link(List<LinkData> out, int total, CallRecord[] calls, Attributes type) {
    if (calls == null) {
      return total;
    }
    int n = Math.min(calls.length, CallSets.LINK_LIMIT);
    for (int i = 0; i < n; i++) {
      SpanContext c = calls[i].context;
      if (c == null || !c.isValid()) {
        continue;
      }
      if (out.size() < MAX_LINKS) {
        out.add(LinkData.create(c, type, type.size()));
      }
      total++;
    }
    return total;
  }

  @Override
  @SuppressWarnings("deprecation") // part of the interface, which the SDK still calls
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return BuiltSpanData.library(scope);
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope.info();
  }

  @Override
  public synchronized boolean hasEnded() {
    return ended;
  }

  @Override
  public synchronized long getLatencyNanos() {
    return (ended ? endEpochNanos : TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()))
        - startEpochNanos;
  }

  @Override
  public SpanKind getKind() {
    return SpanKind.INTERNAL;
  }

  @Override
  public <T> T getAttribute(AttributeKey<T> key) {
    return toSpanData().getAttributes().get(key);
  }

  @Override
  public Attributes getAttributes() {
    return toSpanData().getAttributes();
  }

  @Override
  public String toString() {
    return "BlockSpan{" + context + ", " + getName() + "}";
  }
}
