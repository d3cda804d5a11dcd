package dev.reqflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reqflow.analysis.Suggestion;
import dev.reqflow.analysis.SuggestionKind;
import dev.reqflow.e2e.FixtureRecording.Page;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.PoolKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spring MVC async fixture (agent-fixtures/async-mvc-app: Boot 4.0, Tomcat) with the agent, as
 * a user runs it: a page that fans three calls out on a pool and returns a {@code
 * CompletableFuture}, a {@code Callable} and a {@code DeferredResult}. Each request must be one
 * flow lasting what the client waited, with its calls, their sites in the fixture's code, and the
 * response's wait linked to the calls that released it; the two-worker page must get {@code
 * raise-pool-limit} first, predicting the three-worker page within 10%.
 */
class AsyncMvcFixtureTest {
  private static final int WARM_UPS = 3;
  private static final int JUDGED = 5;
  private static final List<String> PATHS =
      List.of("page?workers=2", "page?workers=3", "callable", "callable?together=true", "deferred");

  /** Pages loaded by this many clients at once, through a pool all requests share. */
  private static final int CONCURRENT = 3;

  private static final List<String> SHARED = List.of("shared?pool=2", "shared?pool=6");

  /** Kept after the run (target/fixtures): the traces and the services' output, to look into. */
  private static final Path dir = Path.of("target", "fixtures", "async-mvc");

  private static SlowBackends backends;

  @BeforeAll
  static void startBackends() throws Exception {
    backends = new SlowBackends(Map.of("user", 150, "cart", 200, "deals", 250));
  }

  @AfterAll
  static void stopBackends() {
    backends.close();
  }

  @Test
  void onJava17() throws Exception {
    check(record(System.getProperty("java.home"), "17"));
  }

  @Test
  void onJava25() throws Exception {
    String jdk25 = FixtureRun.jdk25();
    assumeTrue(jdk25 != null, "no Java 25 here");
    check(record(jdk25, "25"));
  }

  private static FixtureRecording record(String javaHome, String name) throws Exception {
    Path runDir = dir.resolve("java" + name);
    Files.createDirectories(runDir);
    try (FixtureRun run =
        FixtureRun.start(
            javaHome,
            FixtureRun.jar("reqflow.async-mvc.jar"),
            runDir,
            "flow.query=workers;together;pool",
            backends.url())) {
      List<FixtureRun.Load> loads = run.loadAll(PATHS, WARM_UPS + JUDGED);
      // Then rounds of concurrent pages, one path per round: within a round the flows' order by
      // start need not be the loads', but they are all of that path.
      for (int i = 0; i < WARM_UPS + JUDGED; i++) {
        for (String path : SHARED) {
          loads.addAll(run.loadTogether(path, CONCURRENT));
        }
      }
      for (FixtureRun.Load l : loads) {
        assertThat(l.status()).as(l.path() + ": " + l.body()).isEqualTo(200);
      }
      Path trace = run.stop();
      return new FixtureRecording(loads, trace, run.stderr());
    }
  }

