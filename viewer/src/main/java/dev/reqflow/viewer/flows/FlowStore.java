package dev.reqflow.viewer.flows;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every flow the viewer holds, analysed, per source: {@link #LIVE} (the receiver) and each opened
 * file, kept apart so that opening a file never changes the live endpoints' counts and a source can
 * be cleared. Within a source, flows are keyed by trace and span id, so that a flow re-assembled
 * from a later batch replaces its earlier, partial self. Grouped by source and endpoint (the flow's
 * name) for the list. Flows whose suggestions are still being computed are marked pending. Confined
 * to the FX thread; loaders and the receiver hand it batches through {@code Platform.runLater}.
 */
public final class FlowStore {
  /** The source of flows received over OTLP. */
  public static final String LIVE = "live";

  private static final char SEP = '\u0000';

  private final Map<String, FlowReport> byKey = new LinkedHashMap<>();
  private final Map<String, Map<String, FlowReport>> byGroup = new TreeMap<>();
  private final Map<String, Set<String>> byTrace = new HashMap<>();

  /**
   * Store keys of the flows run below a span, by {@code traceId/parentSpanId}, every source
   * together: the flows another service ran for a call (its agent got the call's trace context), so
   * that showing a flow finds its callees without a pass over the store.
   */
  private final Map<String, Set<String>> byParent = new HashMap<>();

  private final Map<FlowReport, String> sourceOf = new IdentityHashMap<>();
  private final Map<String, Integer> sources = new LinkedHashMap<>();
  private final Set<String> pending = new HashSet<>();
  private final List<Runnable> listeners = new ArrayList<>();
  private long version;

  /**
   * Changes of each group's flows, counted: what was computed of a group is current while equal.
   */
  private final Map<String, Long> groupVersions = new HashMap<>();

  /** A flow's identity within a source: trace id / span id. */
  public static String key(Flow f) {
    return f.traceId() + "/" + f.spanId();
  }

  /** A flow's identity in the store: its source and {@link #key(Flow)}. */
  public static String key(String source, Flow f) {
    return source + SEP + key(f);
  }

  /** The group (list row) of a source's endpoint. */
  public static String group(String source, String endpoint) {
    return source + SEP + endpoint;
  }

  /** The source part of a group or store key. */
  public static String sourceOfGroup(String group) {
    int i = group.indexOf(SEP);
    return i < 0 ? LIVE : group.substring(0, i);
  }

  /** The endpoint part of a group. */
  public static String endpointOfGroup(String group) {
    int i = group.indexOf(SEP);
    return i < 0 ? group : group.substring(i + 1);
  }

  public void addListener(Runnable r) {
    listeners.add(r);
  }

  /** Adds or replaces live flows. */
  public void addAll(Collection<FlowReport> reports) {
    addAll(LIVE, reports);
  }

  /** Adds or replaces flows of a source, then tells the listeners once. */
  public void addAll(String source, Collection<FlowReport> reports) {
    if (reports.isEmpty()) {
      return;
    }
    sources.putIfAbsent(source, 0);
    Set<String> traces = new HashSet<>();
    for (FlowReport r : reports) {
      put(source, r);
      traces.add(r.flow().traceId());
    }
    changed(traces);
  }

  private void put(String source, FlowReport r) {
    String k = key(source, r.flow());
    FlowReport old = byKey.put(k, r);
    if (old != null) {
      sourceOf.remove(old);
      unindexParent(k, old.flow());
      String oldGroup = group(source, endpoint(old.flow()));
      groupVersions.merge(oldGroup, 1L, Long::sum);
      Map<String, FlowReport> g = byGroup.get(oldGroup);
      if (g != null && !oldGroup.equals(group(source, endpoint(r.flow())))) {
        g.remove(k);
        if (g.isEmpty()) {
          byGroup.remove(oldGroup);
        }
      }
    } else {
      sources.merge(source, 1, Integer::sum);
    }
    sourceOf.put(r, source);
    if (!r.flow().parentSpanId().isEmpty()) {
      byParent.computeIfAbsent(parentKey(r.flow()), p -> new HashSet<>(2)).add(k);
    }
    byTrace.computeIfAbsent(source + SEP + r.flow().traceId(), t -> new HashSet<>()).add(k);
    String g = group(source, endpoint(r.flow()));
    byGroup.computeIfAbsent(g, e -> new LinkedHashMap<>()).put(k, r);
    groupVersions.merge(g, 1L, Long::sum);
  }

  private void remove(String k) {
    FlowReport old = byKey.remove(k);
    if (old == null) {
      return;
    }
    String source = sourceOf.remove(old);
    unindexParent(k, old.flow());
    sources.computeIfPresent(source, (s, n) -> n - 1);
    pending.remove(k);
    String g = group(source, endpoint(old.flow()));
    groupVersions.merge(g, 1L, Long::sum);
    Map<String, FlowReport> ep = byGroup.get(g);
    if (ep != null) {
      ep.remove(k);
      if (ep.isEmpty()) {
        byGroup.remove(g);
      }
    }
  }

  private static String parentKey(Flow f) {
    return f.traceId() + "/" + f.parentSpanId();
  }

  private void unindexParent(String k, Flow f) {
    if (f.parentSpanId().isEmpty()) {
      return;
    }
    Set<String> keys = byParent.get(parentKey(f));
    if (keys != null) {
      keys.remove(k);
      if (keys.isEmpty()) {
        byParent.remove(parentKey(f));
      }
    }
  }

  /**
   * The flows of every source run below span {@code spanId} of trace {@code traceId}: for a call's
   * span, the flows the called services ran for it. Empty when none; a lookup, not a scan.
   */
  public List<FlowReport> childrenOf(String traceId, String spanId) {
    Set<String> keys = byParent.get(traceId + "/" + spanId);
    if (keys == null) {
      return List.of();
    }
    List<FlowReport> out = new ArrayList<>(keys.size());
    for (String k : keys) {
      FlowReport r = byKey.get(k);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** The flows of every source in trace {@code traceId}; a lookup per source, not a scan. */
  public List<FlowReport> flowsOfTrace(String traceId) {
    List<FlowReport> out = new ArrayList<>();
    for (String source : sources.keySet()) {
      Set<String> keys = byTrace.get(source + SEP + traceId);
      if (keys == null) {
        continue;
      }
      for (String k : keys) {
        FlowReport r = byKey.get(k);
        if (r != null) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** Trace ids of the last change, for listeners; null when it may have touched any. */
  private Set<String> changedTraces;

  private void changed() {
    changed(null);
  }

  private void changed(Set<String> traces) {
    version++;
    changedTraces = traces;
    for (Runnable l : listeners) {
      l.run();
    }
  }

  /**
   * For a listener: true when the change it is told of may have touched trace {@code traceId}'s
   * flows (of any source), so that one that shows a trace's flows can skip the rest.
   */
  public boolean changedTrace(String traceId) {
    return changedTraces == null || changedTraces.contains(traceId);
  }

  /** Replaces everything known of the reports' traces among the live flows. */
  public void replaceTraces(Collection<FlowReport> reports) {
    replaceTraces(LIVE, reports);
  }

  /**
   * Replaces everything known of the reports' traces in a source with them: a trace re-assembled
   * after a later batch may have lost a provisional flow (spans whose flow span had not arrived yet
   * form one of their own), which must go.
   */
  public void replaceTraces(String source, Collection<FlowReport> reports) {
    if (reports.isEmpty()) {
      return;
    }
    Set<String> traces = new HashSet<>();
    for (FlowReport r : reports) {
      traces.add(source + SEP + r.flow().traceId());
    }
    for (String trace : traces) {
      Set<String> keys = byTrace.remove(trace);
      if (keys != null) {
        for (String k : keys) {
          remove(k);
        }
      }
    }
    addAll(source, reports);
  }

  /** Removes every flow of a source; returns how many there were. */
  public int clear(String source) {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, FlowReport> e : byKey.entrySet()) {
      if (source.equals(sourceOf.get(e.getValue()))) {
        keys.add(e.getKey());
      }
    }
    for (String k : keys) {
      remove(k);
    }
    byTrace.keySet().removeIf(t -> sourceOfGroup(t).equals(source));
    sources.remove(source);
    changed();
    return keys.size();
  }

  /** Sources holding flows, in the order they first came. */
  public List<String> sources() {
    List<String> out = new ArrayList<>();
    sources.forEach(
        (s, n) -> {
          if (n > 0) {
            out.add(s);
          }
        });
    return out;
  }

  /** The source a report is held under, or null when it is not in the store. */
  public String sourceOf(FlowReport r) {
    return sourceOf.get(r);
  }

  /** A report's identity in the store (source and flow); a report not in it counts as live. */
  public String keyOf(FlowReport r) {
    String s = sourceOf.get(r);
    return key(s == null ? LIVE : s, r.flow());
  }

  /**
   * Marks flows whose suggestions are still being computed (huge flows, analysed after the others):
   * the list and the suggestions pane say "pending", not "none".
   */
  public void setPending(String source, Collection<Flow> flows, boolean on) {
    for (Flow f : flows) {
      if (on) {
        pending.add(key(source, f));
      } else {
        pending.remove(key(source, f));
      }
      groupVersions.merge(group(source, endpoint(f)), 1L, Long::sum);
    }
    changed();
  }

  /** True while some flow's suggestions are still being computed. */
  public boolean anyPending() {
    return !pending.isEmpty();
  }

  /** True while the report's suggestions are still being computed. */
  public boolean pending(FlowReport r) {
    return !pending.isEmpty() && pending.contains(keyOf(r));
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

  /** A live flow by {@link #key(Flow)}, or any flow by {@link #key(String, Flow)}. */
  public FlowReport get(String key) {
    FlowReport r = byKey.get(key);
    return r != null || key.indexOf(SEP) >= 0 ? r : byKey.get(LIVE + SEP + key);
  }

  /** Groups (a source's endpoint, see {@link #group}), sorted by source then endpoint. */
  public List<String> endpoints() {
    return List.copyOf(byGroup.keySet());
  }

  /**
   * Counts the changes of a group's flows (added, replaced, removed, pending marked); what was
   * computed from them is current while this is unchanged. 0 for a group never seen.
   */
  public long groupVersion(String group) {
    return groupVersions.getOrDefault(group, 0L);
  }

  /** How many flows a group holds; a lookup. */
  public int groupSize(String group) {
    Map<String, FlowReport> m = byGroup.get(group);
    return m == null ? 0 : m.size();
  }

  /** Flows of one group, or of the live endpoint of that name, in arrival order. */
  public List<FlowReport> flowsOf(String group) {
    Map<String, FlowReport> m = byGroup.get(group);
    if (m == null && group.indexOf(SEP) < 0) {
      m = byGroup.get(group(LIVE, group));
    }
    return m == null ? List.of() : List.copyOf(m.values());
  }

  /**
   * The last {@code n} flows of a group to arrive (or be replaced), in arrival order, without a
   * copy of the whole group (a walk over it: Java 17's LinkedHashMap has no way from its end).
   */
  public List<FlowReport> lastFlowsOf(String group, int n) {
    Map<String, FlowReport> m = byGroup.get(group);
    if (m == null || n <= 0) {
      return new ArrayList<>(0);
    }
    List<FlowReport> out = new ArrayList<>(Math.min(n, m.size()));
    int skip = m.size() - n;
    for (FlowReport r : m.values()) {
      if (skip-- <= 0) {
        out.add(r);
      }
    }
    return out;
  }

  /** Every flow of a source, in arrival order. */
  public List<FlowReport> flowsOfSource(String source) {
    List<FlowReport> out = new ArrayList<>();
    for (FlowReport r : byKey.values()) {
      if (source.equals(sourceOf.get(r))) {
        out.add(r);
      }
    }
    return out;
  }

  /** For tests: every group's endpoint name, sources apart. */
  public Set<String> endpointNames() {
    Set<String> out = new LinkedHashSet<>();
    for (String g : byGroup.keySet()) {
      out.add(endpointOfGroup(g));
    }
    return out;
  }
}
