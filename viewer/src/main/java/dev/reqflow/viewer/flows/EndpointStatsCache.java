package dev.reqflow.viewer.flows;

import dev.reqflow.analysis.FlowReport;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Each flow-list row's {@link EndpointStats}, kept while its group's flows are unchanged ({@link
 * FlowStore#groupVersion}). A group of {@link #BACKGROUND_FROM} flows or more is computed again off
 * the FX thread, from a copy of its list of flows (references only): until that is done the row
 * keeps the figures it had, so that a live endpoint of 30,000 flows does not cost the FX thread a
 * pass over all of them (percentiles, what was not seen, stalls) each time the list follows the
 * flows arriving. Smaller groups, and a group's first figures, are computed on the spot. Confined
 * to the FX thread, but for the computations it hands off.
 */
final class EndpointStatsCache {
  /** Groups of this many flows or more are computed in the background once they have figures. */
  static final int BACKGROUND_FROM = 2_000;

  private record Computed(long version, EndpointStats stats) {}

  private final Map<String, Computed> computed = new HashMap<>();
  private final Set<String> computing = new HashSet<>();
  private final Executor background;
  private final Consumer<Runnable> onFxThread;
  private final Runnable updated;

  /**
   * @param background runs the computations of big groups
   * @param onFxThread runs their results' hand-over on the FX thread ({@code Platform::runLater})
   * @param updated told, on the FX thread, when newer figures of a group are in
   */
  EndpointStatsCache(Executor background, Consumer<Runnable> onFxThread, Runnable updated) {
    this(background, onFxThread, updated, BACKGROUND_FROM);
  }

  /** As above, groups of {@code backgroundFrom} flows or more computed in the background. */
  EndpointStatsCache(
      Executor background, Consumer<Runnable> onFxThread, Runnable updated, int backgroundFrom) {
    this.background = background;
    this.onFxThread = onFxThread;
    this.updated = updated;
    this.backgroundFrom = backgroundFrom;
  }

  private final int backgroundFrom;

  /**
   * The figures of a group: current, or, for a big group whose flows changed, the last ones while
   * the current are computed.
   */
  EndpointStats get(FlowStore store, String group, String endpoint) {
    long version = store.groupVersion(group);
    Computed c = computed.get(group);
    if (c != null && c.version() == version) {
      return c.stats();
    }
    // A group emptied (its source cleared) is small again: no figures of the flows it had stay.
    if (c == null || store.groupSize(group) < backgroundFrom) {
      EndpointStats now = EndpointStats.of(endpoint, store.flowsOf(group));
      computed.put(group, new Computed(version, now));
      return now;
    }
    if (computing.add(group)) {
      List<FlowReport> flows = store.flowsOf(group);
      background.execute(
          () -> {
            EndpointStats s;
            try {
              s = EndpointStats.of(endpoint, flows);
            } catch (RuntimeException e) {
              s = null; // tried again at the next look
            }
            EndpointStats result = s;
            onFxThread.accept(
                () -> {
                  computing.remove(group);
                  Computed before = computed.get(group);
                  if (result != null && before != null && before.version() < version) {
                    computed.put(group, new Computed(version, result));
                    updated.run();
                  }
                });
          });
    }
    return c.stats();
  }
}
