package dev.reqflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.CriticalPath.Kind;
import dev.reqflow.analysis.CriticalPath.Segment;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What reqflow could not see of a flow, on drawn timelines. */
class BlindnessTest {
  private static final long MS = Timeline.MS;

  /** A page that reads from a database over its own socket: no call, 80 ms of socket reads. */
  static Flow socketPage() {
    return Timeline.parse(
        10,
        "GET /orders",
        "1bf92f3577b34da6a3ce929d0e0e4736",
        "render |==####==####=| unseen-socket=80 unseen-ops=4");
  }

  /** A page whose three calls go through Jetty's client: waits released by Jetty's threads. */
  static Flow jettyPage() {
    return Timeline.parse(
        10,
        "GET /home",
        "2bf92f3577b34da6a3ce929d0e0e4736",
        "render |=@@@@@=@@@@@=@@@@@=| unseen-wait=150 libraries=Jetty_HttpClient");
  }

  @Test
  void socketIoNoCallExplainsIsOnTheCriticalPathAndSaidFirst() {
    Flow f = socketPage();
    assertThat(Blindness.unseenMatters(f)).isTrue();
    assertThat(Blindness.noCalls(f)).isTrue();
    List<Segment> blocked =
        Analysis.criticalPath(f).segments().stream().filter(s -> s.kind() == Kind.BLOCKED).toList();
    assertThat(blocked).hasSize(2).allSatisfy(s -> assertThat(s.releasedBy()).isNull());
    assertThat(Blindness.sentence(f))
        .isEqualTo(
            "This flow waited 80 ms on I/O that reqflow did not see as calls (no client library"
                + " that reqflow knows was loaded): 80 ms in socket reads and connects outside"
                + " recorded calls at Dao.load(Dao.java:41), Dao.load(Dao.java:42). It has no calls"
                + " at all.");
    assertThat(Analysis.suggest(f)).isEmpty();
  }

  @Test
  void waitsReleasedByAThreadOfNoFlowNameItAndTheLibraries() {
    Flow f = jettyPage();
    assertThat(Blindness.sentence(f))
        .startsWith(
            "This flow waited 150 ms on I/O that reqflow did not see as calls (libraries loaded:"
                + " Jetty HttpClient): 150 ms on futures that threads outside every flow completed"
                + " (io-1) at Dao.load(Dao.java:41), Dao.load(Dao.java:42) and 1 more.");
  }

  @Test
  void aFewUnseenMillisecondsInALongFlowAreNoBlindness() {
    Flow f =
        Timeline.parse(
            10,
            "GET /home",
            "3bf92f3577b34da6a3ce929d0e0e4736",
            "render |=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=|  A=u unseen-socket=2",
            "u      | ssssssssssssssssssssssssssssssssssssssssssssss | reused");
    assertThat(f.unseen().socketNanos()).isEqualTo(2 * MS);
    assertThat(Blindness.unseenMatters(f)).isFalse();
    assertThat(Blindness.blind(f)).isFalse();
    assertThat(Blindness.sentence(f)).isEmpty();
  }

  @Test
  void aFlowWithNoCallsThatWaitedSaysWhyThatMayBe() {
    Flow f =
        Timeline.parse(10, "GET /health", "4bf92f3577b34da6a3ce929d0e0e4736", "render |=~~~~=|");
    assertThat(Blindness.blind(f)).isTrue();
    assertThat(Blindness.sentence(f))
        .isEqualTo(
            "This flow has no calls at all: no client that the agent records was used in it, or"
                + " its calls ran outside any flow.");
  }

  @Test
  void aFlowWithNoCallsThatNeitherWaitedNorLoadedAClientMadeNone() {
    Flow health =
        Timeline.parse(10, "GET /health", "4bf92f3577b34da6a3ce929d0e0e4736", "render |===|");
    assertThat(Blindness.noCalls(health)).isTrue();
    assertThat(Blindness.blind(health)).isFalse();
    assertThat(Blindness.sentence(health)).isEmpty();
    // The same page in a process that loaded a client the agent does not record may have used it.
    Flow jetty =
        Timeline.parse(
            10,
            "GET /health",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "render |===| libraries=Jetty_HttpClient");
    assertThat(Blindness.blind(jetty)).isTrue();
  }

