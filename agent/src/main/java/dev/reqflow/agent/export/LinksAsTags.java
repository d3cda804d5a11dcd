package dev.reqflow.agent.export;

import dev.reqflow.contract.TraceContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Zipkin's span model has no links, and the SDK's Zipkin exporter drops them; reqflow's links say
 * what a wait waited on (a call, a lock holder). Kept as one tag per span, {@value #TAG}: a list of
 * {@code TRACEID-SPANID TYPE} (the {@code reqflow.link.type}, or {@code -} when it has none), in
 * the order of the links. Spans without links pass unchanged.
 */
final class LinksAsTags implements SpanExporter {
  static final String TAG = "reqflow.links";
  private static final AttributeKey<List<String>> KEY = AttributeKey.stringArrayKey(TAG);
  private static final AttributeKey<String> TYPE =
      AttributeKey.stringKey(TraceContract.Attr.LINK_TYPE);

  private final SpanExporter delegate;

  LinksAsTags(SpanExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    List<SpanData> out = new ArrayList<>(spans.size());
    for (SpanData s : spans) {
      out.add(s.getLinks().isEmpty() ? s : withLinkTags(s));
    }
    return delegate.export(out);
  }

  static SpanData withLinkTags(SpanData span) {
    List<String> links = new ArrayList<>(span.getLinks().size());
    for (LinkData l : span.getLinks()) {
      SpanContext c = l.getSpanContext();
      String type = l.getAttributes().get(TYPE);
      links.add(c.getTraceId() + "-" + c.getSpanId() + " " + (type == null ? "-" : type));
    }
    Attributes attributes = span.getAttributes().toBuilder().put(KEY, links).build();
    return new DelegatingSpanData(span) {
      @Override
      public Attributes getAttributes() {
        return attributes;
      }

      @Override
      public int getTotalAttributeCount() {
        return span.getTotalAttributeCount() + 1;
      }
    };
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
