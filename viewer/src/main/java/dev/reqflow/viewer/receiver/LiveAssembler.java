package dev.reqflow.viewer.receiver;

import com.google.protobuf.ByteString;
import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.AnalysisResult;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Flow;
import dev.reqflow.otlp.FlowAssembler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-assembles flows whose spans arrive in several requests. Spans are kept per trace, so that a
 * new batch re-assembles only the traces it touched; {@link #drain} returns those traces' flows,
 * analysed, and the caller replaces their earlier versions. Thread-safe.
 */
public final class LiveAssembler {
  private final Map<ByteString, FlowAssembler> traces = new HashMap<>();
  private final Set<ByteString> dirty = new LinkedHashSet<>();
  private long spans;

  /** Adds the spans of one request, split by trace. Returns how many spans it held. */
  public synchronized int add(ExportTraceServiceRequest request, String source) {
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
          traces.computeIfAbsent(e.getKey(), k -> new FlowAssembler()).add(part, source);
          dirty.add(e.getKey());
        }
      }
    }
    spans += count;
    return count;
  }

  /** Spans received so far. */
  public synchronized long spanCount() {
    return spans;
  }

  /** Flows of the traces changed since the last drain, analysed; empty when none changed. */
  public List<FlowReport> drain() {
    List<Flow> flows = new ArrayList<>();
    synchronized (this) {
      for (ByteString t : dirty) {
        flows.addAll(traces.get(t).build().flows());
      }
      dirty.clear();
    }
    if (flows.isEmpty()) {
      return List.of();
    }
    AnalysisResult result = Analysis.analyse(flows);
    return result.flows();
  }
}