  @Test
  void suggestionsOnTheCallsStillComeButTheSocketWaitIsNotOnACall() {
    // Two serial calls, then 100 ms of socket reads: parallelize the calls; the socket time stays.
    Flow f =
        Timeline.parse(
            10,
            "GET /mixed",
            "5bf92f3577b34da6a3ce929d0e0e4736",
            "render |=aaaaaaaaaa=bbbbbbbbbb=##########=| unseen-socket=100 unseen-ops=2",
            "a      | ssssssssss                       | mode=sync reused",
            "b      |            ssssssssss            | mode=sync reused after-wait=a");
    assertThat(Blindness.unseenMatters(f)).isTrue();
    assertThat(Blindness.noCalls(f)).isFalse();
    List<Suggestion> s = Analysis.suggest(f);
    assertThat(s).extracting(x -> x.kind()).contains(SuggestionKind.PARALLELIZE);
    // The socket time is kept in the prediction: 340 ms now, the calls overlapped save 100 ms.
    Suggestion p = s.stream().filter(x -> x.kind() == SuggestionKind.PARALLELIZE).findFirst().get();
    assertThat(p.predictedNanos()).isBetween(230 * MS, 250 * MS);
  }

  @Test
  void endpointsMostUnseenPerFlowFirstThenThoseWithoutCalls() {
    Flow health =
        Timeline.parse(10, "GET /health", "6bf92f3577b34da6a3ce929d0e0e4736", "render |=~~|");
    List<BlindSpot> spots = BlindSpot.of(List.of(health, socketPage(), jettyPage(), jettyPage()));
    assertThat(spots)
        .extracting(BlindSpot::name)
        .containsExactly("GET /home", "GET /orders", "GET /health");
    assertThat(spots.get(0).sentence())
        .isEqualTo(
            "2 of 2 flows waited a median 150 ms (79% of their time) on I/O that reqflow did not"
                + " see as calls (libraries loaded: Jetty HttpClient); no call recorded in any");
    assertThat(spots.get(2).sentence())
        .isEqualTo(
            "1 of 1 flow has no calls at all: no client that the agent records was used in it,"
                + " or its calls ran outside any flow");
  }

  /**
   * Three calls issued by three tasks through a {@code synchronized} client wrapper, one after
   * another, with no lock wait recorded: as such a page looks when JDK Flight Recorder did not
   * record the tasks' waits for the wrapper's monitor.
   */
  static Flow lockedPage(String lockWaits) {
    return Timeline.parse(
        10,
        "GET /locked",
        "8bf92f3577b34da6a3ce929d0e0e4736",
        "render |AAAAAAAAAAAA=| A=a+b+c " + lockWaits,
        "a      |ssss         | thread=t1 mode=sync site=25",
        "b      |    ssss     | thread=t2 mode=sync site=25",
        "c      |        ssss | thread=t3 mode=sync site=25");
  }

  @Test
  void aFlowThatBeganBeforeJdkFlightRecorderRanIsBlindToMonitorWaits() {
    Flow unseen = lockedPage("unseen-lock-waits=jfr-starting");
    assertThat(unseen.unseen().lockWaits()).isEqualTo("jfr-starting");
    assertThat(Blindness.lockWaitsUnseen(unseen)).isTrue();
    assertThat(Blindness.blind(unseen)).isTrue();
    // Its calls were seen: only the monitor waits are missing, and no time says whether they were.
    assertThat(Blindness.unseenMatters(unseen)).isFalse();
    assertThat(Blindness.callsMaybeMissing(unseen)).isFalse();
    assertThat(Blindness.sentence(unseen))
        .isEqualTo(
            "Waits for monitors in this flow could not be seen: JDK Flight Recorder was still"
                + " starting when it began.");

    // The same flow once the recording ran: seen, no lock wait recorded, nothing to say.
    Flow seen = lockedPage("");
    assertThat(Blindness.blind(seen)).isFalse();
    assertThat(Blindness.sentence(seen)).isEmpty();
  }

  @Test
  void anEndpointSaysHowManyOfItsFlowsHadTheirMonitorWaitsUnseen() {
    Flow other =
        Timeline.parse(
            10,
            "GET /locked",
            "9bf92f3577b34da6a3ce929d0e0e4736",
            "render |AAAAAAAAAAAA=| A=a+b+c",
            "a      |ssss         | thread=t1 mode=sync site=25",
            "b      |    ssss     | thread=t2 mode=sync site=25",
            "c      |        ssss | thread=t3 mode=sync site=25");
    List<BlindSpot> spots =
        BlindSpot.of(List.of(lockedPage("unseen-lock-waits=jfr-starting"), lockedPage(""), other));
    assertThat(spots).hasSize(1);
    BlindSpot b = spots.get(0);
    assertThat(b.blind()).isTrue();
    assertThat(b.lockWaitFlows()).isEqualTo(1);
    assertThat(b.unseenFlows()).isZero();
    assertThat(b.noCallFlows()).isZero();
    assertThat(b.sentence())
        .isEqualTo(
            "1 of 3 flows: waits for monitors in it could not be seen (JDK Flight Recorder was"
                + " still starting when it began)");
    // A value this version does not know is still blindness, quoted.
    assertThat(Blindness.lockWaitsWhy("jfr-new-reason"))
        .isEqualTo("the agent said \"jfr-new-reason\"");
  }
}
