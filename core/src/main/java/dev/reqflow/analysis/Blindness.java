package dev.reqflow.analysis;

import dev.reqflow.contract.TraceContract.UnseenLockWaits;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Unseen;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What reqflow could not see of a flow, judged and worded, so that a report or the viewer says it
 * before anything else and never gives an all-clear for a flow it was blind to. A flow is blind
 * when its threads waited on I/O the agent did not see as calls for at least {@link
 * #MIN_UNSEEN_NANOS} and {@link #MIN_UNSEEN_SHARE} of its time (as long as any suggestion must
 * save, in share), or when it has no calls and yet calls may be missing: it waited that long on
 * something no recorded call released, or its process loaded a client library the agent does not
 * record. A flow with no calls that neither waited nor could have used such a client (a health
 * check, a page served from memory) made none: that is no blindness. A flow whose waits for
 * monitors could not be recorded (it began before JDK Flight Recorder's recording ran) is blind
 * too, whatever its times: such a wait looks like code running, so no time of the flow tells
 * whether it happened; only the first seconds of a process have such flows.
 */
public final class Blindness {
  /** Unseen waits shorter than this are not worth a warning... */
  public static final long MIN_UNSEEN_NANOS = 1_000_000L;

  /** ...nor those under this share of the flow's duration. */
  public static final double MIN_UNSEEN_SHARE = Suggestions.MIN_SAVING_SHARE;

  private Blindness() {}

  /** True when the flow waited long enough on what the agent did not see as calls to say so. */
  public static boolean unseenMatters(Flow f) {
    long unseen = f.unseen().totalNanos();
    return unseen >= MIN_UNSEEN_NANOS && unseen >= MIN_UNSEEN_SHARE * f.durationNanos();
  }

  /** True when the trace holds no call of the flow. */
  public static boolean noCalls(Flow f) {
    return f.calls().isEmpty();
  }

  /**
   * True when the flow has no calls although it may have made some reqflow did not see: it waited
   * (at least as long as an unseen wait must, see {@link #unseenMatters}) on something no recorded
   * call released, or a client library the agent does not record was loaded.
   */
  public static boolean callsMaybeMissing(Flow f) {
    if (!noCalls(f)) {
      return false;
    }
    long blocked = f.blockedNanos();
    boolean waited = blocked >= MIN_UNSEEN_NANOS && blocked >= MIN_UNSEEN_SHARE * f.durationNanos();
    return waited || !f.unseen().libraries().isEmpty();
  }

  /**
   * True when the flow's waits for monitors ({@code synchronized} on platform threads) and pinned
   * virtual threads could not be recorded: see {@link dev.reqflow.flow.Unseen#lockWaits}.
   */
  public static boolean lockWaitsUnseen(Flow f) {
    return f.unseen().lockWaitsUnseen();
  }

  /** True when a report must warn about this flow before it says anything else. */
  public static boolean blind(Flow f) {
    return unseenMatters(f) || callsMaybeMissing(f) || lockWaitsUnseen(f);
  }

  /**
   * Why lock waits went unseen, from the flow span's {@code reqflow.unseen.lock_waits}: {@code JDK
   * Flight Recorder was still starting}; an unknown value is quoted.
   */
  public static String lockWaitsWhy(String lockWaits) {
    switch (lockWaits) {
      case UnseenLockWaits.JFR_STARTING:
        return "JDK Flight Recorder was still starting";
      case UnseenLockWaits.JFR_FAILED:
        return "JDK Flight Recorder was not running";
      default:
        return "the agent said \"" + lockWaits + "\"";
    }
  }

  /**
   * {@code waited 480 ms on I/O that reqflow did not see as calls (libraries loaded: Jetty
   * HttpClient)}: the phrase every output uses.
   */
  public static String unseenPhrase(long nanos, List<String> libraries) {
    return unseenPhrase(Durations.format(nanos), libraries);
  }

  /** As above, with how long said by the caller ({@code a median 480 ms (97% of their time)}). */
  public static String unseenPhrase(String howLong, List<String> libraries) {
    return "waited "
        + howLong
        + " on I/O that reqflow did not see as calls ("
        + libraries(libraries)
        + ")";
  }

  /** {@code libraries loaded: A, B}, or that none the agent knows was loaded. */
  public static String libraries(List<String> libraries) {
    return libraries.isEmpty()
        ? "no client library that reqflow knows was loaded"
        : "libraries loaded: " + String.join(", ", libraries);
  }

  /** Why a flow may have no calls, for the agent's traces and for other tools' traces. */
  public static String noCallsReason(boolean fromAgent, boolean plural) {
    String them = plural ? "them" : "it";
    return fromAgent
        ? "no client that the agent records was used in "
            + them
            + ", or "
            + (plural ? "their" : "its")
            + " calls ran outside any flow"
        : "the trace has no client spans for " + them;
  }

  /**
   * One sentence about a blind flow, or {@code ""}: {@code This flow waited 480 ms on I/O that
   * reqflow did not see as calls (libraries loaded: Jetty HttpClient).} and/or that it has no
   * calls, and why that may be; then, for a flow whose lock waits went unseen, {@code Waits for
   * monitors in this flow could not be seen: JDK Flight Recorder was still starting when it began.}
   */
  public static String sentence(Flow f) {
    StringBuilder b = new StringBuilder(callsSentence(f));
    if (lockWaitsUnseen(f)) {
      b.append(b.length() > 0 ? " " : "")
          .append("Waits for monitors in this flow could not be seen: ")
          .append(lockWaitsWhy(f.unseen().lockWaits()))
          .append(" when it began.");
    }
    return b.toString();
  }

  private static String callsSentence(Flow f) {
    StringBuilder b = new StringBuilder();
    if (unseenMatters(f)) {
      b.append("This flow ").append(unseenPhrase(f.unseen().totalNanos(), f.unseen().libraries()));
      String how = how(f);
      if (!how.isEmpty()) {
        b.append(": ").append(how);
      }
      b.append('.');
    }
    if (callsMaybeMissing(f)) {
      if (b.length() > 0) {
        b.append(" It has no calls at all.");
      } else {
        b.append("This flow has no calls at all: ")
            .append(noCallsReason(f.waitsRecorded(), false))
            .append(
                f.unseen().libraries().isEmpty()
                    ? ""
                    : " (" + libraries(f.unseen().libraries()) + ")")
            .append('.');
      }
    }
    return b.toString();
  }

  /**
   * Where the unseen time went: {@code 305 ms on futures that threads outside every flow completed
   * (HttpClient@1b2c-22) at Page.load(Page.java:31); 12 ms in socket reads and connects outside
   * recorded calls at Dao.find(Dao.java:40)}.
   */
  public static String how(Flow f) {
    Unseen u = f.unseen();
    List<String> parts = new ArrayList<>();
    if (u.waitNanos() > 0) {
      Set<String> threads = new LinkedHashSet<>();
      Set<String> sites = new LinkedHashSet<>();
      for (Block b : f.blocks()) {
        if (!b.completedBy().isEmpty()) {
          threads.add(b.completedBy());
          if (b.site().isKnown()) {
            sites.add(b.site().label());
          }
        }
      }
      parts.add(
          Durations.format(u.waitNanos())
              + " on futures that threads outside every flow completed"
              + (threads.isEmpty() ? "" : " (" + some(threads) + ")")
              + (sites.isEmpty() ? "" : " at " + some(sites)));
    }
    if (u.socketNanos() > 0) {
      Set<String> sites = new LinkedHashSet<>();
      for (Block b : f.blocks()) {
        if (b.isSocketIo() && b.site().isKnown()) {
          sites.add(b.site().label());
        }
      }
      parts.add(
          Durations.format(u.socketNanos())
              + " in socket reads and connects outside recorded calls"
              + (sites.isEmpty() ? "" : " at " + some(sites)));
    }
    return String.join("; ", parts);
  }

  /** At most two, then how many more. */
  static String some(Set<String> items) {
    List<String> l = new ArrayList<>(items);
    String two = String.join(", ", l.subList(0, Math.min(2, l.size())));
    return l.size() > 2 ? two + " and " + (l.size() - 2) + " more" : two;
  }
}
