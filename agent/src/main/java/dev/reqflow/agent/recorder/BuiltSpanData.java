package dev.reqflow.agent.recorder;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.Collections;
import java.util.List;

/**
 * The data of a span recorded on the application's thread and built on an export thread ({@link
 * CallSpan}, {@link BlockSpan}), as the SDK's span data gives it: ids, times in epoch nanoseconds,
 * attributes, links, events, status, counts, the tracer's scope and resource.
 */
final class BuiltSpanData implements SpanData {

  /** What a span's data shares with the span: its ids, kind, start, and its tracer's scope. */
  record Identity(
      CallSpan.Scope scope,
      SpanContext context,
      SpanContext parent,
      SpanKind kind,
      long startEpochNanos) {}

  private final Identity id;
  private final String name;
  private final Attributes attributes;
  private final int totalAttributes;
  private final List<LinkData> links;
  private final int totalLinks;
  private final List<EventData> events;
  private final int totalEvents;
  private final StatusData status;
  private final long end;
  private final boolean ended;

  BuiltSpanData(
      Identity id,
      String name,
      Attributes attributes,
      int totalAttributes,
      List<LinkData> links,
      int totalLinks,
      List<EventData> events,
      int totalEvents,
      StatusData status,
      long end,
      boolean ended) {
    this.id = id;
    this.name = name;
    this.attributes = attributes;
    this.totalAttributes = totalAttributes;
    this.links = Collections.unmodifiableList(links);
    this.totalLinks = totalLinks;
    this.events = Collections.unmodifiableList(events);
    this.totalEvents = totalEvents;
    this.status = status;
    this.end = end;
    this.ended = ended;
  }

  /** The scope as the deprecated interface names it, from {@code scope}. */
  @SuppressWarnings("deprecation") // part of the interface, which the SDK still calls
  static InstrumentationLibraryInfo library(CallSpan.Scope scope) {
    InstrumentationScopeInfo s = scope.info();
    return InstrumentationLibraryInfo.create(s.getName(), s.getVersion(), s.getSchemaUrl());
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public SpanKind getKind() {
    return id.kind();
  }

  @Override
  public SpanContext getSpanContext() {
    return id.context();
  }

  @Override
  public SpanContext getParentSpanContext() {
    return id.parent();
  }

  @Override
  public StatusData getStatus() {
    return status;
  }

  @Override
  public long getStartEpochNanos() {
    return id.startEpochNanos();
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public List<EventData> getEvents() {
    return events;
  }

  @Override
  public List<LinkData> getLinks() {
    return links;
  }

  @Override
  public long getEndEpochNanos() {
    return end;
  }

  @Override
  public boolean hasEnded() {
    return ended;
  }

  @Override
  public int getTotalRecordedEvents() {
    return totalEvents;
  }

  @Override
  public int getTotalRecordedLinks() {
    return totalLinks;
  }

  @Override
  public int getTotalAttributeCount() {
    return totalAttributes;
  }

  @Override
  @SuppressWarnings("deprecation") // part of the interface
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return library(id.scope());
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return id.scope().info();
  }

  @Override
  public Resource getResource() {
    return id.scope().resource();
  }

  @Override
  public String toString() {
    return "SpanData{" + id.context() + ", " + name + ", " + attributes + "}";
  }
}
