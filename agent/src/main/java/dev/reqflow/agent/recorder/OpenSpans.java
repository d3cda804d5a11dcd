package dev.reqflow.agent.recorder;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * A span that has not ended, as it is now, ended at a given time with extra attributes: what a
 * snapshot exports of a flow or call in progress, under the span id its final span will have. The
 * span itself is left as it is: it goes on and ends as usual.
 */
final class OpenSpans {
  private OpenSpans() {}

  /**
   * The view of {@code span} as it is now, ending at {@code endEpochNanos}, with {@code extra}
   * added to its attributes; null when it is not a span of the SDK or has ended already.
   */
  static ReadableSpan view(Span span, long endEpochNanos, Attributes extra) {
    if (!(span instanceof ReadableSpan)) {
      return null;
    }
    ReadableSpan open = (ReadableSpan) span;
    if (open.hasEnded()) {
      return null;
    }
    SpanData now = open.toSpanData();
    if (now.hasEnded()) {
      return null;
    }
    long end = Math.max(endEpochNanos, now.getStartEpochNanos());
    return new View(
        open, new Ended(now, end, now.getAttributes().toBuilder().putAll(extra).build()));
  }

  /** The data as it is now, ended at the snapshot. */
  private static final class Ended extends DelegatingSpanData {
    private final long end;
    private final Attributes attributes;

    Ended(SpanData delegate, long end, Attributes attributes) {
      super(delegate);
      this.end = end;
      this.attributes = attributes;
    }

    @Override
    public long getEndEpochNanos() {
      return end;
    }

    @Override
    public boolean hasEnded() {
      return true;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
      return Math.max(super.getTotalAttributeCount(), attributes.size());
    }
  }

  /** What a span processor needs of an ended span, over {@link Ended}. */
  private static final class View implements ReadableSpan {
    private final ReadableSpan open;
    private final SpanData data;

    View(ReadableSpan open, SpanData data) {
      this.open = open;
      this.data = data;
    }

    @Override
    public SpanContext getSpanContext() {
      return data.getSpanContext();
    }

    @Override
    public SpanContext getParentSpanContext() {
      return data.getParentSpanContext();
    }

    @Override
    public String getName() {
      return data.getName();
    }

    @Override
    public SpanData toSpanData() {
      return data;
    }

    @Override
    @SuppressWarnings("deprecation") // part of the interface, which the SDK still calls
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
      return open.getInstrumentationLibraryInfo();
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return data.getInstrumentationScopeInfo();
    }

    @Override
    public boolean hasEnded() {
      return true;
    }

    @Override
    public long getLatencyNanos() {
      return data.getEndEpochNanos() - data.getStartEpochNanos();
    }

    @Override
    public SpanKind getKind() {
      return data.getKind();
    }

    @Override
    public <T> T getAttribute(AttributeKey<T> key) {
      return data.getAttributes().get(key);
    }

    @Override
    public Attributes getAttributes() {
      return data.getAttributes();
    }
  }
}
