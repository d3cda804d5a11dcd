package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.analysis.SuggestionKind;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every HTTP client with a connection pool must show, checked on {@code
 * com.example.apache.Pages} run in a forked JVM with the real agent jar and the real library: each
 * page's calls recorded once, from the test program's own line, with their pool's queue and limits,
 * connection reuse, phases, status and errors, and the waits linked to them; then the analysis of
 * the recorded file: serial calls get {@code parallelize} predicted within 10% of the parallel page
 * measured, and the calls the default per-route limit queued get {@code raise-pool-limit} naming
 * that limit, predicted within 10% of the page with the pool widened. Subclasses name the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PooledClientChecks {
  static final String MAIN = "com.example.apache.Pages";
  static final String[] PAGES = {"serial", "parallel", "route-limited", "route-widened", "shape"};

  /**
   * Rounds of the pages: the first a warm-up, the analysis judges the others (the serial, parallel
   * and route pages). The shape page, whose calls are checked one by one and judged by no analysis,
   * is loaded in the last round only (its {@link #loads}).
   */
  static final int LOADS = 7;

  static final long MS = 1_000_000L;

  /** Backend latency of the program, ms. */
  static final long LATENCY = 200;

  Recorded rec;
  Analysed analysed;

  /** The program's client argument. */
  abstract String client();

  /** {@code reqflow.call.client} of its calls. */
  abstract String clientAttribute();

  /** {@code reqflow.call.mode} of one call of a page. */
  abstract String mode();

  /** The connection manager's class: the start of the pool's name. */
  abstract String manager();

  /** The default pool's limits: per route, in total. */
  abstract int perRoute();

  abstract int total();

  /** Calls of the route-limited page. */
  abstract int routeCalls();

  /** The shape page's calls. */
  abstract void checkShape(List<RecordedSpan> calls);

  abstract int shapeCalls();

  /** Blocks the page's thread records while it waits on one call in the serial page. */
  abstract String serialBlockKind();

  /** True when the client shows when the request was sent (classic clients). */
  boolean showsRequestSent() {
    return true;
  }

  String javaHome() {
    return System.getProperty("java.home");
  }

  @BeforeAll
  void record() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(Paths.get(javaHome())), "no JDK at " + javaHome());
    List<String> args = new ArrayList<>(List.of(MAIN, client(), String.valueOf(LOADS)));
    for (String page : PAGES) {
      args.add(loads(page) == LOADS ? page : page + "*" + loads(page));
    }
    rec = AgentRun.run(javaHome(), "", classPath(), args.toArray(new String[0]));
    analysed = Analysed.of(rec.file);
  }

  /** The test classes and the libraries the programs use, nothing of the agent's own. */
  static String classPath() {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> keep = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      String n = Paths.get(e).getFileName().toString();
      if (e.endsWith("test-classes")
          || n.startsWith("httpclient5-")
          || n.startsWith("httpcore5-")
          || n.startsWith("httpclient-4")
          || n.startsWith("httpcore-4")
          || n.startsWith("commons-logging")
          || n.startsWith("commons-codec")
          || n.startsWith("slf4j-api")
          || n.startsWith("spring-")
          || n.startsWith("micrometer-")
          || n.startsWith("jspecify")) {
        keep.add(e);
      }
    }
    return String.join(File.pathSeparator, keep);
  }

  /** Loads of a page in the run: every round's, or the last round's for the shape page. */
  static int loads(String strategy) {
    return strategy.equals("shape") ? 1 : LOADS;
  }

  List<RecordedSpan> pages(String strategy) {
    List<RecordedSpan> flows = rec.flows("GET /home/" + strategy);
    assertThat(flows).as(strategy + " pages\n" + rec.stderr).hasSize(loads(strategy));
    return flows;
  }

  /** The pages after the first, a warm-up. */
  static List<RecordedSpan> judged(List<RecordedSpan> pages) {
    return pages.subList(1, pages.size());
  }

  List<RecordedSpan> calls(RecordedSpan page) {
    return rec.under(page, "call");
  }

  @Test
  void theAgentInstrumentedTheClientQuietly() {
    assertThat(rec.stderr).contains("reqflow agent").doesNotContain("SELF-CHECK FAILED");
    assertThat(rec.stderr).doesNotContain("instrumentation failed").doesNotContain("agent errors");
  }

  @Test
  void everyCallIsRecordedOnceFromTheProgramsOwnLine() {
    int[] expected = {6, 6, routeCalls(), routeCalls(), shapeCalls()};
    for (int p = 0; p < PAGES.length; p++) {
      for (RecordedSpan page : pages(PAGES[p])) {
        List<RecordedSpan> calls = calls(page);
        assertThat(calls).as(PAGES[p] + " calls").hasSize(expected[p]);
        for (RecordedSpan c : calls) {
          assertThat(c.kind).isEqualTo(3); // CLIENT
          assertThat(c.attr("reqflow.call.client")).isEqualTo(clientAttribute());
          assertThat(c.attr("http.request.method")).isEqualTo("GET");
          assertThat(c.attr("url.full")).startsWith("http://127.0.0.1:");
          assertThat(c.name).isEqualTo("GET");
          assertThat(c.request()).startsWith("GET /");
          assertThat(c.attr("server.address")).isEqualTo("127.0.0.1");
          assertThat(c.attr("server.port")).isNotNull();
          assertThat(c.attr("code.function.name")).as(c.name).startsWith("com.example.apache.");
          assertThat(c.attr("code.line.number")).isNotNull();
          assertThat(c.start).isGreaterThanOrEqualTo(page.start);
          assertThat(c.end).isGreaterThan(c.start).isLessThanOrEqualTo(page.end);
          if (!PAGES[p].equals("shape")) {
            assertThat(c.attr("http.response.status_code")).isEqualTo("200");
            assertThat(c.attr("error.type")).isNull();
            // The call lasts as long as the backend took to answer, download included.
            assertThat(c.end - c.start).isGreaterThanOrEqualTo(LATENCY * MS);
          }
        }
      }
    }
  }

  /**
   * Each call that reached the backend carried one {@code traceparent}, naming the call's span: a
   * service behind it that runs reqflow continues the trace below the call (agent/README.md, Across
   * services).
   */
  @Test
  void everyCallCarriesItsTraceContext() {
    List<String> seen =
        rec.stdout
            .lines()
            .filter(l -> l.startsWith("backend-request "))
            .map(l -> l.substring(l.lastIndexOf(' ') + 1))
            .collect(Collectors.toList());
    int checked = 0;
    for (String page : PAGES) {
      for (RecordedSpan flow : pages(page)) {
        for (RecordedSpan c : calls(flow)) {
          if (c.attr("error.type") != null && c.attr("http.response.status_code") == null) {
            continue; // refused: nothing reached a backend
          }
          assertThat(seen)
              .as(c.name + " " + c.spanId)
              .anyMatch(tp -> tp.startsWith("00-" + c.traceId + "-" + c.spanId + "-"));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(LOADS * 20);
  }

  @Test
  void serialCallsAreWaitedOnOneByOneAndReuseTheirConnections() {
    List<RecordedSpan> pages = pages("serial");
    for (RecordedSpan page : pages) {
      List<RecordedSpan> calls = calls(page);
      List<RecordedSpan> blocks =
          rec.under(page, "block").stream()
              .filter(b -> b.attr("reqflow.thread.role").equals("render"))
              .collect(Collectors.toList());
      assertThat(blocks).hasSize(6);
      for (int i = 0; i < 6; i++) {
        RecordedSpan b = blocks.get(i);
        RecordedSpan c = calls.get(i);
        assertThat(b.attr("reqflow.block.kind")).isEqualTo(serialBlockKind());
        assertThat(b.attr("code.function.name")).startsWith("com.example.apache.");
        assertThat(b.links).extracting(l -> l.spanId).containsExactly(c.spanId);
        assertThat(b.links.get(0).attributes.get("reqflow.link.type")).isEqualTo("waited-on");
        assertThat(c.attr("reqflow.call.mode")).isEqualTo(mode());
        checkPhases(c);
      }
    }
    // The first page opens one connection per backend, its second call to each reuses it; later
    // pages find them all in the pool.
    List<RecordedSpan> first = calls(pages.get(0));
    for (int i = 0; i < 6; i++) {
      boolean reused = i >= 3;
      assertThat(first.get(i).attributes.get("reqflow.connection.reused"))
          .as("call %d reused", i)
          .isEqualTo(reused);
      assertThat(first.get(i).event("connect.start") == null).isEqualTo(reused);
    }
    for (RecordedSpan c : calls(pages.get(LOADS - 1))) {
      assertThat(c.attributes.get("reqflow.connection.reused")).isEqualTo(true);
      assertThat(c.event("connect.start")).isNull();
    }
  }

  /** The phases the client shows, in order, inside the call. */
  void checkPhases(RecordedSpan c) {
    List<String> order = new ArrayList<>(List.of("dispatched"));
    if (c.event("connect.start") != null) {
      order.addAll(List.of("connect.start", "connect.end"));
    }
    if (showsRequestSent()) {
      order.add("request.sent");
    }
    order.add("response.first_byte");
    if (showsRequestSent()) {
      // Classic clients: when the connection went back to the pool, the body read.
      order.add("response.body_done");
    }
    long last = c.start;
    for (String e : order) {
      RecordedSpan.RecordedEvent ev = c.event(e);
      assertThat(ev).as(c.name + " " + e + " in " + c.events).isNotNull();
      assertThat(ev.time).as(e).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo(c.end);
      last = ev.time;
    }
    // The backend's latency lies between the request and its answer.
    assertThat(c.event("response.first_byte").time - c.event("dispatched").time)
        .isGreaterThanOrEqualTo(LATENCY * MS);
  }

  @Test
  void callsTheDefaultPoolHoldsBackQueueForAConnectionWithThePoolsLimits() {
    // Past the first page: there, threads still start and classes load, and the calls that wait
    // do so for other reasons as well.
    for (RecordedSpan page : judged(pages("route-limited"))) {
      List<RecordedSpan> calls = calls(page);
      String pool = calls.get(0).attr("reqflow.pool.name");
      assertThat(pool).startsWith(manager() + "@");
      int queued = 0;
      for (RecordedSpan c : calls) {
        assertThat(c.attr("reqflow.pool.name")).isEqualTo(pool);
        assertThat(c.attr("reqflow.pool.kind")).isIn("connection-pool", "per-route");
        assertThat(c.attr("reqflow.pool.limit")).isEqualTo(String.valueOf(total()));
        assertThat(c.attr("reqflow.pool.limit_per_host")).isEqualTo(String.valueOf(perRoute()));
        RecordedSpan.RecordedEvent d = c.event("dispatched");
        assertThat(d).isNotNull();
        if (d.time - c.start > LATENCY / 2 * MS) {
          queued++;
          // Held by the per-route limit, not by the pool's total.
          assertThat(c.attr("reqflow.pool.kind")).isEqualTo("per-route");
          assertThat(d.attributes.get("reqflow.queue.kind")).isEqualTo("per-route");
        }
      }
      assertThat(queued)
          .as("calls that waited for a connection")
          .isEqualTo(routeCalls() - perRoute());
    }
    for (RecordedSpan page : judged(pages("route-widened"))) {
      for (RecordedSpan c : calls(page)) {
        assertThat(c.attr("reqflow.pool.limit_per_host")).isEqualTo(String.valueOf(routeCalls()));
        assertThat(c.event("dispatched").time - c.start).isLessThan(LATENCY / 2 * MS);
      }
    }
  }

  @Test
  void parallelCallsAreWaitedOnAndLinked() {
    for (RecordedSpan page : pages("parallel")) {
      List<RecordedSpan> calls = calls(page);
      List<String> ids = calls.stream().map(c -> c.spanId).collect(Collectors.toList());
      List<String> waitedOn = new ArrayList<>();
      for (RecordedSpan b : rec.under(page, "block")) {
        if (b.attr("reqflow.thread.role").equals("render")) {
          assertThat(b.attr("code.function.name")).startsWith("com.example.apache.");
          b.links.forEach(l -> waitedOn.add(l.spanId));
        }
      }
      // The page waits on the first call for most of the time; what it waited on is linked.
      assertThat(waitedOn).isNotEmpty();
      assertThat(ids).containsAll(waitedOn);
    }
  }

  @Test
  void theShapePageShowsTheOtherFormsStatusesAndErrors() {
    for (RecordedSpan page : pages("shape")) {
      checkShape(calls(page));
    }
  }

  /**
   * What the analysis calls the serial page's calls: synchronous calls waited for one by one are
   * {@code parallelize}d; asynchronous calls issued only after the page waited are {@code
   * issue-earlier} (the same change: issue them together).
   */
  SuggestionKind serialAdvice() {
    return SuggestionKind.PARALLELIZE;
  }

  @Test
  void serialCallsShouldBeIssuedTogetherAsTheParallelPageDoes() {
    analysed.topSuggestionPredicts("GET /home/serial", serialAdvice(), "GET /home/parallel");
  }

  @Test
  void thePerRouteLimitShouldBeRaisedAsTheWidenedPoolDoes() {
    List<Suggestion> tops =
        analysed.topSuggestionPredicts(
            "GET /home/route-limited", SuggestionKind.RAISE_POOL_LIMIT, "GET /home/route-widened");
    for (Suggestion s : tops) {
      assertThat(s.title())
          .isEqualTo(
              "Raise the connection pool's max per route from "
                  + perRoute()
                  + " to "
                  + routeCalls()
                  + " ("
                  + manager()
                  + " setDefaultMaxPerRoute/setMaxPerRoute)");
    }
  }

  @Test
  void theWidenedAndParallelPagesGetNoPoolAdvice() {
    for (String good : List.of("GET /home/route-widened", "GET /home/parallel")) {
      for (FlowReport r : analysed.judged(good)) {
        assertThat(r.suggestions())
            .extracting(Suggestion::kind)
            .as(good)
            .doesNotContain(SuggestionKind.RAISE_POOL_LIMIT, SuggestionKind.PARALLELIZE);
      }
    }
  }

  static Path jdk25() {
    return Paths.get(System.getProperty("reqflow.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
  }
}
