package dev.reqflow.viewer.flows;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every flow the viewer holds, analysed, keyed by trace and span id so that a flow re-assembled
 * from a later batch replaces its earlier, partial self. Grouped by endpoint (the flow's name) for
 * the list. Confined to the FX thread; loaders and the receiver hand it batches through {@code
 * Platform.runLater}.
 */
public final class FlowStore {
  private final Map<String, FlowReport> byKey = new LinkedHashMap<>();
  private final Map<String, Map<String, FlowReport>> byEndpoint = new TreeMap<>();
  private final Map<String, java.util.Set<String>> byTrace = new java.util.HashMap<>();
  private final List<Runnable> listeners = new ArrayList<>();
  private long version;

  public static String key(Flow f) {
    return f.traceId() + "/" + f.spanId();
  }

  public void addListener(Runnable r) {
    listeners.add(r);
  }

  /** Adds or replaces flows, then tells the listeners once. */
  public void addAll(Collection<FlowReport> reports) {
    if (reports.isEmpty()) {
      return;
    }
    for (FlowReport r : reports) {
      String k = key(r.flow());
      FlowReport old = byKey.put(k, r);
      if (old != null && !endpoint(old.flow()).equals(endpoint(r.flow()))) {
        byEndpoint.get(endpoint(old.flow())).remove(k);
      }
      byTrace.computeIfAbsent(r.flow().traceId(), t -> new java.util.HashSet<>()).add(k);
      byEndpoint.computeIfAbsent(endpoint(r.flow()), e -> new LinkedHashMap<>()).put(k, r);
    }
    version++;
    for (Runnable l : listeners) {
      l.run();
    }
  }

  /**
   * Replaces everything known of the reports' traces with them: a trace re-assembled after a later
   * batch may have lost a provisional flow (spans whose flow span had not arrived yet form one of
   * their own), which must go.
   */
  public void replaceTraces(Collection<FlowReport> reports) {
    if (reports.isEmpty()) {
      return;
    }
    java.util.Set<String> traces = new java.util.HashSet<>();
    for (FlowReport r : reports) {
      traces.add(r.flow().traceId());
    }
    for (String trace : traces) {
      java.util.Set<String> keys = byTrace.remove(trace);
      if (keys == null) {
        continue;
      }
      for (String k : keys) {
        FlowReport old = byKey.remove(k);
        if (old != null) {
          Map<String, FlowReport> ep = byEndpoint.get(endpoint(old.flow()));
          if (ep != null) {
            ep.remove(k);
            if (ep.isEmpty()) {
              byEndpoint.remove(endpoint(old.flow()));
            }
          }
        }
      }
    }
    addAll(reports);
  }

  /** Endpoint name of a flow: its name, or a placeholder for unnamed flows. */
  public static String endpoint(Flow f) {
    return f.name().isEmpty() ? "(unnamed)" : f.name();
  }

  public int size() {
    return byKey.size();
  }

  /** Increases with every change; views compare it to skip work when nothing changed. */
  public long version() {
    return version;
  }

  public FlowReport get(String key) {
    return byKey.get(key);
  }

  /** Endpoint names, sorted. */
  public List<String> endpoints() {
    return List.copyOf(byEndpoint.keySet());
  }

  /** Flows of one endpoint, in arrival order. */
  public List<FlowReport> flowsOf(String endpoint) {
    Map<String, FlowReport> m = byEndpoint.get(endpoint);
    return m == null ? List.of() : List.copyOf(m.values());
  }
}
