package dev.reqflow.analysis;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What reqflow could not see on one endpoint (service and flow name), over its blind flows (see
 * {@link Blindness}).
 *
 * @param flows the endpoint's flows
 * @param unseenFlows flows that waited on I/O the agent did not see as calls
 * @param medianUnseenNanos median of that unseen time over those flows
 * @param medianUnseenShare median over those flows of the unseen time over the flow's duration
 * @param noCallFlows flows with no calls at all although calls may be missing ({@link
 *     Blindness#callsMaybeMissing})
 * @param fromAgent true when the flows were recorded by the agent (it says why calls may be
 *     missing), false for other tools' traces
 * @param libraries client libraries the agent does not record, loaded in the flows' processes
 * @param how where the unseen time went, in the flow with the median unseen time ({@link
 *     Blindness#how})
 * @param lockWaitFlows flows whose waits for monitors could not be recorded ({@link
 *     Blindness#lockWaitsUnseen})
 * @param lockWaitsWhy why, for the first of them ({@link Blindness#lockWaitsWhy}), or {@code ""}
 */
public record BlindSpot(
    String service,
    String name,
    int flows,
    int unseenFlows,
    long medianUnseenNanos,
    double medianUnseenShare,
    int noCallFlows,
    boolean fromAgent,
    List<String> libraries,
    String how,
    int lockWaitFlows,
    String lockWaitsWhy) {

  public BlindSpot {
    libraries = List.copyOf(libraries);
  }

  /** The endpoints with blind flows: those with the most unseen time per flow first. */
  public static List<BlindSpot> of(List<Flow> flows) {
    Map<String, List<Flow>> byEndpoint = new LinkedHashMap<>();
    for (Flow f : flows) {
      byEndpoint.computeIfAbsent(f.service() + "\u0000" + f.name(), k -> new ArrayList<>()).add(f);
    }
    List<BlindSpot> out = new ArrayList<>();
    for (List<Flow> group : byEndpoint.values()) {
      BlindSpot s = of(group.get(0).service(), group.get(0).name(), group);
      if (s.blind()) {
        out.add(s);
      }
    }
    out.sort(
        Comparator.comparingLong(BlindSpot::unseenPerFlowNanos)
            .reversed()
            .thenComparing(Comparator.comparingInt(BlindSpot::noCallFlows).reversed())
            .thenComparing(BlindSpot::service)
            .thenComparing(BlindSpot::name));
    return out;
  }

  /** One endpoint's flows judged together; {@link #blind()} is false when none is blind. */
  public static BlindSpot of(String service, String name, List<Flow> group) {
    List<Flow> unseen = new ArrayList<>();
    int noCalls = 0;
    int lockWaits = 0;
    String lockWaitsWhy = "";
    boolean agent = false;
    Set<String> libraries = new TreeSet<>();
    for (Flow f : group) {
      agent |= f.waitsRecorded();
      libraries.addAll(f.unseen().libraries());
      if (Blindness.unseenMatters(f)) {
        unseen.add(f);
      }
      if (Blindness.callsMaybeMissing(f)) {
        noCalls++;
      }
      if (Blindness.lockWaitsUnseen(f)) {
        if (lockWaits++ == 0) {
          lockWaitsWhy = Blindness.lockWaitsWhy(f.unseen().lockWaits());
        }
      }
    }
    long median = 0;
    double share = 0;
    String how = "";
    if (!unseen.isEmpty()) {
      unseen.sort(
          Comparator.comparingLong((Flow f) -> f.unseen().totalNanos())
              .thenComparing(Flow::traceId)
              .thenComparing(Flow::spanId));
      Flow mid = unseen.get(Percentiles.rank(unseen.size(), 0.5));
      median = mid.unseen().totalNanos();
      double[] shares = new double[unseen.size()];
      for (int i = 0; i < shares.length; i++) {
        Flow f = unseen.get(i);
        shares[i] =
            f.durationNanos() == 0 ? 1 : (double) f.unseen().totalNanos() / f.durationNanos();
      }
      Arrays.sort(shares);
      share = shares[Percentiles.rank(shares.length, 0.5)];
      how = Blindness.how(mid);
    }
    return new BlindSpot(
        service,
        name,
        group.size(),
        unseen.size(),
        median,
        share,
        noCalls,
        agent,
        List.copyOf(libraries),
        how,
        lockWaits,
        lockWaitsWhy);
  }

  /** True when some of the endpoint's flows were blind (see {@link Blindness}). */
  public boolean blind() {
    return unseenFlows > 0 || noCallFlows > 0 || lockWaitFlows > 0;
  }

  /** The rank: unseen time per flow of the endpoint. */
  long unseenPerFlowNanos() {
    return flows == 0 ? 0 : Math.round((double) medianUnseenNanos * unseenFlows / flows);
  }

  /**
   * The sentence after the endpoint's name: {@code 3 of 3 flows waited 480 ms (median, 97% of their
   * time) on I/O that reqflow did not see as calls (libraries loaded: Jetty HttpClient)}, and the
   * flows with no calls; then the flows whose waits for monitors could not be seen ({@link
   * #lockWaitsSentence}).
   */
  public String sentence() {
    String calls = callsSentence();
    if (lockWaitFlows == 0) {
      return calls;
    }
    return calls.isEmpty() ? lockWaitsSentence() : calls + "; " + lockWaitsSentence();
  }

  /**
   * {@code 1 of 12 flows: waits for monitors in it could not be seen (JDK Flight Recorder was still
   * starting when it began)}; {@code ""} when there are none.
   */
  public String lockWaitsSentence() {
    if (lockWaitFlows == 0) {
      return "";
    }
    boolean one = lockWaitFlows == 1;
    return lockWaitFlows
        + " of "
        + flows
        + (flows == 1 ? " flow" : " flows")
        + ": waits for monitors in "
        + (one ? "it" : "them")
        + " could not be seen ("
        + lockWaitsWhy
        + (one ? " when it began)" : " when they began)");
  }

  /**
   * What {@link #sentence} says of unseen I/O and missing calls, without the lock waits; {@code ""}
   * when nothing.
   */
  public String callsSentence() {
    StringBuilder b = new StringBuilder();
    if (unseenFlows == 0 && noCallFlows == 0) {
      return "";
    }
    if (unseenFlows > 0) {
      long percent = Math.round(medianUnseenShare * 100);
      String howLong =
          unseenFlows > 1
              ? "a median "
                  + Durations.format(medianUnseenNanos)
                  + " ("
                  + percent
                  + "% of their time)"
              : Durations.format(medianUnseenNanos) + " (" + percent + "% of its time)";
      b.append(unseenFlows)
          .append(" of ")
          .append(flows)
          .append(flows == 1 ? " flow " : " flows ")
          .append(Blindness.unseenPhrase(howLong, libraries));
      if (noCallFlows == flows) {
        b.append("; no call recorded in ").append(flows == 1 ? "it" : "any");
      } else if (noCallFlows > 0) {
        b.append("; ").append(noCallFlows).append(" of them have no calls at all");
      }
      return b.toString();
    }
    b.append(noCallFlows)
        .append(" of ")
        .append(flows)
        .append(flows == 1 ? " flow has" : " flows have")
        .append(" no calls at all: ")
        .append(Blindness.noCallsReason(fromAgent, noCallFlows > 1));
    if (!libraries.isEmpty()) {
      b.append(" (").append(Blindness.libraries(libraries)).append(")");
    }
    return b.toString();
  }

  /** Blocks whose waits the sentence is about, for evidence in a viewer. */
  public static List<String> unseenBlockIds(Flow f) {
    List<String> ids = new ArrayList<>();
    for (Block b : f.blocks()) {
      if (b.isSocketIo() || !b.completedBy().isEmpty()) {
        ids.add(b.spanId());
      }
    }
    return ids;
  }
}
