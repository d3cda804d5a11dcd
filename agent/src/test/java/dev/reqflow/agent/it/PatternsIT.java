package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One forked JVM with the real shaded agent loads every page of {@code Patterns} once; each test
 * checks the recorded shape of one pattern. Times are only compared with wide margins.
 */
class PatternsIT {
  static final String MAIN = "com.example.patterns.Patterns";
  static final String[] STRATEGIES = {
    "serial-new-client",
    "serial-shared-client",
    "pool-2",
    "async",
    "async-okhttp",
    "dependent",
    "late-issue",
    "late-issue-chained",
    "per-host-limit",
    "jdk-send",
    "supply-async",
  };
  static final long MS = 1_000_000L;

  static Recorded rec;

  @BeforeAll
  static void run() throws Exception {
    rec =
        AgentRun.run(
            System.getProperty("java.home"), "", AgentRun.programClassPath(), withMain(STRATEGIES));
  }

  static String[] withMain(String... args) {
    String[] out = new String[args.length + 1];
    out[0] = MAIN;
    System.arraycopy(args, 0, out, 1, args.length);
    return out;
  }

  @Test
  void agentStartsQuietlyAndTagsTheResource() {
    assertThat(rec.stderr).contains("reqflow agent").doesNotContain("SELF-CHECK FAILED");
    assertThat(rec.stderr).doesNotContain("instrumentation failed");
    assertThat(rec.resources).isNotEmpty();
    assertThat(rec.resources.get(0)).containsKey("reqflow.agent.version");
  }

  @Test
  void everyPageIsAServerFlowWithItsCalls() {
    for (String s : STRATEGIES) {
      RecordedSpan flow = rec.page(s);
      assertThat(flow.kind).as(s).isEqualTo(2); // SERVER
      assertThat(flow.name).isEqualTo("GET /home/" + s);
      assertThat(flow.attr("http.response.status_code")).isEqualTo("200");
      assertThat(flow.attr("url.query")).contains("token=REDACTED").doesNotContain("secret");
      List<RecordedSpan> calls = rec.under(flow, "call");
      assertThat(calls).as(s).isNotEmpty();
      for (RecordedSpan c : calls) {
        assertThat(c.kind).isEqualTo(3); // CLIENT
        assertThat(c.start).isGreaterThanOrEqualTo(flow.start);
        assertThat(c.end).isGreaterThan(c.start);
        assertThat(c.attr("http.response.status_code")).as(c.toString()).isEqualTo("200");
        assertThat(c.attr("code.function.name")).as(c.toString()).startsWith(MAIN);
        assertThat(c.attr("code.line.number")).isNotNull();
        assertThat(c.event("response.body_done")).as(c.toString()).isNotNull();
        assertThat(c.event("response.first_byte").time)
            .isLessThanOrEqualTo(c.event("response.body_done").time);
      }
    }
  }

