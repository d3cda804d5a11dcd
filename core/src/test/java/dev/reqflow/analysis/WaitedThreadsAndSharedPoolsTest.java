package dev.reqflow.analysis;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the first real services showed beyond the render thread: serial calls on a thread the page
 * waits for (Spring MVC's async executor running a {@code Callable}).
 */
class WaitedThreadsAndSharedPoolsTest {

  @Test
  void serialCallsOnAThreadThePageWaitsForShouldBeIssuedTogether() {
    // The request thread waits for the async result; the executor's thread makes a, then b.
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAAAAAAAAAAAAAA=|  A=a+b",
            "w1     | aaaaaaaabbbbbbbbbbbb |",
            "a      | ssssssss             | thread=w1 mode=sync pool=async/executor/0 site=26",
            "b      |         ssssssssssss | thread=w1 mode=sync after-wait=a site=26");

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s).isNotEmpty();
    Suggestion top = s.get(0);
    assertThat(top.kind()).isEqualTo(SuggestionKind.PARALLELIZE);
    assertThat(top.spanIds()).containsExactly("a", "b");
    assertThat(top.explanation()).startsWith("Thread 'w1', which the page waits for, makes");
    // Together from 10 ms, the slower (120 ms) ends at 130 ms; the page returns 10 ms later.
    assertThat(top.predictedNanos()).isEqualTo(140 * MS);
  }

  @Test
  void aThreadThatStartsLateIssuesItsCallsWhenItStartsNotAtThePagesFirstCall() {
    // The page makes c itself, then hands a and b to a thread; together they still start at 60 ms.
    Flow flow =
        Timeline.parse(
            "render |=cccc=AAAAAAAAAAAAAAAAAAAAA=|  A=a+b",
            "w1     |      aaaaaaaabbbbbbbbbbbb  |",
            "c      | ssss                       | mode=sync",
            "a      |      ssssssss              | thread=w1 mode=sync after-wait=c",
            "b      |              ssssssssssss  | thread=w1 mode=sync after-wait=a");

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.PARALLELIZE);
    assertThat(top.spanIds()).containsExactly("a", "b");
    // b goes with a at 60 ms and ends at 180 ms; the render waits until then, runs 20 ms more.
    assertThat(top.predictedNanos()).isEqualTo(200 * MS);
  }

  @Test
  void aThreadsChainOfDataIsLeftAlone() {
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAAAAAAAAAAAAAA=|  A=a+b",
            "w1     | aaaaaaaabbbbbbbbbbbb |",
            "a      | ssssssss             | thread=w1 mode=sync",
            "b      |         ssssssssssss | thread=w1 mode=sync after-wait=a data=a");

    FlowReport r = Analysis.analyse(List.of(flow)).flows().get(0);

    assertThat(r.suggestions()).isEmpty();
    assertThat(r.whyNone()).startsWith("the waits are one dependent chain");
  }

  /** Two pages at once, each fanning two calls out on a pool of two that all requests share. */
  private static List<Flow> twoPagesOnASharedPool() {
    String pool = "pool=shared/executor/2 mode=sync";
    Flow first =
        Timeline.parse(
            10,
            "GET /page",
            "first",
            "render |=AAAAAAAA=|  A=a+b",
            "a      | ssssssss | thread=w1 " + pool,
            "b      | ssssssss | thread=w2 " + pool);
    Flow second =
        Timeline.parse(
            10,
            "GET /page",
            "second",
            "render |=AAAAAAAAAAAAAAAAAA=|  A=c+d",
            "c      | qqqqqqqqssssssss   | thread=w1 " + pool,
            "d      | qqqqqqqqqqssssssss | thread=w2 " + pool);
    return List.of(first, second);
  }

  @Test
  void callsQueuedBehindOtherRequestsInASharedPoolRaiseItToTheirPeak() {
    List<Flow> pages = twoPagesOnASharedPool();

    AnalysisResult r = Analysis.analyse(pages);

    assertThat(r.flows().get(0).suggestions()).as("the first page did not queue").isEmpty();
    List<Suggestion> s = r.flows().get(1).suggestions();
    assertThat(s).isNotEmpty();
    Suggestion top = s.get(0);
    assertThat(top.kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
    assertThat(top.title()).isEqualTo("Raise executor 'shared' from 2 to 4");
    assertThat(top.explanation()).contains("behind other requests' work");
    // At 4 both calls start at 10 ms, end at 90 ms; the page returns 10 ms later.
    assertThat(top.predictedNanos()).isEqualTo(100 * MS);
    // The same whichever order the flows come in.
    assertThat(Analysis.analyse(List.of(pages.get(1), pages.get(0))).flows().get(0).suggestions())
        .isEqualTo(s);
  }

  @Test
  void aQueueTheFlowsOwnCallsDoNotExplainIsKeptInTheReplay() {
    Flow second = twoPagesOnASharedPool().get(1);

    dev.reqflow.whatif.WhatIf w = dev.reqflow.whatif.WhatIf.of(second);

    // Replayed alone, the two calls would fit the pool; the recorded queue is kept.
    assertThat(w.baseline().durationNanos()).isEqualTo(second.durationNanos());
    assertThat(w.externalQueueNanos(0)).isEqualTo(80 * MS);
    assertThat(w.externalQueueNanos(1)).isEqualTo(100 * MS);
  }

  @Test
  void aFlowQueuedBehindOthersThatWereNotRecordedWithItSaysSo() {
    Flow second = twoPagesOnASharedPool().get(1);

    FlowReport r = Analysis.analyse(List.of(second)).flows().get(0);

    assertThat(r.suggestions()).isEmpty();
    assertThat(r.whyNone()).startsWith("its calls queued behind other flows");
  }
}
