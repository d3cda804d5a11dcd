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

  /**
   * The nested-pool case as recorded (50 ms a tick): two parent tasks on a pool of three (w1, w2)
   * each fetch a category, submit two item tasks to the same pool and wait for them; w3 runs three
   * items one after another, and w1, once its children are done, takes the last queued item. w1's
   * category and that item are in two tasks, in that order only because the pool was full: not
   * calls its code makes one after another.
   */
  @Test
  void callsAThreadRanInTwoTasksBecauseThePoolWasFullAreNotSerialCode() {
    String pool = " mode=sync pool=nested/executor/3";
    Flow flow =
        Timeline.parse(
            50,
            "GET /page",
            "nested",
            "render |=PPPPPPPPPPPPPPPPQQQQ=|  P=c Q=d",
            "w1     | xxxxaaaacccccccdddd  |",
            "w2     | yyyybbbbbbbbdddddddd |",
            "w3     |     aaaabbbbcccc     |",
            "x      | ssss                 | thread=w1" + pool,
            "y      | ssss                 | thread=w2" + pool,
            "a      |     ssss             | thread=w3" + pool,
            "b      |     qqqqssss         | thread=w3" + pool,
            "c      |     qqqqqqqqssss     | thread=w3" + pool,
            "d      |     qqqqqqqqqqqqssss | thread=w1" + pool);

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s).isNotEmpty();
    assertThat(s.get(0).kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
    // Why a pool of three ran one item at a time: two of its threads waited for their children.
    assertThat(s.get(0).explanation())
        .contains("\n2 of its 3 threads waited")
        .contains("for calls of tasks queued behind them in this same executor")
        .contains("give the children an executor of their own");
    assertThat(s)
        .filteredOn(x -> x.kind() == SuggestionKind.PARALLELIZE)
        .allSatisfy(x -> assertThat(x.spanIds()).doesNotContain("d"));
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

  /**
   * A Mono.zip of blocking calls moved to boundedElastic (a real service after the suggested fix,
   * under load): the page's wait names no call, and one call queued 60 ms for a worker. Not "issued
   * together, none queued": reqflow cannot tell which calls the page waited for.
   */
  @Test
  void aWaitNoRecordedCallReleasedIsNoAllClearAndNamesTheLongestQueue() {
    String pool = "pool=boundedElastic/executor/0 role=executor";
    Flow flow =
        Timeline.parse(
            "render |=~~~~~~~~~~~~~~~~~~~=|",
            "a      | sssssssss          | thread=be-1 " + pool,
            "b      | qqqqqqsssssssssssss| thread=be-2 " + pool,
            "c      | ssssssss           | thread=be-3 " + pool);

    FlowReport r = Analysis.analyse(List.of(flow)).flows().get(0);

    assertThat(r.suggestions()).isEmpty();
    assertThat(r.whyNone())
        .startsWith("the page waited 190 ms on something no recorded call released")
        .contains("queued up to 60 ms in 'boundedElastic'")
        .doesNotContain("none of them queued");
  }

  /**
   * Reactor Netty's pool records its per-host limit only (500 by default): the sentence gives that
   * limit, never "at most 0 at once" (a real WebClient service's report said so).
   */
  @Test
  void aQueueBehindOthersNamesThePerHostLimitWhenThePoolHasNoOther() {
    String pool = "pool=http/connection-pool/0/500 host=h:1 mode=async";
    Flow second =
        Timeline.parse(
            10,
            "GET /page",
            "second",
            "render |=AAAAAAAAAAAAAAAAAA=|  A=c+d",
            "c      | qqqqqqqqssssssss   | " + pool,
            "d      | ssssssssssssssss   | " + pool);

    FlowReport r = Analysis.analyse(List.of(second)).flows().get(0);

    assertThat(r.whyNone())
        .startsWith("its calls queued behind other flows")
        .contains("in 'http' (at most 500 at once)")
        .doesNotContain("at most 0");
  }

  private static Suggestion reuseAdvice(String client) {
    String call = "new host=h:1 mode=sync client=" + client;
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=|",
            "a      | ccss      | " + call,
            "b      |      ccss | after-wait=a " + call);
    return Analysis.suggest(flow).stream()
        .filter(x -> x.kind() == SuggestionKind.REUSE_CONNECTIONS)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void reuseConnectionsAdviceFitsTheClient() {
    assertThat(reuseAdvice("httpurlconnection").explanation())
        .contains("keep-alive cache", "read each response body to its end", "close its stream")
        .doesNotContain("create one", "Create one");
    assertThat(reuseAdvice("okhttp").explanation()).contains("one OkHttpClient");
    assertThat(reuseAdvice("jdk-httpclient").explanation()).contains("one HttpClient");
    assertThat(reuseAdvice("apache-httpclient4").explanation())
        .contains("pooling connection manager", "EntityUtils.consume");
    assertThat(reuseAdvice("apache-httpclient5-async").explanation()).contains("Apache HttpClient");
    assertThat(reuseAdvice("reactor-netty").explanation()).contains("one WebClient");
  }

  @Test
  void manyUrlConnectionCallsToOneHostAtOnceNameTheKeepAliveCacheLimit() {
    StringBuilder render = new StringBuilder("render |=AAAA=BBBB=|  A=a+b+c+d+e+f B=g");
    List<String> lines = new java.util.ArrayList<>(List.of(render.toString()));
    String call = " new host=h:1 client=httpurlconnection thread=w";
    for (char c = 'a'; c <= 'f'; c++) {
      lines.add(c + "      | ccss      |" + call + c);
    }
    lines.add("g      |      ccss |" + call + "g after-wait=a");

    Suggestion s =
        Analysis.suggest(Timeline.parse(lines.toArray(String[]::new))).stream()
            .filter(x -> x.kind() == SuggestionKind.REUSE_CONNECTIONS)
            .findFirst()
            .orElseThrow();

    assertThat(s.explanation()).contains("-Dhttp.maxConnections=6");
  }

  @Test
  void aDeliberateParallelRepeatTiesWithALargerPoolWhichGoesFirst() {
    String same = " url=http://cfg:1/config host=cfg:1 pool=exec/executor/2 mode=sync";
    Flow flow =
        Timeline.parse(
            "render |=AAAAAAAAAAAAAAAAAAAA=|  A=a+b+c+d",
            "a      | ssssssssss           | thread=w1" + same,
            "b      | ssssssssss           | thread=w2" + same,
            "c      | qqqqqqqqqqssssssssss | thread=w1" + same,
            "d      | qqqqqqqqqqssssssssss | thread=w2" + same);

    List<Suggestion> s = Analysis.suggest(flow);

    assertThat(s)
        .extracting(Suggestion::kind)
        .containsExactly(SuggestionKind.RAISE_POOL_LIMIT, SuggestionKind.DUPLICATE_CALL);
    assertThat(s.get(0).savingNanos()).isEqualTo(s.get(1).savingNanos());
  }

  @Test
  void aRealRepeatInALoopSavesMostAndGoesFirst() {
    String same = " url=http://cfg:1/config host=cfg:1 mode=sync";
    Flow flow =
        Timeline.parse(
            "render |=aaaa=bbbb=cccc=dddd=|",
            "a      | ssss                | " + same,
            "b      |      ssss           | after-wait=a" + same,
            "c      |           ssss      | after-wait=b" + same,
            "d      |                ssss | after-wait=c" + same);

    assertThat(Analysis.suggest(flow).get(0).kind()).isEqualTo(SuggestionKind.DUPLICATE_CALL);
  }

  @Test
  void rankingTiesGoInKindOrderWhateverTheInputOrder() {
    Suggestion dup = suggestion(SuggestionKind.DUPLICATE_CALL, 100_500_000L);
    Suggestion pool = suggestion(SuggestionKind.RAISE_POOL_LIMIT, 100_000_000L);
    Suggestion small = suggestion(SuggestionKind.PARALLELIZE, 50_000_000L);

    assertThat(Ranking.suggestions(List.of(small, dup, pool)))
        .containsExactly(pool, dup, small)
        .isEqualTo(Ranking.suggestions(List.of(pool, small, dup)));
  }

  private static Suggestion suggestion(SuggestionKind kind, long saving) {
    return new Suggestion(kind, kind.id(), "", List.of(), List.of(), 0, saving);
  }

  /**
   * Pages served at once do not take each other's connections (a real WebClient service under 40
   * concurrent pages got "Reuse connections: 3 calls opened a new one" while every connection
   * already open was held by another page). A's call leaves one connection in the shared pool; B
   * and C start together later: B takes it, C must open one, and reusing would not have saved C
   * anything. A fourth page D after them could have reused one of the two: it is told so.
   */
  @Test
  void aConnectionAnotherRunningFlowHoldsIsNotIdle() {
    Flow a =
        Timeline.parse(
            10, "GET /p", "ta", "render |=aaaaaaaa=| start-ms=0", "a | cssssss | host=h:1 new");
    Flow b =
        Timeline.parse(
            10,
            "GET /p",
            "tb",
            "render |=aaaaaaaaaaaaaaaaaaaaaaa=| start-ms=200",
            "a      | sssssssssssssssssssssss | host=h:1 reused");
    Flow c =
        Timeline.parse(
            10,
            "GET /p",
            "tc",
            "render |=aaaaaaaaaaaaaaaaaaaaaaa=| start-ms=201",
            "a      | ccccssssssssssssssssss | host=h:1 new");
    Flow d =
        Timeline.parse(
            10,
            "GET /p",
            "td",
            "render |=aaaaaaaaaaaa=| start-ms=600",
            "a      | ccccssssss | host=h:1 new");
    AnalysisResult r = Analysis.analyse(List.of(a, b, c, d));
    assertThat(kinds(r, "tc")).doesNotContain(SuggestionKind.REUSE_CONNECTIONS);
    assertThat(kinds(r, "td")).contains(SuggestionKind.REUSE_CONNECTIONS);
  }

  private static List<SuggestionKind> kinds(AnalysisResult r, String traceId) {
    return r.flows().stream()
        .filter(f -> f.flow().traceId().equals(traceId))
        .findFirst()
        .orElseThrow()
        .suggestions()
        .stream()
        .map(Suggestion::kind)
        .toList();
  }
}
