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
}
