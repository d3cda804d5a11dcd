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
      List.of("page?workers=2", "page?workers=3", "callable", "deferred");

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
            "flow.query=workers",
            backends.url())) {
      List<FixtureRun.Load> loads = run.loadAll(PATHS, WARM_UPS + JUDGED);
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
    for (List<Page> pages : List.of(two, three, callable, deferred)) {
      FixtureRecording.flowsLastWhatTheClientWaited(pages);
    }

    for (Page p : two) {
      assertThat(p.report().suggestions()).as("two workers").isNotEmpty();
      assertThat(p.report().suggestions().get(0).kind()).isEqualTo(SuggestionKind.RAISE_POOL_LIMIT);
      assertThat(p.report().suggestions().get(0).title()).contains("'page-two-worker'", "to 3");
    }
    long predicted = FixtureRecording.medianMs(two, p -> topOf(p).predictedNanos() / 1_000_000);
    long measured = FixtureRecording.medianMs(three, Page::flowMs);
    System.out.printf(
        "async-mvc: workers=2 %d ms, raise-pool-limit predicts %d ms; workers=3 measured %d ms%n",
        FixtureRecording.medianMs(two, Page::flowMs), predicted, measured);
    assertThat((double) predicted).isBetween(0.9 * measured, 1.1 * measured);
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
