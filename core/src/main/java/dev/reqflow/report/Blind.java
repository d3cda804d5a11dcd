package dev.reqflow.report;

import dev.reqflow.analysis.BlindSpot;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the report says before anything else: the endpoints whose flows reqflow was blind to, the
 * client libraries whose calls are missing from the trace, or that there are no flows at all.
 *
 * @param spots endpoints with flows that waited on I/O not seen as calls, or with no calls
 * @param libraries client libraries loaded that the agent does not record, over all flows
 * @param noFlows true when the input holds no flow at all
 * @param noCallsAnywhere how many flows the input holds when none of them has a call (0 otherwise):
 *     the trace shows no outbound call at all, which is never an all-clear
 * @param fromAgent true when some flow was recorded by the agent (it says why calls may be missing)
 * @param oneService true when every flow is of one service: endpoints are then named without it
 * @param noWaitsFlows flows from other tools' traces (no waits recorded): their calls are known,
 *     not which of them held the page up, so no suggestion for them is an all-clear
 * @param noWaitsEndpoints the endpoints of those flows, named as {@link #name} names them
 */
record Blind(
    List<BlindSpot> spots,
    List<String> libraries,
    boolean noFlows,
    int noCallsAnywhere,
    boolean fromAgent,
    boolean oneService,
    int noWaitsFlows,
    List<String> noWaitsEndpoints) {
  static final String NO_FLOWS =
      "No flows at all: the input holds no request that reqflow could analyse. The agent makes a"
          + " flow of each request to a JDK HttpServer or a servlet, and of each method named in"
          + " flows=; calls made outside any flow are not recorded.";

  static Blind of(ReportInput in) {
    List<Flow> flows = new ArrayList<>();
    Set<String> libraries = new TreeSet<>();
    Set<String> services = new TreeSet<>();
    boolean anyCall = false;
    boolean agent = false;
    int noWaits = 0;
    Set<String> noWaitsKeys = new java.util.LinkedHashSet<>();
    for (FlowReport r : in.analysis().flows()) {
      flows.add(r.flow());
      if (!r.flow().waitsRecorded()) {
        noWaits++;
        noWaitsKeys.add(r.flow().service() + "\u0000" + r.flow().name());
      }
      anyCall |= !r.flow().calls().isEmpty();
      agent |= r.flow().waitsRecorded();
      libraries.addAll(r.flow().unseen().libraries());
      services.add(r.flow().service());
    }
    boolean one = services.size() <= 1;
    List<String> noWaitsNames = new ArrayList<>();
    for (String k : noWaitsKeys) {
      String service = k.substring(0, k.indexOf('\u0000'));
      String name = k.substring(k.indexOf('\u0000') + 1);
      noWaitsNames.add(one || service.isEmpty() ? name : name + " (" + service + ")");
    }
    return new Blind(
        BlindSpot.of(flows),
        List.copyOf(libraries),
        flows.isEmpty(),
        anyCall ? 0 : flows.size(),
        agent,
        one,
        noWaits,
        List.copyOf(noWaitsNames));
  }

  /** Endpoints named in the "no waits recorded" sentence, at most this many. */
  private static final int NO_WAITS_NAMES = 8;

  /**
   * Flows from other tools' traces, in one sentence: {@code 15 flows of GET /home, GET /user come
   * from another tool's trace: no waits were recorded in them. ...}; {@code ""} when there are
   * none.
   */
  String noWaitsSentence() {
    if (noWaitsFlows == 0) {
      return "";
    }
    List<String> names = noWaitsEndpoints;
    String more = "";
    if (names.size() > NO_WAITS_NAMES) {
      more = " and " + (names.size() - NO_WAITS_NAMES) + " more endpoints";
      names = names.subList(0, NO_WAITS_NAMES);
    }
    return (noWaitsFlows == 1 ? "1 flow of " : noWaitsFlows + " flows of ")
        + String.join(", ", names)
        + more
        + (noWaitsFlows == 1 ? " comes" : " come")
        + " from another tool's trace, with no waits recorded (no reqflow agent): their calls"
        + " are listed with target, time and status, but reqflow cannot tell which of them held"
        + " the page up, so it suggests nothing there, and that is no all-clear.";
  }

  /** True when some of this endpoint's flows have no waits recorded. */
  private boolean noWaits(dev.reqflow.analysis.EndpointSummary e) {
    return noWaitsEndpoints.contains(
        oneService || e.service().isEmpty() ? e.name() : e.name() + " (" + e.service() + ")");
  }

  /** True when reqflow was blind to some of this endpoint's flows. */
  boolean covers(dev.reqflow.analysis.EndpointSummary e) {
    if (noWaits(e)) {
      return true;
    }
    for (BlindSpot b : spots) {
      if (b.service().equals(e.service()) && b.name().equals(e.name())) {
        return true;
      }
    }
    return false;
  }

  /** The endpoint's name, with its service when the report covers more than one. */
  String name(BlindSpot b) {
    return oneService || b.service().isEmpty() ? b.name() : b.name() + " (" + b.service() + ")";
  }

  boolean any() {
    return noFlows
        || noCallsAnywhere > 0
        || !spots.isEmpty()
        || !libraries.isEmpty()
        || noWaitsFlows > 0;
  }

  /** Endpoints that waited on I/O reqflow did not see as calls: each said with its details. */
  List<BlindSpot> unseen() {
    return spots.stream().filter(b -> b.unseenFlows() > 0).toList();
  }

  /**
   * The endpoints whose only blindness is flows without calls, in one sentence: {@code No calls at
   * all in 12 flows of GET /user, GET /cart: no client that the agent records was used in them, or
   * their calls ran outside any flow.}; {@code ""} when there are none.
   */
  String noCallsSentence() {
    if (noCallsAnywhere > 0) {
      return "No calls at all in any of the "
          + (noCallsAnywhere == 1 ? "1 flow" : noCallsAnywhere + " flows")
          + ": "
          + dev.reqflow.analysis.Blindness.noCallsReason(fromAgent, noCallsAnywhere > 1)
          + ".";
    }
    List<String> names = new ArrayList<>();
    int flows = 0;
    boolean agent = false;
    for (BlindSpot b : spots) {
      if (b.unseenFlows() == 0 && b.noCallFlows() > 0) {
        names.add(name(b));
        flows += b.noCallFlows();
        agent |= b.fromAgent();
      }
    }
    if (names.isEmpty()) {
      return "";
    }
    return "No calls at all in "
        + (flows == 1 ? "1 flow of " : flows + " flows of ")
        + String.join(", ", names)
        + ": "
        + dev.reqflow.analysis.Blindness.noCallsReason(agent, flows > 1)
        + ".";
  }

  /**
   * The endpoints with flows whose waits for monitors could not be seen, in one line: {@code Waits
   * for monitors could not be seen in 2 flows of GET /a, GET /b: JDK Flight Recorder was still
   * starting when they began, and reqflow sees those waits through it only.}; {@code ""} when there
   * are none.
   */
  String lockWaitsSentence() {
    List<String> names = new ArrayList<>();
    int flows = 0;
    String why = "";
    for (BlindSpot b : spots) {
      if (b.lockWaitFlows() > 0) {
        names.add(name(b));
        flows += b.lockWaitFlows();
        why = why.isEmpty() ? b.lockWaitsWhy() : why;
      }
    }
    if (names.isEmpty()) {
      return "";
    }
    return "Waits for monitors (synchronized) could not be seen in "
        + (flows == 1 ? "1 flow of " : flows + " flows of ")
        + String.join(", ", names)
        + ": "
        + why
        + (flows == 1 ? " when it began" : " when they began")
        + ", and reqflow sees those waits through it only.";
  }

  /** The sentence on the client libraries whose calls are missing. */
  String librariesSentence() {
    return "Client libraries loaded whose calls reqflow does not record: "
        + String.join(", ", libraries)
        + ". Calls made with them are missing from what follows.";
  }
}
