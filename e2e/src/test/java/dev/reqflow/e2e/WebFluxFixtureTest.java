package dev.reqflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.SuggestionKind;
import dev.reqflow.e2e.FixtureRecording.Page;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.ConnectionReuse;
import dev.reqflow.flow.DependencyType;
import dev.reqflow.flow.PhaseKind;
import dev.reqflow.flow.PoolKind;
import dev.reqflow.flow.ThreadRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WebFlux fixture (agent-fixtures/webflux-app: Boot 4.0, Reactor Netty, WebClient) with the
 * agent, as a user runs it. Its page makes three calls, waiting for each on the event loop ({@code
 * variant=blocking}, the classic mistake) or composing them ({@code variant=composed}, the fix);
 * {@code /recommended} chains a call on another's response. Each request must be one flow lasting
 * what the client waited, with its WebClient calls (pool, phases, reuse, status, the fixture's
 * line), the waits on the event loop linked to their calls and carrying the dispatcher role, the
 * chained call linked {@code callback}; the blocking page must get {@code
 * blocking-wait-on-dispatcher} first, predicting the composed page within 10%.
 */
class WebFluxFixtureTest {
  private static final int WARM_UPS = 3;
  private static final int JUDGED = 5;
  private static final List<String> PATHS =
      List.of("page?variant=blocking", "page?variant=composed", "recommended");

  /** Kept after the run (target/fixtures): the traces and the services' output, to look into. */
  private static final Path dir = Path.of("target", "fixtures", "webflux");

  private static SlowBackends backends;

  @BeforeAll
  static void startBackends() throws Exception {
    backends =
        new SlowBackends(Map.of("user", 150, "cart", 200, "deals", 250, "recommendations", 100));
  }

  @AfterAll
  static void stopBackends() {
    backends.close();
  }

  /**
   * On Java 17 only: Reactor Netty, WebClient and Boot are the same jars on 25, where
   * ReactorNettyIT (the agent's) checks the server's flows, the client's calls and the event loops'
   * role, StalledFlowsIT a {@code CompletableFuture.join} and DeploymentsIT a Boot fat jar.
   */
  @Test
  void onJava17() throws Exception {
    check(record(System.getProperty("java.home"), "17"));
  }

  private static FixtureRecording record(String javaHome, String name) throws Exception {
    Path runDir = dir.resolve("java" + name);
    Files.createDirectories(runDir);
    try (FixtureRun run =
        FixtureRun.start(
            javaHome,
            FixtureRun.jar("reqflow.webflux.jar"),
            runDir,
            "flow.query=variant",
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
    List<Page> blocking = rec.of("page?variant=blocking", WARM_UPS);
    List<Page> composed = rec.of("page?variant=composed", WARM_UPS);
    List<Page> recommended = rec.of("recommended", WARM_UPS);

    for (Page p : blocking) {
      assertThat(p.flow().name()).isEqualTo("GET /page?variant=blocking");
      assertThat(p.flow().renderThread().name()).startsWith("reactor-http-");
      List<Call> calls = p.flow().calls();
      assertThat(FixtureRecording.callPaths(p.flow())).containsExactly("/user", "/cart", "/deals");
      webClientCalls(calls);
      List<Block> joins =
          p.flow().renderBlocks().stream()
              .filter(b -> b.kind().equals("completable.join"))
              .toList();
      assertThat(joins).as("a wait on the event loop per call").hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(joins.get(i).thread().role()).isEqualTo(ThreadRole.CLIENT_DISPATCHER);
        assertThat(joins.get(i).releasedBy()).containsExactly(calls.get(i).spanId());
        assertThat(joins.get(i).site().function()).startsWith("com.example.webflux.");
      }
      assertThat(calls.get(1).dependsOn(calls.get(0).spanId(), DependencyType.AFTER_WAIT)).isTrue();
      assertThat(p.report().suggestions()).as("blocking").isNotEmpty();
      assertThat(p.report().suggestions().get(0).kind())
          .isEqualTo(SuggestionKind.BLOCKING_WAIT_ON_DISPATCHER);
      assertThat(p.report().suggestions().get(0).title())
          .contains("event loop " + p.flow().renderThread().name());
    }
    for (Page p : composed) {
      assertThat(p.flow().name()).isEqualTo("GET /page?variant=composed");
      webClientCalls(p.flow().calls());
      assertThat(FixtureRecording.callPaths(p.flow()))
          .containsExactlyInAnyOrder("/user", "/cart", "/deals");
      Block wait = responseWait(p);
      assertThat(wait.releasedBy()).hasSize(1);
      assertThat(p.report().suggestions()).as("composed: nothing to change").isEmpty();
    }
    for (Page p : recommended) {
      List<Call> calls = p.flow().calls();
      assertThat(FixtureRecording.callPaths(p.flow())).containsExactly("/user", "/recommendations");
      webClientCalls(calls);
      Call next = calls.get(1);
      assertThat(next.dependsOn(calls.get(0).spanId(), DependencyType.CALLBACK)).isTrue();
      assertThat(next.thread().role()).isEqualTo(ThreadRole.CLIENT_DISPATCHER);
      assertThat(responseWait(p).releasedBy()).containsExactly(next.spanId());
      assertThat(p.report().suggestions()).as("a real dependency").isEmpty();
    }
    for (List<Page> pages : List.of(blocking, composed, recommended)) {
      FixtureRecording.flowsLastWhatTheClientWaited(pages);
    }

    long predicted =
        FixtureRecording.medianMs(
            blocking, p -> p.report().suggestions().get(0).predictedNanos() / 1_000_000);
    long measured = FixtureRecording.medianMs(composed, Page::flowMs);
    System.out.printf(
        "webflux: blocking %d ms, blocking-wait-on-dispatcher predicts %d ms;"
            + " composed measured %d ms%n",
        FixtureRecording.medianMs(blocking, Page::flowMs), predicted, measured);
    assertThat((double) predicted).isBetween(0.9 * measured, 1.1 * measured);
  }

  /**
   * Every call: Reactor Netty's, answered, from the fixture's line, through the pool with Reactor
   * Netty's default limits, on a connection the warm-up left open, with its phases.
   */
  private static void webClientCalls(List<Call> calls) {
    for (Call c : calls) {
      assertThat(c.client()).isEqualTo("reactor-netty");
      assertThat(c.status()).as(c.label()).isEqualTo(200);
      assertThat(c.callSite().function()).startsWith("com.example.webflux.");
      assertThat(c.pool().kind()).isEqualTo(PoolKind.CONNECTION_POOL);
      assertThat(c.pool().name()).isEqualTo("http");
      // HttpResources' provider: max(2 * processors (at least 16), 500) per remote address.
      assertThat(c.pool().limitPerHost()).isEqualTo(500);
      assertThat(c.connectionReuse()).as(c.label()).isEqualTo(ConnectionReuse.REUSED);
      assertThat(c.phaseNanos(PhaseKind.SERVER)).as(c.label()).isPositive();
      assertThat(c.phaseNanos(PhaseKind.DOWNLOAD)).as(c.label()).isGreaterThanOrEqualTo(0);
    }
  }

  private static Block responseWait(Page p) {
    List<Block> waits =
        p.flow().renderBlocks().stream().filter(b -> b.kind().equals("async.response")).toList();
    assertThat(waits).as("the response's wait in " + p.flow().name()).hasSize(1);
    return waits.get(0);
  }
}
