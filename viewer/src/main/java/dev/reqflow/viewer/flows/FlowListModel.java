package dev.reqflow.viewer.flows;

import dev.reqflow.analysis.FlowReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The rows of the flow list, apart from any control: endpoints matching the filter, of one source
 * or all, each with its stats and its most recent flows. Pure function of the store, the filter
 * text and the source.
 */
public final class FlowListModel {
  /** Flows listed under an endpoint: the most recent ones, enough to pick from. */
  public static final int MAX_FLOWS_PER_ENDPOINT = 200;

  private FlowListModel() {}

  /**
   * One endpoint row of a source ({@code group} as {@link FlowStore#group}) and the flows under it,
   * the last to arrive first.
   */
  public record Group(String group, String source, EndpointStats stats, List<FlowReport> flows) {}

  /** Every source's endpoints matching the filter. */
  public static List<Group> groups(FlowStore store, String filter) {
    return groups(store, filter, null);
  }

  /**
   * Endpoints matching the filter (text in their name) of {@code source}, or of every source when
   * it is null.
   */
  public static List<Group> groups(FlowStore store, String filter, String source) {
    return groups(
        store,
        filter,
        source,
        (group, endpoint) -> EndpointStats.of(endpoint, store.flowsOf(group)));
  }

  /**
   * As {@link #groups(FlowStore, String, String)}, each row's figures given by {@code stats}
   * (group, endpoint name): the list keeps them while a group is unchanged.
   */
  static List<Group> groups(
      FlowStore store,
      String filter,
      String source,
      java.util.function.BiFunction<String, String, EndpointStats> stats) {
    String f = filter == null ? "" : filter.trim().toLowerCase(Locale.ROOT);
    List<Group> out = new ArrayList<>();
    for (String group : store.endpoints()) {
      String endpoint = FlowStore.endpointOfGroup(group);
      String from = FlowStore.sourceOfGroup(group);
      if (source != null && !source.equals(from)) {
        continue;
      }
      if (!f.isEmpty() && !endpoint.toLowerCase(Locale.ROOT).contains(f)) {
        continue;
      }
      List<FlowReport> recent = store.lastFlowsOf(group, MAX_FLOWS_PER_ENDPOINT);
      Collections.reverse(recent);
      out.add(new Group(group, from, stats.apply(group, endpoint), List.copyOf(recent)));
    }
    return out;
  }
}