  @Test
  void serialNewClientNeverReusesAConnection() {
    List<RecordedSpan> calls = rec.under(rec.page("serial-new-client"), "call");
    assertThat(calls).hasSize(3);
    for (RecordedSpan c : calls) {
      assertThat(c.attributes.get("reqflow.connection.reused")).isEqualTo(false);
      assertThat(c.event("connect.start")).isNotNull();
      assertThat(c.attr("reqflow.call.mode")).isEqualTo("sync");
    }
    List<RecordedSpan> blocks = rec.waits(rec.page("serial-new-client"));
    assertThat(blocks).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(blocks.get(i).attr("reqflow.block.kind")).isEqualTo("okhttp.execute");
      assertThat(blocks.get(i).linked("waited-on")).containsExactly(calls.get(i).spanId);
    }
  }

  @Test
  void serialSharedClientReusesAfterTheFirst() {
    List<RecordedSpan> calls = rec.under(rec.page("serial-shared-client"), "call");
    assertThat(calls).hasSize(3);
    assertThat(calls.get(1).attributes.get("reqflow.connection.reused")).isEqualTo(true);
    assertThat(calls.get(2).attributes.get("reqflow.connection.reused")).isEqualTo(true);
    // Each later call was issued only after the render thread waited on the one before.
    assertThat(calls.get(1).linked("after-wait")).containsExactly(calls.get(0).spanId);
  }

  @Test
  void poolOfTwoQueuesLaterCallsAndThePageWaitsOnThem() {
    RecordedSpan flow = rec.page("pool-2");
    List<RecordedSpan> calls = rec.under(flow, "call");
    assertThat(calls).hasSize(6);
    for (RecordedSpan c : calls) {
      assertThat(c.attr("reqflow.pool.kind")).isEqualTo("executor");
      assertThat(c.attr("reqflow.pool.limit")).isEqualTo("2");
      assertThat(c.attr("reqflow.thread.role")).isEqualTo("executor");
      RecordedSpan.RecordedEvent d = c.event("dispatched");
      assertThat(d).isNotNull();
      assertThat(d.attributes.get("reqflow.queue.kind")).isEqualTo("executor");
    }
    // All six were submitted before the first one ended; the last ones waited for a worker
    // through at least two earlier calls of 60 ms each.
    long lastStart = calls.stream().mapToLong(c -> c.start).max().getAsLong();
    assertThat(lastStart).isLessThan(calls.get(0).end);
    long queued =
        calls.stream().filter(c -> c.event("dispatched").time - c.start > 80 * MS).count();
    assertThat(queued).isGreaterThanOrEqualTo(2);

    List<RecordedSpan> renderBlocks =
        rec.waits(flow).stream()
            .filter(b -> "render".equals(b.attr("reqflow.thread.role")))
            .collect(Collectors.toList());
    assertThat(renderBlocks).isNotEmpty();
    List<String> callIds = calls.stream().map(c -> c.spanId).collect(Collectors.toList());
    for (RecordedSpan b : renderBlocks) {
      assertThat(b.attr("reqflow.block.kind")).isEqualTo("future.get");
      assertThat(b.attr("code.function.name")).startsWith(MAIN);
      assertThat(b.linked("waited-on")).isNotEmpty();
      assertThat(callIds).containsAll(b.linked("waited-on"));
    }
    // The waits that ended last were released by the queued calls.
    RecordedSpan lastBlock = renderBlocks.get(renderBlocks.size() - 1);
    RecordedSpan released = rec.byId(lastBlock.linked("waited-on").get(0));
    assertThat(released.event("dispatched").time - released.start).isGreaterThan(80 * MS);
  }

  @Test
  void asyncIssuesEveryCallBeforeTheFirstWait() {
    RecordedSpan flow = rec.page("async");
    List<RecordedSpan> calls = rec.under(flow, "call");
    List<RecordedSpan> blocks = rec.waits(flow);
    assertThat(calls).hasSize(4);
    assertThat(blocks).isNotEmpty();
    long firstBlock = blocks.get(0).start;
    for (RecordedSpan c : calls) {
      assertThat(c.start).isLessThan(firstBlock);
      assertThat(c.attr("reqflow.call.mode")).isEqualTo("async");
      assertThat(c.attr("reqflow.call.client")).isEqualTo("jdk-httpclient");
    }
    assertThat(blocks.get(0).attr("reqflow.block.kind")).isEqualTo("completable.join");
    assertThat(blocks.get(0).linked("waited-on")).isNotEmpty();
  }

  @Test
  void okHttpCallbacksCompleteTheFuturesThePageWaitsOn() {
    RecordedSpan flow = rec.page("async-okhttp");
    List<RecordedSpan> calls = rec.under(flow, "call");
    assertThat(calls).hasSize(4);
    List<RecordedSpan> blocks = rec.waits(flow);
    assertThat(blocks).hasSize(1);
    // allOf over four futures, each completed inside one call's callback: the wait links the
    // calls still running when it began, and always the one that ended last.
    RecordedSpan block = blocks.get(0);
    List<String> linked = block.linked("waited-on");
    RecordedSpan last = calls.stream().max(Comparator.comparingLong(c -> c.end)).get();
    assertThat(linked).contains(last.spanId);
    for (RecordedSpan c : calls) {
      if (!linked.contains(c.spanId)) {
        assertThat(c.end).as(c.toString()).isLessThanOrEqualTo(block.start + 5 * MS);
      }
    }
    for (RecordedSpan c : calls) {
      assertThat(c.attr("reqflow.pool.name")).isEqualTo("okhttp-dispatcher");
      assertThat(c.event("dispatched")).isNotNull();
    }
  }

  @Test
  void dependentCallIsLinkedAsCallbackOfTheUser() {
    RecordedSpan flow = rec.page("dependent");
    List<RecordedSpan> calls = rec.under(flow, "call");
    assertThat(calls).hasSize(2);
    RecordedSpan user = calls.get(0);
    RecordedSpan recs = calls.get(1);
    assertThat(user.request()).isEqualTo("GET /b/user");
    assertThat(recs.request()).isEqualTo("GET /b/recommendations");
    assertThat(recs.linked("callback")).containsExactly(user.spanId);
    assertThat(recs.start).isGreaterThanOrEqualTo(user.end - 5 * MS);
    assertThat(recs.attr("url.full")).endsWith("?ms=REDACTED");
    List<RecordedSpan> blocks = rec.waits(flow);
    assertThat(blocks).hasSize(1);
    assertThat(blocks.get(0).linked("waited-on")).contains(recs.spanId);
  }

  @Test
  void lateIssuedCallIsLinkedAfterTheWait() {
    RecordedSpan flow = rec.page("late-issue");
    List<RecordedSpan> calls = rec.under(flow, "call");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).linked("after-wait")).containsExactly(calls.get(0).spanId);
    assertThat(calls.get(1).linked("callback")).isEmpty();
  }

  @Test
  void waitsThroughChainsLinkTheCallAtTheirRoot() {
    // sendAsync(..).thenApply(..), then exceptionally(..).join() on the reviews.
    RecordedSpan flow = rec.page("late-issue-chained");
    List<RecordedSpan> calls = rec.under(flow, "call");
    assertThat(calls).hasSize(3);
    RecordedSpan reviews = calls.get(1);
    RecordedSpan cart = calls.get(2);
    RecordedSpan firstWait = rec.waits(flow).get(0);
    assertThat(firstWait.linked("waited-on")).contains(reviews.spanId);
    assertThat(cart.linked("after-wait")).contains(reviews.spanId);
  }

  @Test
  void okHttpPerHostLimitQueuesInTheDispatcher() {
    RecordedSpan flow = rec.page("per-host-limit");
    List<RecordedSpan> calls = rec.under(flow, "call");
    assertThat(calls).hasSize(10);
    for (RecordedSpan c : calls) {
      assertThat(c.attr("reqflow.pool.limit_per_host")).isEqualTo("5");
      assertThat(c.event("dispatched")).isNotNull();
    }
    List<RecordedSpan> perHost =
        calls.stream()
            .filter(
                c -> "per-host".equals(c.event("dispatched").attributes.get("reqflow.queue.kind")))
            .collect(Collectors.toList());
    assertThat(perHost).hasSizeBetween(4, 6);
    for (RecordedSpan c : perHost) {
      // Held until one of the first five (100 ms each) finished.
      assertThat(c.event("dispatched").time - c.start).isGreaterThan(50 * MS);
    }
  }

  @Test
  void supplyAsyncCarriesTheFlowToTheCommonPool() {
    RecordedSpan flow = rec.page("supply-async");
    List<RecordedSpan> calls = rec.under(flow, "call");
    assertThat(calls).hasSize(2);
    for (RecordedSpan c : calls) {
      // The common pool, or a thread per task where it has a single worker (2 cores).
      assertThat(c.attr("reqflow.thread.role")).isIn("common-pool", "executor");
      assertThat(c.attr("reqflow.pool.kind")).isEqualTo("executor");
      assertThat(c.event("dispatched")).isNotNull();
    }
    RecordedSpan firstWait =
        rec.waits(flow).stream()
            .filter(b -> "render".equals(b.attr("reqflow.thread.role")))
            .findFirst()
            .orElseThrow();
    assertThat(firstWait.linked("waited-on")).isNotEmpty();
  }

  @Test
  void jdkSendIsASyncCallAndAWait() {
    RecordedSpan flow = rec.page("jdk-send");
    List<RecordedSpan> calls = rec.under(flow, "call");
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).attr("reqflow.call.mode")).isEqualTo("sync");
    assertThat(calls.get(0).attributes).containsKey("reqflow.connection.reused");
    List<RecordedSpan> blocks = rec.waits(flow);
    assertThat(blocks).hasSize(1);
    assertThat(blocks.get(0).attr("reqflow.block.kind")).isEqualTo("httpclient.send");
    assertThat(blocks.get(0).linked("waited-on")).containsExactly(calls.get(0).spanId);
  }

  @Test
  void traceparentOfTheInboundRequestIsJoined() throws Exception {
    Recorded joined =
        AgentRun.run(
            System.getProperty("java.home"),
            "",
            AgentRun.programClassPath(),
            "-Dpatterns.traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            MAIN,
            "jdk-send");
    RecordedSpan flow = joined.page("jdk-send");
    assertThat(flow.traceId).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(flow.parentSpanId).isEqualTo("b7ad6b7169203331");
    assertThat(Files.exists(Paths.get(AgentRun.agentJar().toString()))).isTrue();
  }
}