  private static void check(FixtureRecording rec) {
    assertThat(rec.stderr)
        .contains("reqflow agent")
        .doesNotContain("SELF-CHECK FAILED")
        .doesNotContain("could not instrument")
        .doesNotContain("instrumentation failed");
    List<Page> two = rec.of("page?workers=2", WARM_UPS);
    List<Page> three = rec.of("page?workers=3", WARM_UPS);
    List<Page> callable = rec.of("callable", WARM_UPS);
    List<Page> together = rec.of("callable?together=true", WARM_UPS);
    List<Page> sharedTwo = rec.of("shared?pool=2", WARM_UPS * CONCURRENT);
    List<Page> sharedSix = rec.of("shared?pool=6", WARM_UPS * CONCURRENT);
    List<Page> deferred = rec.of("deferred", WARM_UPS);

    for (Page p : two) {
      assertThat(p.flow().name()).isEqualTo("GET /page?workers=2");
      fannedOut(p, "page-two-worker", 2);
    }
    for (Page p : three) {
      assertThat(p.flow().name()).isEqualTo("GET /page?workers=3");
      fannedOut(p, "page-three-worker", 3);
      assertThat(p.report().suggestions()).as("three workers: nothing to change").isEmpty();
    }
    for (Page p : callable) {
      assertThat(p.flow().name()).isEqualTo("GET /callable");
      assertThat(FixtureRecording.callPaths(p.flow())).containsExactly("/user", "/cart");
      fromFixture(p.flow().calls());
    }
    for (Page p : deferred) {
      assertThat(p.flow().name()).isEqualTo("GET /deferred");
      assertThat(FixtureRecording.callPaths(p.flow())).containsExactly("/deals");
      fromFixture(p.flow().calls());
      assertThat(responseWait(p).releasedBy()).containsExactly(p.flow().calls().get(0).spanId());
    }
    for (List<Page> pages : List.of(two, three, callable, together, deferred)) {
      FixtureRecording.flowsLastWhatTheClientWaited(pages);
    }

    for (Page p : two) {
      assertThat(p.report().suggestions()).as("two workers").isNotEmpty();
      assertThat(p.report().suggestions().get(0).kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
      assertThat(p.report().suggestions().get(0).title()).contains("'page-two-worker'", "to 3");
      // Named where the application made the pool (in a @Bean method), not where a call was made.
      assertThat(dev.reqflow.report.ChangeSites.of(p.flow(), topOf(p)))
          .startsWith("AsyncMvcApp.fixedPool(AsyncMvcApp.java:");
    }
    long predicted = FixtureRecording.medianMs(two, p -> topOf(p).predictedNanos() / 1_000_000);
    long measured = FixtureRecording.medianMs(three, Page::flowMs);
    System.out.printf(
        "async-mvc: workers=2 %d ms, raise-pool-limit predicts %d ms; workers=3 measured %d ms%n",
        FixtureRecording.medianMs(two, Page::flowMs), predicted, measured);
    assertThat((double) predicted).isBetween(0.9 * measured, 1.1 * measured);

    serialOnTheAsyncExecutor(callable, together);
    queuedBehindOtherRequests(sharedTwo, sharedSix);
  }

  /**
   * The {@code Callable}'s two calls, one after the other on Spring's async executor while the
   * request thread waits: {@code parallelize} first, predicting the page that issues both at once.
   */
  private static void serialOnTheAsyncExecutor(List<Page> callable, List<Page> together) {
    for (Page p : together) {
      assertThat(p.flow().name()).isEqualTo("GET /callable?together=true");
      assertThat(FixtureRecording.callPaths(p.flow())).containsExactlyInAnyOrder("/user", "/cart");
      assertThat(p.report().suggestions())
          .as("both at once: nothing to issue together")
          .noneMatch(s -> s.kind() == SuggestionKind.PARALLELIZE);
    }
    for (Page p : callable) {
      assertThat(p.report().suggestions()).as("serial on the async executor").isNotEmpty();
      assertThat(topOf(p).kind()).isEqualTo(SuggestionKind.PARALLELIZE);
      assertThat(topOf(p).explanation()).contains("which the page waits for");
    }
    long predicted =
        FixtureRecording.medianMs(callable, p -> topOf(p).predictedNanos() / 1_000_000);
    long measured = FixtureRecording.medianMs(together, Page::flowMs);
    System.out.printf(
        "async-mvc: callable %d ms, parallelize predicts %d ms; together measured %d ms%n",
        FixtureRecording.medianMs(callable, Page::flowMs), predicted, measured);
    assertThat((double) predicted).isBetween(0.9 * measured, 1.1 * measured);
  }

  /**
   * Three pages at once, each fanning two calls out on a pool of two that all requests share: alone
   * a page fits, together they queue behind each other. {@code raise-pool-limit} first, to the
   * pages' peak demand, predicting the page on a pool of six.
   */
  private static void queuedBehindOtherRequests(List<Page> two, List<Page> six) {
    for (Page p : six) {
      assertThat(p.flow().name()).isEqualTo("GET /shared?pool=6");
      assertThat(p.report().suggestions())
          .as("a pool as large as the peak")
          .noneMatch(s -> s.kind() == SuggestionKind.RAISE_POOL_LIMIT);
    }
    for (Page p : two) {
      assertThat(p.flow().name()).isEqualTo("GET /shared?pool=2");
      assertThat(p.flow().calls()).hasSize(2);
    }
    // Judged on the median page, as the cases are: the first page of a round may not have queued.
    List<Page> queued =
        two.stream()
            .filter(p -> p.flow().calls().stream().anyMatch(c -> queuedMs(c) > 50))
            .toList();
    assertThat(queued.size()).as("pages that queued").isGreaterThanOrEqualTo(two.size() / 2);
    for (Page p : queued) {
      assertThat(p.report().suggestions()).as("queued behind other requests").isNotEmpty();
      assertThat(topOf(p).kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
      assertThat(topOf(p).title()).contains("'shared-two' from 2 to");
    }
    long predicted = FixtureRecording.medianMs(two, p -> predictedOrMeasured(p) / 1_000_000);
    long measured = FixtureRecording.medianMs(six, Page::flowMs);
    System.out.printf(
        "async-mvc: shared pool of 2 %d ms, raise-pool-limit predicts %d ms; pool of 6 measured"
            + " %d ms%n",
        FixtureRecording.medianMs(two, Page::flowMs), predicted, measured);
    assertThat((double) predicted).isBetween(0.9 * measured, 1.1 * measured);
  }

  /** The first suggestion's prediction when it raises the pool, else the page's own time. */
  private static long predictedOrMeasured(Page p) {
    List<Suggestion> s = p.report().suggestions();
    return !s.isEmpty() && s.get(0).kind() == SuggestionKind.RAISE_POOL_LIMIT
        ? s.get(0).predictedNanos()
        : p.flow().durationNanos();
  }

  private static long queuedMs(Call c) {
    return c.phaseNanos(dev.reqflow.flow.PhaseKind.QUEUED) / 1_000_000;
  }

  private static Suggestion topOf(Page p) {
    return p.report().suggestions().get(0);
  }

  /** Three calls, each from a task of the pool, the response's wait released by all three. */
  private static void fannedOut(Page p, String pool, int limit) {
    List<Call> calls = p.flow().calls();
    assertThat(FixtureRecording.callPaths(p.flow()))
        .containsExactlyInAnyOrder("/user", "/cart", "/deals");
    fromFixture(calls);
    for (Call c : calls) {
      assertThat(c.pool().kind()).isEqualTo(PoolKind.EXECUTOR);
      assertThat(c.pool().name()).isEqualTo(pool);
      assertThat(c.pool().limit()).isEqualTo(limit);
    }
    assertThat(responseWait(p).releasedBy())
        .containsExactlyInAnyOrderElementsOf(calls.stream().map(Call::spanId).toList());
  }

  /** Every call: answered, by the JDK client, from a line of the fixture's own code. */
  private static void fromFixture(List<Call> calls) {
    for (Call c : calls) {
      assertThat(c.status()).as(c.label()).isEqualTo(200);
      assertThat(c.client()).isEqualTo("jdk-httpclient");
      assertThat(c.callSite().function()).startsWith("com.example.asyncmvc.");
      assertThat(c.callSite().line()).isPositive();
    }
  }

  /** The render thread's wait for the async result. */
  private static Block responseWait(Page p) {
    List<Block> waits =
        p.flow().renderBlocks().stream().filter(b -> b.kind().equals("async.response")).toList();
    assertThat(waits).as("the response's wait in " + p.flow().name()).hasSize(1);
    return waits.get(0);
  }
}
