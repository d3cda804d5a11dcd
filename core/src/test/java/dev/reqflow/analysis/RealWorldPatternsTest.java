package dev.reqflow.analysis;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kinds of mistake issue 12 found on programs reproducing publicly reported patterns, each on a
 * drawn timeline (the cases module runs the programs themselves).
 */
class RealWorldPatternsTest {

  /** Two products whose callbacks wait, on the client's threads, for a follow-up call each. */
  private static Flow callbacksThatWait(String trace, int callbackStartTick) {
    String pool = "pool=ok/dispatcher/64/3 host=h:1";
    String gap = " ".repeat(callbackStartTick);
    return Timeline.parse(
        10,
        "GET /products",
        trace,
        "render |=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=|  A=e+f",
        "ok1    |"
            + gap
            + "EEEEEEEEEE"
            + " ".repeat(22 - callbackStartTick)
            + "|"
            + " role=client-dispatcher E=e in-E=a",
        "ok2    |"
            + gap
            + "FFFFFFFFFFFFFFFFFFFF"
            + " ".repeat(12 - callbackStartTick)
            + "|"
            + " role=client-dispatcher F=f in-F=b",
        "a      |ssssssssss                      | " + pool,
        "b      |ssssssssss                      | " + pool,
        "e      |          ssssssssss            | "
            + pool
            + " callback=a thread=ok1 role=client-dispatcher",
        "f      |          qqqqqqqqqqssssssssss  | "
            + pool
            + " callback=b thread=ok2 role=client-dispatcher");
  }

  @Test
  void aCallbackThatWaitsIsFlaggedOnEveryFlowWithTheSameDataWhenItsCallbackStarts() {
    // Item 1: on a loaded machine a callback starts a tick after its call ended; which call's
    // callback a wait is in comes from the trace, not from timing.
    for (int start : new int[] {10, 11}) {
      Flow flow = callbacksThatWait("t" + start, start);

      List<Suggestion> s = Analysis.suggest(flow);

      assertThat(s).as("callbacks from tick %d", start).isNotEmpty();
      assertThat(s.get(0).kind()).isEqualTo(SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER);
      // Freed, a and b give their slots back at 100 ms: e and f both run 100-200 ms.
      assertThat(s.get(0).predictedNanos()).isEqualTo(220 * MS);
    }
  }

  @Test
  void aFlowsSuggestionsDoNotDependOnOtherEndpointsFlowsNorOnTheOrder() {
    List<Flow> page = slowTailPages();
    List<Flow> withOthers = new ArrayList<>(page);
    for (int i = 0; i < 6; i++) {
      withOthers.add(
          Timeline.parse(
              10,
              "GET /other",
              "o" + i,
              "render |=aaaaaaaaaa=|",
              "a      | ssssssssss | host=other:1 " + (i < 3 ? "new" : "reused")));
    }
    Collections.reverse(withOthers);

    Map<String, List<Suggestion>> alone = byTrace(Analysis.analyse(page));
    Map<String, List<Suggestion>> mixed = byTrace(Analysis.analyse(withOthers));

    for (Flow f : page) {
      assertThat(mixed.get(f.traceId())).as(f.traceId()).isEqualTo(alone.get(f.traceId()));
    }
  }

  private static Map<String, List<Suggestion>> byTrace(AnalysisResult r) {
    Map<String, List<Suggestion>> out = new HashMap<>();
    for (FlowReport f : r.flows()) {
      out.put(f.flow().traceId(), f.suggestions());
    }
    return out;
  }

