package dev.reqflow.analysis;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcrossServicesTest {
  @Test
  void theCriticalPathContinuesIntoTheServicesTheCallsReached() {
    AnalysisResult r =
        Analysis.analyse(
            List.of(
                AcrossServicesFixture.page(),
                AcrossServicesFixture.recommendations(),
                AcrossServicesFixture.scores()));
    FlowReport page = byName(r, "GET /home");
    AcrossServices across = AcrossServices.of(r.flows());

    assertThat(across.callee(page.flow(), page.flow().call("a")).flow().spanId()).isEqualTo("fb");
    CriticalPath.Segment waitOnB = page.criticalPath().segments().get(1);
    assertThat(waitOnB.releasedBy().spanId()).isEqualTo("a");

    assertThat(across.continuation(page.flow(), waitOnB))
        .isEqualTo(
            "the page waited 300 ms on B's GET /recommendations, 300 ms of it in B's flow, of which"
                + " B waited 30 ms on 1 other call and 250 ms on its own call to C's GET /scores,"
                + " 240 ms of it in C's flow, of which C spent 40 ms in its own code and waited 200 ms on its own call to GET"
                + " http://db:80/q");
    // A running segment, and a flow whose calls reached no known flow, continue nowhere.
    assertThat(across.continuation(page.flow(), page.criticalPath().segments().get(0))).isEmpty();
    FlowReport scores = byName(r, "GET /scores");
    assertThat(across.continuation(scores.flow(), scores.criticalPath().segments().get(1)))
        .isEmpty();
  }

  /**
   * B calls the same URL twice, one after the other, and works 100 ms of its own in between: one
   * phrase for the two calls, and B's own time said, not left out of the sentence.
   */
  @Test
  void aCalleesRepeatedRequestIsOnePhraseAndItsOwnTimeIsSaid() {
    Flow page =
        Timeline.parse(
            10,
            "GET /page",
            "t2",
            "render |=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=|",
            "a      | sssssssssssssssssssssssssssssss | url=http://b:80/b site=31");
    Flow b =
        Timeline.parse(
            10,
            "GET /b",
            "t2",
            "render |=xxxxxxxxxx==========yyyyyyyyyy|  service=B flow-id=fb2 parent=a start-ms=10",
            "x      | ssssssssss                    | url=http://c:80/slow mode=sync site=41",
            "y      |                     ssssssssss| url=http://c:80/slow mode=sync site=42");
    AnalysisResult r = Analysis.analyse(List.of(page, b));
    FlowReport p = byName(r, "GET /page");
    AcrossServices across = AcrossServices.of(r.flows());
    CriticalPath.Segment waitOnB = p.criticalPath().segments().get(1);

    assertThat(across.continuation(p.flow(), waitOnB))
        .isEqualTo(
            "the page waited 310 ms on B's GET /b, 310 ms of it in B's flow, of which B spent 110 ms"
                + " in its own code and waited 200 ms on 2 calls to GET http://c:80/slow");
  }

  @Test
  void theCalleesSuggestionsShowUnderTheCallWithTheShareOfTheCallersTime() {
    AnalysisResult r =
        Analysis.analyse(
            List.of(
                AcrossServicesFixture.page(),
                AcrossServicesFixture.recommendations(),
                AcrossServicesFixture.scores()));
    FlowReport page = byName(r, "GET /home");
    FlowReport b = byName(r, "GET /recommendations");
    assertThat(b.suggestions()).isNotEmpty();
    Suggestion first = b.suggestions().get(0);
    assertThat(first.kind()).isEqualTo(SuggestionKind.PARALLELIZE);

    List<AcrossServices.CalleeSuggestion> under =
        AcrossServices.of(r.flows()).suggestions(page, page.flow().call("a"));

    assertThat(under).hasSize(b.suggestions().size());
    AcrossServices.CalleeSuggestion top = under.get(0);
    assertThat(top.callee().flow().spanId()).isEqualTo("fb");
    assertThat(top.suggestion()).isEqualTo(first);
    // B's saving is well within the 300 ms the page waited on B: all of it is the page's too.
    assertThat(first.savingNanos()).isLessThan(300 * MS);
    assertThat(top.callerSavingNanos()).isEqualTo(first.savingNanos());
    assertThat(top.shareOfCaller()).isEqualTo((double) first.savingNanos() / (320 * MS));
  }

  @Test
  void aCalleesSavingCountsForTheCallerOnlyAsFarAsTheCallerWaitedOnTheCall() {
    // The page waits on a for 10 ms only: it was busy on its own while B worked.
    Flow busyPage =
        Timeline.parse(
            10,
            "GET /home",
            "t1",
            "render |==============================a=|",
            "a      | ssssssssssssssssssssssssssssss | url=http://b:80/recommendations");
    AnalysisResult r =
        Analysis.analyse(
            List.of(
                busyPage, AcrossServicesFixture.recommendations(), AcrossServicesFixture.scores()));
    FlowReport page = byName(r, "GET /home");

    List<AcrossServices.CalleeSuggestion> under =
        AcrossServices.of(r.flows()).suggestions(page, page.flow().call("a"));

    assertThat(under).isNotEmpty();
    assertThat(under.get(0).suggestion().savingNanos()).isGreaterThan(10 * MS);
    assertThat(under.get(0).callerSavingNanos()).isEqualTo(10 * MS);
    CriticalPath.Segment tail = page.criticalPath().segments().get(1);
    assertThat(AcrossServices.of(r.flows()).continuation(page.flow(), tail))
        .isEqualTo(
            "the page waited 10 ms on B's GET /recommendations, the last part of B's flow there"
                + " (300 ms in all); B waited 30 ms on 1 other call and 250 ms on its own call to"
                + " C's GET /scores, 240 ms of it in C's flow, of which C spent 40 ms in its own code and waited 200 ms on its own"
                + " call to GET http://db:80/q");
  }

  @Test
  void aCalleeThatWaitedOnNoCallRanThere() {
    Flow backend =
        Timeline.parse(
            10,
            "GET /recommendations",
            "t1",
            "render |============================|  service=backends flow-id=fb parent=a"
                + " start-ms=10");
    AnalysisResult r = Analysis.analyse(List.of(AcrossServicesFixture.page(), backend));
    FlowReport page = byName(r, "GET /home");

    assertThat(
            AcrossServices.of(r.flows())
                .continuation(page.flow(), page.criticalPath().segments().get(1)))
        .isEqualTo(
            "the page waited 300 ms on backends's GET /recommendations, 280 ms of it in backends's"
                + " flow, which waited on no call of its own");
  }

  @Test
  void readingTheBodyAfterTheCalleeAnsweredIsNoWaitInIt() {
    // The page waits on a, then reads its body (R) after the client returned.
    Flow page =
        Timeline.parse(
            10,
            "GET /home",
            "t1",
            "render |=aaaaaaaaaaaaaaaaaaaaaaaaaaaaRR=|  R=a reads=R",
            "a      | sssssssssssssssssssssssssssdd  | url=http://b:80/recommendations");
    Flow backend =
        Timeline.parse(
            10,
            "GET /recommendations",
            "t1",
            "render |==========================|  service=B flow-id=fb parent=a start-ms=10");
    AnalysisResult r = Analysis.analyse(List.of(page, backend));
    FlowReport home = byName(r, "GET /home");
    AcrossServices across = AcrossServices.of(r.flows());
    List<CriticalPath.Segment> segments = home.criticalPath().segments();

    assertThat(segments.get(1).releasedBy().spanId()).isEqualTo("a");
    assertThat(across.continuation(home.flow(), segments.get(1)))
        .startsWith("the page waited 280 ms on B's GET /recommendations, 260 ms of it in B's flow");
    assertThat(segments.get(2).blocks()).allMatch(b -> b.isBodyRead());
    assertThat(across.continuation(home.flow(), segments.get(2))).isEmpty();
  }

  @Test
  void aFlowOfAnotherTraceOrBelowNoCallJoinsNothing() {
    Flow otherTrace =
        Timeline.parse(
            10,
            "GET /recommendations",
            "t2",
            "render |=====|  service=B flow-id=fb parent=a start-ms=10");
    Flow root = Timeline.parse(10, "GET /other", "t1", "render |=====|  service=B flow-id=fo");
    AnalysisResult r = Analysis.analyse(List.of(AcrossServicesFixture.page(), otherTrace, root));
    FlowReport page = byName(r, "GET /home");

    AcrossServices across = AcrossServices.of(r.flows());

    assertThat(across.callee(page.flow(), page.flow().call("a"))).isNull();
    assertThat(across.suggestions(page, page.flow().call("a"))).isEmpty();
  }

  static FlowReport byName(AnalysisResult r, String name) {
    return r.flows().stream().filter(f -> f.flow().name().equals(name)).findFirst().orElseThrow();
  }
}
