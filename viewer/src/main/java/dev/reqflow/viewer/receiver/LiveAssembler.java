package dev.reqflow.viewer.receiver;

import com.google.protobuf.ByteString;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Flow;
import dev.reqflow.otlp.FlowAssembler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-assembles flows whose spans arrive in several requests. Spans are kept per trace, so that a
 * new batch re-assembles only the traces it touched; {@link #drain} returns those traces' flows,
 * analysed, and the caller replaces their earlier versions. Thread-safe; one thread drains.
 */
public final class LiveAssembler {
  private final Map<ByteString, FlowAssembler> traces = new ConcurrentHashMap<>();
  private final Set<ByteString> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicLong spans = new AtomicLong();

  /**
   * Adds the spans of one request, split by trace. Requests are decoded in parallel; only spans of
   * the same trace wait for each other. Returns how many spans the request held.
   */
  public int add(ExportTraceServiceRequest request, String source) {
    int count = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        Map<ByteString, List<Span>> byTrace = new LinkedHashMap<>();
        for (Span s : ss.getSpansList()) {
          byTrace.computeIfAbsent(s.getTraceId(), k -> new ArrayList<>()).add(s);
          count++;
        }
        for (Map.Entry<ByteString, List<Span>> e : byTrace.entrySet()) {
          ExportTraceServiceRequest part =
              ExportTraceServiceRequest.newBuilder()
                  .addResourceSpans(
                      ResourceSpans.newBuilder()
                          .setResource(rs.getResource())
                          .setSchemaUrl(rs.getSchemaUrl())
                          .addScopeSpans(
                              ScopeSpans.newBuilder()
                                  .setScope(ss.getScope())
                                  .setSchemaUrl(ss.getSchemaUrl())
                                  .addAllSpans(e.getValue())))
                  .build();
          FlowAssembler trace = traces.computeIfAbsent(e.getKey(), k -> new FlowAssembler());
          synchronized (trace) {
            trace.add(part, source);
          }
          dirty.add(e.getKey());
        }
      }
    }
    spans.addAndGet(count);
    return count;
  }

  /** Spans received so far. */
  public long spanCount() {
    return spans.get();
  }

  /** Flows of the traces changed since the last drain, analysed; empty when none changed. */
  public List<FlowReport> drain() {
    List<Flow> flows = new ArrayList<>();
    for (java.util.Iterator<ByteString> it = dirty.iterator(); it.hasNext(); ) {
      ByteString t = it.next();
      it.remove();
      FlowAssembler trace = traces.get(t);
      synchronized (trace) {
        flows.addAll(trace.build().flows());
      }
    }
    if (flows.isEmpty()) {
      return List.of();
    }
    return dev.reqflow.viewer.files.FileLoader.analyse(flows);
  }
}
