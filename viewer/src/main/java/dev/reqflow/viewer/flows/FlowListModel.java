package dev.reqflow.viewer.flows;

import dev.reqflow.analysis.FlowReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The rows of the flow list, apart from any control: endpoints matching the filter, each with its
 * stats and its most recent flows. Pure function of the store and the filter text.
 */
public final class FlowListModel {
  /** Flows listed under an endpoint: the most recent ones, enough to pick from. */
  public static final int MAX_FLOWS_PER_ENDPOINT = 200;

  private FlowListModel() {}

  /** One endpoint row and the flows under it, the last to arrive first. */
  public record Group(EndpointStats stats, List<FlowReport> flows) {}

  public static List<Group> groups(FlowStore store, String filter) {
    String f = filter == null ? "" : filter.trim().toLowerCase(Locale.ROOT);
    List<Group> out = new ArrayList<>();
    for (String endpoint : store.endpoints()) {
      if (!f.isEmpty() && !endpoint.toLowerCase(Locale.ROOT).contains(f)) {
        continue;
      }
      List<FlowReport> flows = store.flowsOf(endpoint);
      List<FlowReport> recent =
          new ArrayList<>(
              flows.subList(Math.max(0, flows.size() - MAX_FLOWS_PER_ENDPOINT), flows.size()));
      Collections.reverse(recent);
      out.add(new Group(EndpointStats.of(endpoint, flows), List.copyOf(recent)));
    }
    return out;
  }
}
