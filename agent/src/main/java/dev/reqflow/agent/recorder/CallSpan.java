package dev.reqflow.agent.recorder;

import dev.reqflow.agent.content.CallContent;
import dev.reqflow.agent.content.KeyedHash;
import dev.reqflow.contract.TraceContract.Attr;
import dev.reqflow.contract.TraceContract.CallMode;
import dev.reqflow.contract.TraceContract.PoolKind;
import dev.reqflow.contract.TraceContract.SpanType;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A call's span, recorded cheaply on the application's thread and built on the export thread (the
 * JDK Flight Recorder's model): the hook keeps what it was given (method, URL as the client had it,
 * host, port, the call site, the thread) and the span's ids, which links and {@code traceparent}
 * need at once; the attributes, the redacted {@code url.full} among them, are made when an export
 * thread asks for {@link #toSpanData()}. What comes later (attributes, events, links, status, end)
 * is kept as the SDK's span would keep it, and the data built is the same as the SDK's span of the
 * same calls would give: the same attributes, events, links, counts, scope and resource.
 *
 * <p>Bounded as the SDK's spans are: the raw fields are references to what the application had
 * already; an ended span lives until its sinks' bounded queues exported or dropped it (or its
 * flow's sampling let it go, {@link HeldSpans}). The raw URL, query values included, stays in the
 * process: only its redaction leaves it.
 */
final class CallSpan implements Span, ReadableSpan {

  /** What the spans of this tracer share: from the SDK, once (see {@link SpanWriter}). */
  record Scope(InstrumentationScopeInfo info, Resource resource, Consumer<ReadableSpan> ended) {}

  /** What the hook gave when the call was issued, made into attributes only at export. */
  record Start(
      String client,
      String role,
      String method,
      String url,
      String host,
      int port,
      String poolName,
      int poolLimit,
      Object executor,
      boolean fromTask,
      boolean sync,
      CodeSite site,
      long threadId,
      String threadName,
      Urls urls) {

    /** The attributes the call's span starts with, in the order the SDK's span got them. */
    void putAll(AttributesBuilder b) {
      b.put(Keys.SPAN_TYPE, SpanType.CALL);
      b.put(Keys.THREAD_ID, threadId);
      b.put(Keys.THREAD_NAME, threadName);
      b.put(Keys.CALL_CLIENT, client);
      b.put(Keys.THREAD_ROLE, role);
      if (method != null) {
        b.put(Keys.HTTP_REQUEST_METHOD, method);
      }
      if (url != null) {
        b.put(Keys.URL_FULL, urls.redactUrl(url));
      }
      if (host != null) {
        b.put(Keys.SERVER_ADDRESS, host);
      }
      if (port > 0) {
        b.put(Keys.SERVER_PORT, (long) port);
      }
      if (fromTask) {
        b.put(POOL_KIND, PoolKind.EXECUTOR);
        b.put(POOL_NAME, poolName);
        if (poolLimit > 0) {
          b.put(POOL_LIMIT, (long) poolLimit);
        }
        CodeSite created = ExecutorSites.ALL.of(executor);
        if (created != null) {
          b.put(POOL_CODE_FUNCTION_NAME, created.function);
          if (created.file != null) {
            b.put(POOL_CODE_FILE_PATH, created.file);
          }
          if (created.line > 0) {
            b.put(POOL_CODE_LINE_NUMBER, (long) created.line);
          }
        }
      }
      b.put(Keys.CALL_MODE, sync ? CallMode.SYNC : CallMode.ASYNC);
      if (site != null) {
        b.put(Keys.CODE_FUNCTION_NAME, site.function);
        if (site.file != null) {
          b.put(Keys.CODE_FILE_PATH, site.file);
        }
        if (site.line > 0) {
          b.put(Keys.CODE_LINE_NUMBER, (long) site.line);
        }
      }
    }

    /** As {@link #putAll}, on a builder of the SDK: the span started at once, on this thread. */
    void setAll(SpanBuilder b) {
      AttributesBuilder a = Attributes.builder();
      putAll(a);
      a.build().forEach((k, v) -> put(b, k, v));
    }

    @SuppressWarnings("unchecked")
    private static void put(SpanBuilder b, AttributeKey<?> k, Object v) {
      b.setAttribute((AttributeKey<Object>) k, v);
    }
  }

  private static final AttributeKey<String> POOL_KIND = AttributeKey.stringKey(Attr.POOL_KIND);
  private static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey(Attr.POOL_NAME);
  private static final AttributeKey<Long> POOL_LIMIT = AttributeKey.longKey(Attr.POOL_LIMIT);
  private static final AttributeKey<String> POOL_CODE_FUNCTION_NAME =
      AttributeKey.stringKey(Attr.POOL_CODE_FUNCTION_NAME);
  private static final AttributeKey<String> POOL_CODE_FILE_PATH =
      AttributeKey.stringKey(Attr.POOL_CODE_FILE_PATH);
  private static final AttributeKey<Long> POOL_CODE_LINE_NUMBER =
      AttributeKey.longKey(Attr.POOL_CODE_LINE_NUMBER);

  /** The SDK's default span limits: no span of the contract comes near them. */
  private static final int MAX_LINKS = 128;

  private static final int MAX_EVENTS = 128;

  private final Scope scope;
  private final SpanContext context;
  private final SpanContext parent;
  private final long startEpochNanos;
  private final Start start;

  // Guarded by this: what came after the start, as the SDK's span keeps it.
  private String name;
  private Map<AttributeKey<?>, Object> later;
  private int laterCount;
  private List<LinkData> links;
  private int totalLinks;
  private List<EventData> events;
  private int totalEvents;
  private StatusData status = StatusData.unset();
  private long endEpochNanos;
  private boolean ended;

  /**
   * Set when the request hash is to be made at export: of {@code hashMethod} and {@code hashUrl}.
   */
  private KeyedHash hash;

  private String hashMethod;
  private String hashUrl;
  private SpanData built;

  CallSpan(
      Scope scope,
      SpanContext context,
      SpanContext parent,
      String name,
      long startEpochNanos,
      Start start) {
    this.scope = scope;
    this.context = context;
    this.parent = parent;
    this.name = name;
    this.startEpochNanos = startEpochNanos;
    this.start = start;
  }

  // --- Span: what the recorders write while the call runs ---

  @Override
  public synchronized <T> Span setAttribute(AttributeKey<T> key, T value) {
    if (ended || key == null || key.getKey().isEmpty() || value == null) {
      return this;
    }
    if (later == null) {
      later = new LinkedHashMap<>();
    }
    later.put(key, value);
    laterCount++;
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    return addEvent(
        name,
        attributes,
        TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()),
        TimeUnit.NANOSECONDS);
  }

  /**
   * The request hash ({@code reqflow.request.hash}) of a request without a body: computed when the
   * span's data is built, the same value {@code CallContent.requestHash()} would give now. Counted
   * as an attribute set now, as {@code setAttribute} would.
   */
  synchronized void requestHash(KeyedHash hash, String method, String url) {
    if (ended || hash == null) {
      return;
    }
    this.hash = hash;
    this.hashMethod = method;
    this.hashUrl = url;
    laterCount++;
  }

  @Override
  public synchronized Span addEvent(
      String name, Attributes attributes, long timestamp, TimeUnit unit) {
    if (ended || name == null) {
      return this;
    }
    Attributes a = attributes == null ? Attributes.empty() : attributes;
    if (events == null) {
      events = new ArrayList<>(4);
    }
    if (events.size() < MAX_EVENTS) {
      events.add(EventData.create(unit.toNanos(timestamp), name, a, a.size()));
    }
    totalEvents++;
    return this;
  }

  @Override
  public synchronized Span addLink(SpanContext linked, Attributes attributes) {
    if (ended || linked == null || !linked.isValid()) {
      return this;
    }
    link(linked, attributes);
    return this;
  }

  /** A link given as the call started (the SDK's builder's). */
  synchronized void startLink(SpanContext linked, Attributes attributes) {
    if (linked != null && linked.isValid()) {
      link(linked, attributes);
    }
  }

  private void link(SpanContext linked, Attributes attributes) {
    Attributes a = attributes == null ? Attributes.empty() : attributes;
    if (links == null) {
      links = new ArrayList<>(2);
    }
    if (links.size() < MAX_LINKS) {
      links.add(LinkData.create(linked, a, a.size()));
    }
    totalLinks++;
  }

  @Override
  public synchronized Span setStatus(StatusCode code, String description) {
    if (ended
        || code == null
        || status.getStatusCode() == StatusCode.OK
        || code == StatusCode.UNSET) {
      return this;
    }
    status = StatusData.create(code, description);
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes additional) {
    return this; // the recorders write error.type, never an exception event
  }

  @Override
  public synchronized Span updateName(String name) {
    if (!ended && name != null) {
      this.name = name;
    }
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
  public synchronized String getName() {
    return name;
  }

  /**
   * The span's data: built here, on the thread that asks (an export thread), the first time it is
   * asked once the span ended; as it is now while it runs (a snapshot's view).
   */
  @Override
  public synchronized SpanData toSpanData() {
    if (built != null) {
      return built;
    }
    AttributesBuilder b = Attributes.builder();
    start.putAll(b);
    int startCount = b.build().size();
    if (hash != null) {
      b.put(
          Keys.REQUEST_HASH,
          ContentRecorder.hex16(CallContent.requestHash(hash, hashMethod, hashUrl)));
    }
    if (later != null) {
      for (Map.Entry<AttributeKey<?>, Object> e : later.entrySet()) {
        putLater(b, e.getKey(), e.getValue());
      }
    }
    SpanData data =
        new BuiltSpanData(
            // Made here, not on the application's thread with the span: an object less there.
            new BuiltSpanData.Identity(scope, context, parent, SpanKind.CLIENT, startEpochNanos),
            name,
            b.build(),
            startCount + laterCount,
            links == null ? List.of() : List.copyOf(links),
            totalLinks,
            events == null ? List.of() : List.copyOf(events),
            totalEvents,
            status,
            ended ? endEpochNanos : 0,
            ended);
    if (ended) {
      built = data;
    }
    return data;
  }

  @SuppressWarnings("unchecked")
  private static void putLater(AttributesBuilder b, AttributeKey<?> k, Object v) {
    b.put((AttributeKey<Object>) k, v);
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
    return SpanKind.CLIENT;
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
    return "CallSpan{" + context + ", " + getName() + "}";
  }
}
