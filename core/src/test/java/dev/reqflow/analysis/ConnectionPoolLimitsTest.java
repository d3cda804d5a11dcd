package dev.reqflow.analysis;

import static dev.reqflow.flow.Timeline.MS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.flow.Flow;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.flow.Timeline;
import dev.reqflow.whatif.Change;
import org.junit.jupiter.api.Test;

/**
 * A client's connection pool (Apache HttpClient's {@code PoolingHttpClientConnectionManager}): the
 * wait to lease a connection is the queue, limited per route and in total, and the advice names the
 * setting that binds.
 */
class ConnectionPoolLimitsTest {
  private static final String POOL = "PoolingHttpClientConnectionManager@1b2c3d4e";

  @Test
  void thePerRouteLimitIsRaisedWhenCallsToOneRouteQueue() {
    // 8 calls to one backend through a pool of 5 per route and 25 in total: 3 wait for a
    // connection until the first ones are released.
    String pool = "pool=" + POOL + "/connection-pool/25/5 host=ads:80 client=apache-httpclient5";
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAA==|  A=a+b+c+d+e+f+g+h",
            "a      |ssss      | " + pool,
            "b      |ssss      | " + pool,
            "c      |ssss      | " + pool,
            "d      |ssss      | " + pool,
            "e      |ssss      | " + pool,
            "f      |qqqqssss  | " + pool,
            "g      |qqqqssss  | " + pool,
            "h      |qqqqssss  | " + pool);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
    assertThat(top.title())
        .isEqualTo(
            "Raise the connection pool's max per route from 5 to 8"
                + " (PoolingHttpClientConnectionManager setDefaultMaxPerRoute/setMaxPerRoute)");
    assertThat(top.changes()).containsExactly(new Change.SetPoolLimit(POOL, PoolKind.PER_ROUTE, 8));
    assertThat(top.predictedNanos()).isEqualTo(60 * MS);
    assertThat(top.explanation())
        .contains("3 calls waited 120 ms in total to lease a connection")
        .contains("which allows 5 connections per route and 25 in total")
        .contains("setMaxPerRoute(route, 8) for ads:80")
        .contains("5.x allows 5 per route and 25 in total by default");
  }

  @Test
  void callsAsTheAgentMarksThemFormOnePool() {
    // The agent marks the calls the per-route limit queued per-route, the others connection-pool:
    // all hold connections of the same pool.
    String first = "pool=" + POOL + "/connection-pool/20/2 host=ads:80 client=apache-httpclient4";
    String queued = "pool=" + POOL + "/per-route/20/2 host=ads:80 client=apache-httpclient4";
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAAAAAA==|  A=a+b+c+d+e+f",
            "a      |ssss          | " + first,
            "b      |ssss          | " + first,
            "c      |qqqqssss      | " + queued,
            "d      |qqqqssss      | " + queued,
            "e      |qqqqqqqqssss  | " + queued,
            "f      |qqqqqqqqssss  | " + queued);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.title())
        .isEqualTo(
            "Raise the connection pool's max per route from 2 to 6"
                + " (PoolingHttpClientConnectionManager setDefaultMaxPerRoute/setMaxPerRoute)");
    assertThat(top.predictedNanos()).isEqualTo(60 * MS);
    assertThat(top.explanation()).contains("4.x allows 2 per route and 20 in total by default");
  }

  @Test
  void callsIssuedTogetherAreServedInTheOrderThePoolServedThem() {
    // Three tasks submitted at once lease in the order their threads start: a, submitted first,
    // was the one that waited. The page waits on a alone.
    String pool = "pool=" + POOL + "/connection-pool/25/2 host=ads:80";
    Flow flow =
        Timeline.parse(
            "render |aaaaaaaa==|",
            "a      |qqqqssss  | " + pool,
            "b      |ssss      | " + pool,
            "c      |ssss      | " + pool);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.title()).startsWith("Raise the connection pool's max per route from 2 to 3");
    assertThat(top.predictedNanos()).isEqualTo(60 * MS);
  }

  @Test
  void theTotalIsRaisedWhenThePoolIsFullAcrossRoutes() {
    String pool = "pool=" + POOL + "/connection-pool/2/5";
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAA==|  A=a+b+c+d",
            "a      |ssss      | host=users:80 " + pool,
            "b      |ssss      | host=cart:80 " + pool,
            "c      |qqqqssss  | host=ads:80 " + pool,
            "d      |qqqqssss  | host=deals:80 " + pool);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.title())
        .isEqualTo(
            "Raise the connection pool's max total from 2 to 4"
                + " (PoolingHttpClientConnectionManager setMaxTotal)");
    assertThat(top.changes())
        .containsExactly(new Change.SetPoolLimit(POOL, PoolKind.CONNECTION_POOL, 4));
    assertThat(top.predictedNanos()).isEqualTo(60 * MS);
  }

  @Test
  void bothLimitsAreRaisedWhenTheRouteNeedsMoreThanThePoolHolds() {
    // 6 calls to one route, 2 per route and 4 in total: widening the route alone would leave
    // the total binding.
    String pool = "pool=" + POOL + "/connection-pool/4/2 host=ads:80";
    Flow flow =
        Timeline.parse(
            "render |AAAAAAAAAAAA==|  A=a+b+c+d+e+f",
            "a      |ssss          | " + pool,
            "b      |ssss          | " + pool,
            "c      |qqqqssss      | " + pool,
            "d      |qqqqssss      | " + pool,
            "e      |qqqqqqqqssss  | " + pool,
            "f      |qqqqqqqqssss  | " + pool);

    Suggestion top = Analysis.suggest(flow).get(0);

    assertThat(top.title())
        .isEqualTo(
            "Raise the connection pool's max per route from 2 to 6 and max total from 4 to 6"
                + " (PoolingHttpClientConnectionManager setDefaultMaxPerRoute/setMaxPerRoute,"
                + " setMaxTotal)");
    assertThat(top.predictedNanos()).isEqualTo(60 * MS);
  }

  @Test
  void aPoolThatQueuedNothingGetsNoSuggestion() {
    String pool = "pool=" + POOL + "/connection-pool/25/5 host=ads:80";
    Flow flow =
        Timeline.parse(
            "render |AAAA==|  A=a+b+c",
            "a      |ssss  | " + pool,
            "b      |ssss  | " + pool,
            "c      |sss   | " + pool);

    assertThat(Analysis.suggest(flow))
        .extracting(Suggestion::kind)
        .doesNotContain(SuggestionKind.RAISE_POOL_LIMIT);
  }

  @Test
  void theManagerIsNamedOnlyWhenThePoolNameIsAClass() {
    assertThat(ConnectionPoolLimits.managerClass(POOL))
        .isEqualTo("PoolingHttpClientConnectionManager");
    assertThat(ConnectionPoolLimits.managerClass("PoolingAsyncClientConnectionManager"))
        .isEqualTo("PoolingAsyncClientConnectionManager");
    assertThat(ConnectionPoolLimits.managerClass("okhttp-dispatcher")).isEmpty();
    assertThat(ConnectionPoolLimits.managerClass("")).isEmpty();
  }
}
