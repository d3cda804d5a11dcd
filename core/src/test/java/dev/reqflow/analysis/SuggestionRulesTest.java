package dev.reqflow.analysis;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionRulesTest {

  @Test
  void serialSynchronousCallsShouldBeIssuedTogether() {
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=cccc=|",
            "a      | ssss           | mode=sync site=31",
            "b      |      ssss      | mode=sync site=32 after-wait=a",
            "c      |           ssss | mode=sync site=33 after-wait=b");

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s).hasSize(1);
    Suggestion top = s.get(0);
    assertThat(top.kind()).isEqualTo(SuggestionKind.PARALLELIZE);
    assertThat(top.spanIds()).containsExactly("a", "b", "c");
    assertThat(top.predictedNanos()).isEqualTo(80 * MS);
    assertThat(top.savingNanos()).isEqualTo(80 * MS);
    assertThat(top.explanation()).contains("Page.render(Page.java:32)");
  }

  /**
   * The page waits for two calls it issued together, then makes three one after another (a
   * newcomer's bundle page): predicted as the title says, the three issued together where the page
   * issued the first of them; what issuing them with its first call would give is said apart.
   */
  @Test
  void serialCallsAfterAWaitArePredictedTogetherWhereTheFirstWasIssued() {
    Flow flow =
        Timeline.parse(
            "render |=PPPP=xxxxyyyyzzzz=|  P=p+q",
            "p      | sss               | mode=async site=20",
            "q      | ssss              | mode=async site=21",
            "x      |      ssss         | mode=sync site=31 after-wait=q",
            "y      |          ssss     | mode=sync site=31 after-wait=x",
            "z      |              ssss | mode=sync site=31 after-wait=y");

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.PARALLELIZE);
    assertThat(top.spanIds()).containsExactly("x", "y", "z");
    assertThat(top.predictedNanos()).isEqualTo(110 * MS);
    assertThat(top.explanation())
        .contains("where the page issues the first of them")
        .contains("the page would take 70 ms instead of 110 ms.");
  }

  @Test
  void aGoodPageGetsNoSuggestion() {
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=|",
            "a      | ssss      | reused",
            "b      | sssssssss | reused",
            "c      | sss       | reused");

    assertThat(Analysis.suggest(flow)).isEmpty();
  }

  @Test
  void aRealDependencyIsNotParallelized() {
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAA=|  A=b",
            "a      | ssss     | thread=okhttp role=client-dispatcher",
            "b      |     ssss | thread=okhttp role=client-dispatcher callback=a");

    assertThat(Analysis.suggest(flow)).isEmpty();
  }

  @Test
  void anAsyncCallIssuedAfterAnUnrelatedWaitShouldBeIssuedEarlier() {
    Flow flow =
        Timeline.parse(
            "render |=aaaa=cccc=|",
            "a      | ssss      |",
            "c      |      ssss | after-wait=a url=http://recs/r");

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s).extracting(Suggestion::kind).containsExactly(SuggestionKind.ISSUE_EARLIER);
    assertThat(s.get(0).title()).isEqualTo("Issue GET /r earlier, before the page waits");
    assertThat(s.get(0).savingNanos()).isEqualTo(40 * MS);
  }

  /** Four calls on an executor of two: c and d wait 40 ms in its queue. */
  private static Flow fourCallsOnTwoWorkers(String poolAttributes) {
    String pool = "pool=workers/executor/2" + poolAttributes;
    return Timeline.parse(
        "render |AAAAAAAA==|  A=a+b+c+d",
        "a      |ssss      | " + pool,
        "b      |ssss      | " + pool,
        "c      |qqqqssss  | " + pool,
        "d      |qqqqssss  | " + pool);
  }

  @Test
  void aSmallPoolThatQueuesCallsShouldGrow() {
    Flow flow = fourCallsOnTwoWorkers("");

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
    assertThat(top.title()).isEqualTo("Raise executor 'workers' from 2 to 4");
    assertThat(top.predictedNanos()).isEqualTo(60 * MS);
    // The calls listed are those that queued, each with its wait: the total is their sum.
    assertThat(top.explanation())
        .contains("2 calls waited 80 ms in total in the queue of executor 'workers'")
        .contains(", queued 40 ms of 80 ms");
  }

  @Test
  void aPoolToRaiseIsNamedWhereItWasCreated() {
    // The agent saw the executor made at line 20: that is the line to change, not the calls'.
    Flow flow = fourCallsOnTwoWorkers(" pool-created=20");

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
    assertThat(top.explanation())
        .contains(
            "give the executor 4 threads, e.g. Executors.newFixedThreadPool(4), where it is"
                + " created, at Pools.<clinit>(Pools.java:20).");
    assertThat(dev.reqflow.report.ChangeSites.of(flow, top))
        .isEqualTo("Pools.<clinit>(Pools.java:20)");
  }

  @Test
  void callsThatQueuedOnlyForTheHandOffAreOneLine() {
    // An OkHttp dispatcher of 2: a and b wait 1 ms to be handed to a thread, c and d 50 ms.
    String pool = "pool=okhttp/dispatcher/2";
    Flow flow =
        Timeline.parse(
            1,
            "GET /page",
            "t",
            "render |" + "A".repeat(100) + "==|  A=a+b+c+d",
            "a      |q" + "s".repeat(49) + " ".repeat(52) + "| " + pool,
            "b      |q" + "s".repeat(49) + " ".repeat(52) + "| " + pool,
            "c      |" + "q".repeat(50) + "s".repeat(50) + "  | " + pool,
            "d      |" + "q".repeat(50) + "s".repeat(50) + "  | " + pool);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
    assertThat(top.explanation())
        .contains("4 calls waited 102 ms in total")
        .contains(", queued 50 ms of 100 ms")
        .contains("\n  - and 2 calls queued briefly, at most 1.0 ms")
        .doesNotContain("queued 1.0 ms of");
  }

  @Test
  void thePerHostLimitIsTheOneToRaiseWhenOneHostQueues() {
    String pool = "pool=okhttp/dispatcher/64/2 host=ads:80";
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAA==|  A=a+b+c+d",
            "a      |ssss      | " + pool,
            "b      |ssss      | " + pool,
            "c      |qqqqssss  | " + pool,
            "d      |qqqqssss  | " + pool);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.title())
        .isEqualTo("Raise the per-host limit of dispatcher 'okhttp' from 2 to 4");
    assertThat(top.savingNanos()).isEqualTo(40 * MS);
  }

  @Test
  void perHostQueueingAsTheAgentMarksItRaisesThePerHostLimit() {
    // The agent gives calls that the per-host limit queued the kind per-host, the others the
    // dispatcher's.
    String first = "pool=okhttp/dispatcher/64/2 host=ads:80";
    String queued = "pool=okhttp/per-host/64/2 host=ads:80";
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAA==|  A=a+b+c+d",
            "a      |ssss      | " + first,
            "b      |ssss      | " + first,
            "c      |qqqqssss  | " + queued,
            "d      |qqqqssss  | " + queued);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
    assertThat(top.title())
        .isEqualTo("Raise the per-host limit of dispatcher 'okhttp' from 2 to 4");
    assertThat(top.predictedNanos()).isEqualTo(60 * MS);
  }

  @Test
  void aHandshakeHiddenInTheFirstByteIsLearnedFromReusedConnections() {
    // Connecting looks free on loopback, but a new connection's first answer comes 50 ms late:
    // seen by comparing the same request over new and reused connections.
    List<Flow> flows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      flows.add(
          Timeline.parse(
              10,
              "GET /p",
              "fresh" + i,
              "render |=aaaaaaaa=| start-ms=" + (i * 2000),
              "a      | ssssssss | new url=http://u/x"));
      flows.add(
          Timeline.parse(
              10,
              "GET /p",
              "reused" + i,
              "render |=aaa=| start-ms=" + (i * 2000 + 1000),
              "a      | sss | reused url=http://u/x"));
    }

    AnalysisResult result = Analysis.analyse(flows);

    // fresh0 opened the first connection of the service to u: a cold pool, not to be reused.
    assertThat(result.flows().get(0).suggestions()).isEmpty();
    Suggestion s = result.flows().get(2).suggestions().get(0);
    assertThat(s.kind()).isEqualTo(SuggestionKind.REUSE_CONNECTIONS);
    assertThat(s.predictedNanos()).isEqualTo(50 * MS);
    assertThat(s.explanation()).contains("came 50 ms later in total than on reused ones");
    assertThat(s.explanation()).doesNotContain("leaves out");
    assertThat(result.flows().get(1).suggestions()).isEmpty();
  }

  @Test
  void keepAliveOffEverywhereLeavesTheHandshakeOutAndSaysSo() {
    // Every call to u opens a connection (keep-alive off): its DNS and connect show, but whatever
    // else a new connection costs (a remote handshake in the first byte) has no reused connection
    // to be compared with. The prediction saves the phases only, and says what it leaves out.
    List<Flow> flows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      flows.add(
          Timeline.parse(
              10,
              "GET /p",
              "fresh" + i,
              "render |=aaaaaaaaa=| start-ms=" + (i * 1000),
              "a      | ccsssssss | new host=u:80 url=http://u:80/x"));
    }

    AnalysisResult result = Analysis.analyse(flows);

    assertThat(result.flows().get(0).suggestions()).isEmpty();
    Suggestion s = result.flows().get(1).suggestions().get(0);
    assertThat(s.kind()).isEqualTo(SuggestionKind.REUSE_CONNECTIONS);
    assertThat(s.predictedNanos()).isEqualTo(90 * MS);
    assertThat(s.explanation())
        .contains(
            "The prediction leaves out what else a new connection costs a first response",
            "no recorded call to u:80 reused a connection",
            "The page may take less than predicted.");
  }

  @Test
  void tooFewReusedConnectionsToCompareLeaveTheHandshakeOutAndSaySo() {
    // One page reused a connection to u: not enough to tell what a new one costs its first byte.
    List<Flow> flows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      flows.add(
          Timeline.parse(
              10,
              "GET /p",
              "fresh" + i,
              "render |=aaaaaaaaa=| start-ms=" + (i * 1000),
              "a      | ccsssssss | new host=u:80 url=http://u:80/x"));
    }
    flows.add(
        Timeline.parse(
            10,
            "GET /p",
            "reused",
            "render |=aaa=| start-ms=3000",
            "a      | sss | reused host=u:80 url=http://u:80/x"));

    Suggestion s = Analysis.analyse(flows).flows().get(1).suggestions().get(0);

    assertThat(s.kind()).isEqualTo(SuggestionKind.REUSE_CONNECTIONS);
    assertThat(s.explanation())
        .contains(
            "The prediction leaves out what else a new connection costs a first response",
            "no request to u:80 was recorded 3 times on new and on reused connections")
        .doesNotContain("no recorded call to u:80 reused a connection");
  }

  @Test
  void redactedQueriesAreNotTakenForDuplicates() {
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=|",
            "a      | ssss      | url=http://p/product?id=REDACTED",
            "b      |      ssss | url=http://p/product?id=REDACTED after-wait=a");

    assertThat(Analysis.suggest(flow))
        .extracting(Suggestion::kind)
        .doesNotContain(SuggestionKind.DUPLICATE_CALL);
  }

  @Test
  void aNewConnectionWhereAnEarlierCallsWasFreeShouldBeReused() {
    // b (which needs a's data) opens a new connection to the host a has just finished with: a
    // shared client would have reused it. a had to open one: the pool was cold.
    Flow flow =
        Timeline.parse(
            "render |=aaaaaaaa=bbbbbbbb=|",
            "a      | cctsssss          | mode=sync new host=h:80",
            "b      |          cctsssss | mode=sync new host=h:80 after-wait=a data=a");

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s).extracting(Suggestion::kind).containsExactly(SuggestionKind.REUSE_CONNECTIONS);
    assertThat(s.get(0).spanIds()).containsExactly("b");
    assertThat(s.get(0).savingNanos()).isEqualTo(30 * MS);
  }

  @Test
  void aColdPoolsFirstConnectionsAreNotToBeReused() {
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAA=|  A=a+b",
            "a      | cctsssss |  new host=h:80",
            "b      | cctsssss |  new host=h:80");

    assertThat(Analysis.suggest(flow)).isEmpty();
  }

  @Test
  void aWaitOnTheClientsThreadIsFlaggedWithTheQueueItCaused() {
    // The dispatcher thread waits for b in a callback while c queues for a thread; the page
    // needs a and c.
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAAA=|  A=a+c",
            "okhttp |  bbbbbb   | role=client-dispatcher",
            "a      | sssssss   |",
            "b      | ssssss    |",
            "c      | qqqqqqqss |");

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s)
        .extracting(Suggestion::kind)
        .containsExactly(SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER);
    assertThat(s.get(0).title())
        .isEqualTo("Do not block the HTTP client's threads at Page.render(Page.java:12)");
    assertThat(s.get(0).spanIds()).containsExactly("block-2", "b");
    assertThat(s.get(0).predictedNanos()).isEqualTo(90 * MS);
  }

  @Test
  void aPageThatWaitsOnItsEventLoopShouldComposeInstead() {
    // A WebFlux handler on a Reactor Netty event loop joins each WebClient call in turn: the
    // waits block the loop, and the calls after the first are issued only after a wait.
    Flow flow =
        Timeline.parse(
            "render |=aaaaa=bbbbbb=cccccc=|  role=client-dispatcher",
            "a      | sssss               |",
            "b      |       ssssss        |  after-wait=a",
            "c      |              ssssss |  after-wait=b");

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s)
        .extracting(Suggestion::kind)
        .containsExactly(SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER);
    assertThat(s.get(0).title()).startsWith("Do not block the event loop render at ");
    // Composed: the three calls issued together after the first tick, the slowest done at tick 7,
    // then the two ticks the page still runs after its waits.
    assertThat(s.get(0).predictedNanos()).isEqualTo(90 * MS);
  }

  @Test
  void aWaitOnTheClientsThreadThatCostsNothingIsLeftAlone() {
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAA=|  A=a",
            "okhttp |   bbbbbb | role=client-dispatcher",
            "a      | sssssssss|",
            "b      |   ssssss |");

    assertThat(Analysis.suggest(flow)).isEmpty();
  }

  @Test
  void theSameRequestTwiceShouldBeMadeOnce() {
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=|",
            "a      | ssss      | mode=sync url=http://users/u/1",
            "b      |      ssss | mode=sync url=http://users/u/1 after-wait=a");

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s).extracting(Suggestion::kind).containsExactly(SuggestionKind.DUPLICATE_CALL);
    assertThat(s.get(0).title()).isEqualTo("Make GET /u/1 once: the page makes it 2 times");
    assertThat(s.get(0).predictedNanos()).isEqualTo(70 * MS);
  }

  @Test
  void aCallSlowOnlyBecauseItsThreadWaitedForALockGetsNoTimeout() {
    List<Flow> flows = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      flows.add(
          Timeline.parse(1, "GET /p", "t" + i, "render |=aaaaaaaaaa=|", "a      | ssssssssss |"));
    }
    // The slow one: its task's thread waited 90 ms for a synchronized client (no phase: '-'),
    // then made the usual 10 ms call. A timeout would not shorten the wait for the lock.
    String slow = "=" + "a".repeat(100) + "=";
    flows.add(
        Timeline.parse(
            1,
            "GET /p",
            "t9",
            "render |" + slow + "|",
            "t1     | " + "%".repeat(90) + " | lock=com.example.LockedClient lock-site=31",
            "a      | " + "-".repeat(90) + "s".repeat(10) + " | thread=t1 mode=sync"));

    FlowReport slowOne = Analysis.analyse(flows).flows().get(9);

    assertThat(slowOne.suggestions())
        .extracting(Suggestion::kind)
        .doesNotContain(SuggestionKind.TIMEOUT_SLOW_CALL);
  }

  @Test
  void aSlowOutlierGetsATimeoutFromItsHistory() {
    List<Flow> flows = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      flows.add(
          Timeline.parse(1, "GET /p", "t" + i, "render |=aaaaaaaaaa=|", "a      | ssssssssss |"));
    }
    String slow = "=" + "a".repeat(100) + "=";
    // Named to sort last: flows that start together are taken in trace order, the first is warm-up.
    flows.add(
        Timeline.parse(
            1, "GET /p", "t9", "render |" + slow + "|", "a      | " + "s".repeat(100) + " |"));

    AnalysisResult result = Analysis.analyse(flows);

    FlowReport outlier = result.flows().get(9);
    assertThat(Analysis.suggest(flows.get(9), flows)).isEqualTo(outlier.suggestions());
    assertThat(Analysis.suggest(flows.get(9))).isEmpty();
    assertThat(outlier.suggestions())
        .extracting(Suggestion::kind)
        .containsExactly(SuggestionKind.TIMEOUT_SLOW_CALL);
    Suggestion t = outlier.suggestions().get(0);
    assertThat(t.title()).isEqualTo("Give GET /a a 20 ms timeout and a fallback");
    assertThat(t.predictedNanos()).isEqualTo(22 * MS);
    assertThat(result.flows().get(0).suggestions()).isEmpty();

    EndpointSummary e = result.endpoints().get(0);
    assertThat(e.flowCount()).isEqualTo(10);
    assertThat(e.p50Nanos()).isEqualTo(12 * MS);
    assertThat(e.p95Nanos()).isEqualTo(102 * MS);
    assertThat(e.topBlockers().get(0).flows()).isEqualTo(10);
    assertThat(e.suggestions())
        .singleElement()
        .satisfies(c -> assertThat(c.kind()).isEqualTo(SuggestionKind.TIMEOUT_SLOW_CALL));
  }
}