  /**
   * Nine pages whose ads call takes 80 ms, but 900 ms on every third one; the first page's is a
   * cold start, slower on a new connection.
   */
  private static List<Flow> slowTailPages() {
    List<Flow> pages = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      boolean slow = i % 3 == 2;
      String ads = i == 0 ? "cc" + "s".repeat(18) : slow ? "s".repeat(90) : "s".repeat(8);
      pages.add(
          Timeline.parse(
              10,
              "GET /home",
              "p" + i,
              "render |=" + "a".repeat(ads.length()) + "=|",
              "a      | " + ads + " | url=http://ads/ads " + (i == 0 ? "new" : "reused")));
    }
    return pages;
  }

  @Test
  void aSlowTailOnEveryThirdPageGetsATimeoutFromTheBodyOfItsDistribution() {
    // Item 2: a third of the calls are slow, so their 90th percentile is in the tail.
    AnalysisResult r = Analysis.analyse(slowTailPages());

    for (FlowReport f : r.flows()) {
      int i = Integer.parseInt(f.flow().traceId().substring(1));
      if (i % 3 == 2) {
        Suggestion t = f.suggestions().get(0);
        assertThat(t.kind()).isEqualTo(SuggestionKind.TIMEOUT_SLOW_CALL);
        assertThat(t.title()).isEqualTo("Give GET /ads a 160 ms timeout and a fallback");
        assertThat(t.predictedNanos()).isEqualTo(180 * MS);
      } else {
        // The warm-up page (a new connection, 200 ms) neither gets nor sets a timeout.
        assertThat(f.suggestions()).as(f.flow().traceId()).isEmpty();
      }
    }
  }

  @Test
  void aRequestThatIsAlwaysSlowIsNoTailOfItsFastSiblings() {
    // Every page asks one product that takes 300 ms and two that take 80 ms, at one path: the
    // slow one is the same request every time (its hash), not a tail.
    List<Flow> pages = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pages.add(
          Timeline.parse(
              10,
              "GET /products",
              "p" + i,
              "render |=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=|  A=a+b+c",
              "a      | ssssssssssssssssssssssssssssss | url=http://p/product?n=REDACTED hash=1",
              "b      | ssssssss                       | url=http://p/product?n=REDACTED hash=2",
              "c      | ssssssss                       | url=http://p/product?n=REDACTED hash=3"));
    }

    for (FlowReport r : Analysis.analyse(pages).flows()) {
      assertThat(r.suggestions()).as(r.flow().traceId()).isEmpty();
    }
  }

  @Test
  void tasksWaitingOnTheirChildrenInTheSamePoolHoldTheirThreads() {
    // Item 3: p and q wait on their children c, d and e, f in a pool of 3; the two waiting parents
    // leave one thread, and the children run one or two at a time.
    String pool = "pool=nested/executor/3";
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=|  A=p+q+c+d+e+f",
            "w1     |          CCCCCCCCCCCCCCCCCCCC            | role=executor C=c+d",
            "w2     |          DDDDDDDDDDDDDDDDDDDDDDDDDDDDDD  | role=executor D=e+f",
            "p      |ssssssssss                                | thread=w1 " + pool,
            "q      |ssssssssss                                | thread=w2 " + pool,
            "c      |          ssssssssss                      | thread=w3 " + pool,
            "d      |          qqqqqqqqqqssssssssss            | thread=w3 " + pool,
            "e      |          qqqqqqqqqqqqqqqqqqqqssssssssss  | thread=w1 " + pool,
            "f      |          qqqqqqqqqqqqqqqqqqqqssssssssss  | thread=w3 " + pool);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
    assertThat(top.title()).isEqualTo("Raise executor 'nested' from 3 to 6");
    // Six threads: the children all run 100-200 ms, and the parents wake up then (420 ms -> 220).
    assertThat(top.predictedNanos()).isEqualTo(220 * MS);
  }

  @Test
  void aClientPerTaskOpensConnectionsEveryPageButAColdPoolOnlyOnTheFirst() {
    // Item 4: the same host, four calls at once per page.
    List<Flow> perCall = new ArrayList<>();
    List<Flow> shared = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      // One page after another (a page still running holds its connections).
      perCall.add(fourAtOnce("new" + i, i * 1000, "new", "cccssssssss"));
      shared.add(
          fourAtOnce(
              "shared" + i,
              i * 1000,
              i == 0 ? "new" : "reused",
              i == 0 ? "cccssssssss" : "ssssssss"));
    }

    AnalysisResult perCallResult = Analysis.analyse(perCall);
    AnalysisResult sharedResult = Analysis.analyse(shared);

    assertThat(perCallResult.flows().get(0).suggestions()).as("a cold pool").isEmpty();
    for (int i = 1; i < 3; i++) {
      Suggestion s = perCallResult.flows().get(i).suggestions().get(0);
      assertThat(s.kind()).isEqualTo(SuggestionKind.REUSE_CONNECTIONS);
      assertThat(s.title()).isEqualTo("Reuse connections: 4 calls opened a new one");
      assertThat(s.predictedNanos()).isEqualTo(100 * MS);
    }
    for (FlowReport r : sharedResult.flows()) {
      assertThat(r.suggestions()).as(r.flow().traceId()).isEmpty();
    }
  }

  @Test
  void pagesStartedTogetherOnAColdSharedClientEachOpenTheirOwn() {
    // A newcomer's service after a restart: four pages at once, each opening connections of a
    // shared client (none idle: the others are in use), then pages that reuse them. No page that
    // ran beside the others could have had one of their connections.
    List<Flow> flows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      flows.add(fourAtOnce("cold" + i, 0, "new", "cccssssssss"));
    }
    for (int i = 0; i < 3; i++) {
      flows.add(fourAtOnce("warm" + i, 1000 + i * 1000, "reused", "ssssssss"));
    }

    for (FlowReport r : Analysis.analyse(flows).flows()) {
      assertThat(r.suggestions())
          .as(r.flow().traceId())
          .extracting(Suggestion::kind)
          .doesNotContain(SuggestionKind.REUSE_CONNECTIONS);
    }
  }

  private static Flow fourAtOnce(String trace, int startMs, String reuse, String call) {
    String pad = " ".repeat(11 - call.length());
    return Timeline.parse(
        10,
        "GET /tiles",
        trace,
        "render |=" + "A".repeat(call.length()) + pad + "=|  A=a+b+c+d start-ms=" + startMs,
        "a      | " + call + pad + " | host=h:1 " + reuse,
        "b      | " + call + pad + " | host=h:1 " + reuse,
        "c      | " + call + pad + " | host=h:1 " + reuse,
        "d      | " + call + pad + " | host=h:1 " + reuse);
  }

  @Test
  void theSameRequestIsToldByItsHashThoughItsQueryIsRedacted() {
    // Item 5: four fetches of one configuration URL; two pages of a listing are not the same.
    String config = "mode=sync url=http://conf/config?tenant=REDACTED hash=c0ffee";
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=cccc=dddd=|",
            "a      | ssss                | " + config,
            "b      |      ssss           | after-wait=a " + config,
            "c      |           ssss      | after-wait=b " + config,
            "d      |                ssss | after-wait=c " + config);
    Flow pages =
        Timeline.parse(
            "render |=aaaa=bbbb=|",
            "a      | ssss      | mode=sync url=http://l/items?page=REDACTED hash=0001",
            "b      |      ssss | mode=sync url=http://l/items?page=REDACTED hash=0002 after-wait=a");

    Suggestion dup = Analysis.suggest(flow).get(0);
    List<Suggestion> listing = Analysis.suggest(pages);

    assertThat(dup.kind()).isEqualTo(SuggestionKind.DUPLICATE_CALL);
    assertThat(dup.title()).isEqualTo("Make GET /config once: the page makes it 4 times");
    // Made once: only the render's own 50 ms and the first fetch's 40 ms are left.
    assertThat(dup.predictedNanos()).isEqualTo(90 * MS);
    assertThat(listing).extracting(Suggestion::kind).containsExactly(SuggestionKind.PARALLELIZE);
  }

  @Test
  void aPoolUsedOneTaskAtATimeShouldGetAllTasksAtOnce() {
    // Item 6: each task is submitted after the page waited for the one before.
    String pool = "mode=sync pool=io/executor/4";
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=cccc=|",
            "a      | ssss           | thread=w1 " + pool,
            "b      |      ssss      | thread=w2 " + pool,
            "c      |           ssss | thread=w3 " + pool);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.PARALLELIZE);
    assertThat(top.spanIds()).containsExactly("a", "b", "c");
    assertThat(top.predictedNanos()).isEqualTo(80 * MS);
  }

  @Test
  void aCallThatCarriesAnEarlierResponsesValueStaysAfterIt() {
    // Item 7: b carries a value a returned; c needs nothing.
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=cccc=|",
            "a      | ssss           | mode=sync",
            "b      |      ssss      | mode=sync after-wait=a data=a",
            "c      |           ssss | mode=sync after-wait=b");

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.PARALLELIZE);
    // a then b (it takes the render's 10 ms from a's answer to b), c beside them: 120 ms, not
    // the 80 ms of three calls at once.
    assertThat(top.predictedNanos()).isEqualTo(120 * MS);
  }

  @Test
  void noSuggestionSaysWhy() {
    // Item 8.
    Flow chain =
        Timeline.parse(
            "render |=aaaa=bbbb=cccc=|",
            "a      | ssss           | mode=sync url=http://f/feed",
            "b      |      ssss      | mode=sync after-wait=a data=a url=http://f/feed2",
            "c      |           ssss | mode=sync after-wait=b data=b url=http://f/feed3");
    Flow small =
        Timeline.parse(
            1,
            "GET /page",
            "small",
            "render |=" + "a".repeat(100) + "=" + "bb" + "=|",
            "a      | " + "s".repeat(100) + "    | mode=sync",
            "b      | " + " ".repeat(101) + "ss | mode=sync after-wait=a");

    assertThat(Analysis.analyse(List.of(chain)).flows().get(0).whyNone())
        .isEqualTo(
            "the waits are one dependent chain, each call needing the one before it: GET /feed"
                + " -> GET /feed2 -> GET /feed3");
    assertThat(Analysis.analyse(List.of(small)).flows().get(0).whyNone())
        .as("a and b issued together would save b's 2 ms")
        .startsWith("the best change found (parallelize: Issue the 2 calls together")
        .contains(") would save 2");
  }

  @Test
  void aRetryAfterABackOffShouldNotWait() {
    // a failed at once; the task slept 120 ms, then retried the same request.
    String retry = "mode=sync thread=w1 pool=parts/executor/4 hash=1234 url=http://inv/inventory";
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAAAAAAAAAAAAAAA=|  A=b",
            "a      | s                     | status=503 " + retry,
            "b      |              ssssssss | " + retry);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.RETRY_BACKOFF);
    assertThat(top.title())
        .isEqualTo("Retry GET /inventory without the 120 ms back-off, or fall back");
    assertThat(top.predictedNanos()).isEqualTo(110 * MS);
  }

  @Test
  void blockingCallsOnTheCommonPoolAreItsWaitsNotItsSize() {
    String cp = "mode=sync pool=ForkJoinPool.commonPool-worker/executor/2 role=common-pool";
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAAAAAAAAAAAAAA=|  A=a+b+c+d",
            "cp1    | aaaaaaaaaacccccccccc | role=common-pool",
            "cp2    | bbbbbbbbbbdddddddddd | role=common-pool",
            "a      | ssssssssss           | thread=cp1 " + cp,
            "b      | ssssssssss           | thread=cp2 " + cp,
            "c      | qqqqqqqqqqssssssssss | thread=cp1 " + cp,
            "d      | qqqqqqqqqqssssssssss | thread=cp2 " + cp);

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s)
        .extracting(Suggestion::kind)
        .containsExactly(SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER);
    assertThat(s.get(0).title()).startsWith("Do not block the common pool");
    assertThat(s.get(0).predictedNanos()).isEqualTo(120 * MS);
  }
}
