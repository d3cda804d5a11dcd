package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Reactor Netty 1.3 without Spring ({@code com.example.reactive.ReactorNettyProgram}) with the real
 * agent, on Java 17 and 25, against a backend on 127.0.0.1 that answers after 60 ms: the server's
 * requests are flows that end when the response is written; the client's calls are issued at
 * subscribe, wait in the connection pool with its limits, show their phases, connection reuse and
 * status, point at the program's line; a call made on another's response is its callback; each of
 * Reactor's blocking waits is a block span linked to its call.
 */
class ReactorNettyIT {
  private static final String MAIN = "com.example.reactive.ReactorNettyProgram";
  private static final String FLOWS = MAIN + "#waits;" + MAIN + "#pooled";
  private static final long BACKEND_MS = 60;

  @Test
  void onJava17() throws Exception {
    check(System.getProperty("java.home"));
  }

  @Test
  void onJava25() throws Exception {
    String home = System.getProperty("reqflow.jdk25.home", "");
    assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no JDK 25 at " + home);
    check(home);
  }

  private static void check(String javaHome) throws Exception {
    try (LoopbackBackend backend = new LoopbackBackend(BACKEND_MS, true)) {
      Recorded rec =
          AgentRun.run(
              javaHome, "flows=" + FLOWS, AgentRun.programClassPath(), MAIN, backend.url());
      assertThat(rec.stdout).contains("fanout 200 okokok", "chain 200 ok", "done");
      assertThat(rec.stderr)
          .doesNotContain("SELF-CHECK FAILED")
          .doesNotContain("could not instrument")
          .doesNotContain("instrumentation failed")
          .doesNotContain("still open at exit");

      RecordedSpan fanout = one(rec.flows("GET /fanout"));
      assertThat(fanout.kind).isEqualTo(2); // SERVER
      assertThat(fanout.attr("http.response.status_code")).isEqualTo("200");
      List<RecordedSpan> calls = rec.under(fanout, "call");
      assertThat(calls).extracting(c -> c.request()).containsExactly("GET /a", "GET /b", "GET /c");
      for (RecordedSpan c : calls) {
        isReactorNettyCall(c, "http", 500);
        // Its request carried its span's trace context (agent/README.md, Across services).
        assertThat(backend.traceparents)
            .anyMatch(tp -> tp.startsWith("00-" + c.traceId + "-" + c.spanId + "-"));
        // Subscribed on the server's event loop, inside the handler.
        assertThat(c.attr("thread.name")).startsWith("reactor-http-");
        assertThat(c.attr("reqflow.thread.role")).isEqualTo("client-dispatcher");
      }
      RecordedSpan wait = responseWait(rec, fanout);
      assertThat(calls.stream().map(c -> c.spanId).collect(Collectors.toList()))
          .containsAll(wait.linked("waited-on"));
      assertThat(wait.linked("waited-on")).hasSize(1);
      // The flow ends when the response is written, after the last call.
      assertThat(fanout.end).isGreaterThanOrEqualTo(calls.get(2).end);

      RecordedSpan chain = one(rec.flows("GET /chain"));
      List<RecordedSpan> chained = rec.under(chain, "call");
      assertThat(chained).extracting(c -> c.request()).containsExactly("GET /a", "GET /bok");
      assertThat(chained.get(1).linked("callback")).containsExactly(chained.get(0).spanId);
      assertThat(chained.get(1).start).isGreaterThanOrEqualTo(chained.get(0).end);
      assertThat(responseWait(rec, chain).linked("waited-on"))
          .containsExactly(chained.get(1).spanId);

      RecordedSpan waits = one(rec.flows("ReactorNettyProgram.waits"));
      List<RecordedSpan> waited = rec.under(waits, "call");
      List<RecordedSpan> blocks = rec.under(waits, "block");
      assertThat(waited)
          .extracting(c -> c.request())
          .containsExactly("GET /a", "GET /b", "GET /c", "GET /d");
      assertThat(blocks)
          .extracting(b -> b.attr("reqflow.block.kind"))
          .containsExactly("mono.block", "flux.block_first", "flux.block_last", "completable.get");
      for (int i = 0; i < 4; i++) {
        isReactorNettyCall(waited.get(i), "http", 500);
        assertThat(blocks.get(i).linked("waited-on")).containsExactly(waited.get(i).spanId);
        assertThat(blocks.get(i).attr("reqflow.thread.role")).isEqualTo("render");
        assertThat(blocks.get(i).attr("code.function.name")).isEqualTo(MAIN + ".waits");
        assertThat(blocks.get(i).end - blocks.get(i).start)
            .isGreaterThanOrEqualTo((BACKEND_MS - 5) * 1_000_000L);
      }

      RecordedSpan pooled = one(rec.flows("ReactorNettyProgram.pooled"));
      List<RecordedSpan> four = rec.under(pooled, "call");
      assertThat(four).hasSize(4);
      long firstEnd = four.stream().mapToLong(c -> c.end).min().getAsLong();
      long queued = 0;
      for (RecordedSpan c : four) {
        isReactorNettyCall(c, "two-connections", 2);
        assertThat(c.attr("reqflow.pool.pending_limit")).isEqualTo("8");
        // Given a connection only once another call had given its back.
        if (c.event("dispatched").time >= firstEnd - 1_000_000L) {
          queued++;
        }
      }
      // Two connections for four calls: two wait for the first two to finish.
      assertThat(queued).as("calls that queued for a connection").isEqualTo(2);
    }
  }

  private static RecordedSpan one(List<RecordedSpan> flows) {
    assertThat(flows).hasSize(1);
    return flows.get(0);
  }

  /** A Reactor Netty call through {@code pool}: its phases, its status, the program's line. */
  private static void isReactorNettyCall(RecordedSpan c, String pool, int limit) {
    assertThat(c.kind).isEqualTo(3); // CLIENT
    assertThat(c.attr("reqflow.call.client")).isEqualTo("reactor-netty");
    assertThat(c.attr("reqflow.call.mode")).isEqualTo("async");
    assertThat(c.attr("http.response.status_code")).isEqualTo("200");
    assertThat(c.attr("reqflow.pool.kind")).isEqualTo("connection-pool");
    assertThat(c.attr("reqflow.pool.name")).isEqualTo(pool);
    assertThat(c.attr("reqflow.pool.limit_per_host")).isEqualTo(String.valueOf(limit));
    assertThat(c.attr("reqflow.connection.reused")).isNotNull();
    assertThat(c.attr("code.function.name")).isEqualTo(MAIN + ".get");
    for (String e :
        List.of(
            "dispatched",
            "connection.acquired",
            "request.sent",
            "response.first_byte",
            "response.body_done")) {
      assertThat(c.event(e)).as(e + " of " + c).isNotNull();
    }
    // The backend's delay is the server phase (the request is marked sent once its write
    // completed, which a loaded machine may report some milliseconds late).
    assertThat(c.event("response.first_byte").time - c.event("request.sent").time)
        .isGreaterThanOrEqualTo(BACKEND_MS / 2 * 1_000_000L);
    // Completed with the last content (the span ends right after its event, within the margins
    // of a loaded 2-core machine).
    long bodyDone = c.event("response.body_done").time;
    assertThat(c.end).isBetween(bodyDone, bodyDone + 20_000_000L);
  }

  private static RecordedSpan responseWait(Recorded rec, RecordedSpan flow) {
    List<RecordedSpan> waits =
        rec.under(flow, "block").stream()
            .filter(b -> "async.response".equals(b.attr("reqflow.block.kind")))
            .collect(Collectors.toList());
    assertThat(waits).hasSize(1);
    assertThat(waits.get(0).attr("reqflow.thread.role")).isEqualTo("render");
    return waits.get(0);
  }
}
