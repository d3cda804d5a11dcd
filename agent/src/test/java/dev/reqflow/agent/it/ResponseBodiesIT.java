package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.analysis.SuggestionKind;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Response bodies, recorded by the real agent jar in a forked JVM ({@code
 * com.example.bodies.BodyPages}) against a backend this JVM serves on 127.0.0.1, on Java 17 and 25:
 * calls end when the response is done with, a response never closed is written incomplete rather
 * than never, the report puts {@code close-response-body} first on the page that leaks and predicts
 * the page that closes its responses, and a body read after the client returned, or the rest of one
 * OkHttp discards when it is closed unread, is the page's wait on the call.
 */
class ResponseBodiesIT {
  static final String MAIN = "com.example.bodies.BodyPages";
  static final long MS = 1_000_000L;

  /** Pages per leak variant, loaded in turn: the first of each is a warm-up, 5 are judged. */
  static final int LOADS = 6;

  static final String[] SLOW = {
    "okhttp-body", "jdk-stream-body", "jdk-async-stream-body", "urlconnection-body"
  };

  static final String[] PAGES = {
    "leak,closed*" + LOADS,
    "okhttp-body*3",
    "jdk-stream-body*3",
    "jdk-async-stream-body*3",
    "jdk-string-body*3",
    "urlconnection-body*3",
    "okhttp-close*3",
    "unread",
  };

  static SlowBackend backend;
  static final Map<String, Recorded> RUNS = new HashMap<>();

  @BeforeAll
  static void startBackend() throws Exception {
    backend = SlowBackend.http();
  }

  @AfterAll
  static void stopBackend() throws Exception {
    backend.close();
  }

  /** The run on this JDK ({@code 17}: the build's; {@code 25}), recorded once. */
  static synchronized Recorded run(String jdk) throws Exception {
    Recorded rec = RUNS.get(jdk);
    if (rec != null) {
      return rec;
    }
    String home = System.getProperty("java.home");
    if (jdk.equals("25")) {
      home = System.getProperty("reqflow.jdk25.home", "");
      assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no JDK 25 at " + home);
    }
    String[] args = new String[PAGES.length + 2];
    args[0] = MAIN;
    args[1] = backend.url();
    System.arraycopy(PAGES, 0, args, 2, PAGES.length);
    // No option: as a new user runs it.
    rec = AgentRun.run(home, "", AgentRun.programClassPath(), args);
    RUNS.put(jdk, rec);
    return rec;
  }

  static List<RecordedSpan> pages(Recorded rec, String name) {
    List<RecordedSpan> flows = rec.flows("GET /page/" + name);
    assertThat(flows).as("flows of " + name + "\n" + rec.stderr).isNotEmpty();
    return flows;
  }

  static List<RecordedSpan> renderBlocks(Recorded rec, RecordedSpan flow, String kind) {
    return rec.under(flow, "block").stream()
        .filter(b -> "render".equals(b.attr("reqflow.thread.role")))
        .filter(b -> kind.equals(b.attr("reqflow.block.kind")))
        .collect(Collectors.toList());
  }

  static List<RecordedSpan> incomplete(Recorded rec) {
    return rec.spans.stream()
        .filter(s -> "call".equals(s.type()) && s.attr("reqflow.call.incomplete") != null)
        .collect(Collectors.toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void responsesNeverClosedAreWrittenIncompleteNotLost(String jdk) throws Exception {
    Recorded rec = run(jdk);
    assertThat(rec.stderr).doesNotContain("SELF-CHECK FAILED").doesNotContain("instrumentation");
    List<RecordedSpan> leaks = pages(rec, "leak");
    assertThat(leaks).hasSize(LOADS);
    for (RecordedSpan flow : leaks) {
      List<RecordedSpan> calls = rec.under(flow, "call");
      assertThat(calls).as("every call of the page, written").hasSize(6);
      for (RecordedSpan c : calls) {
        // Its flow ended long before the process: found unreachable, or still open after it.
        assertThat(c.attr("reqflow.call.incomplete")).isIn("unreachable", "unclosed");
        assertThat(c.attr("http.response.status_code")).isEqualTo("200");
        assertThat(c.event("response.first_byte")).as(c.toString()).isNotNull();
        assertThat(c.event("response.body_done")).isNull();
        assertThat(c.attr("code.function.name")).isEqualTo(MAIN + ".leak");
        // Ended where the page last had the response (execute returned), inside its flow.
        assertThat(c.end).isLessThanOrEqualTo(flow.end);
        assertThat(Long.parseLong(c.attr("reqflow.call.open_after_ns"))).isPositive();
        // The leak is why no call reused a connection: every one opened its own.
        assertThat(c.attributes.get("reqflow.connection.reused")).isEqualTo(false);
      }
    }
    for (RecordedSpan flow : pages(rec, "closed").subList(1, LOADS)) {
      for (RecordedSpan c : rec.under(flow, "call")) {
        assertThat(c.attr("reqflow.call.incomplete")).isNull();
        assertThat(c.attributes.get("reqflow.connection.reused")).isEqualTo(true);
      }
    }
    // One of each client whose response the page never read nor closed: OkHttp and
    // HttpURLConnection hold the connection for it; the JDK client had the (small) body whole and
    // gave its connection back, so its call ended there.
    RecordedSpan unread = pages(rec, "unread").get(0);
    Map<String, RecordedSpan> byClient =
        rec.under(unread, "call").stream()
            .collect(
                Collectors.toMap(
                    c -> c.attr("reqflow.call.client") + "-" + c.attr("reqflow.call.mode"),
                    c -> c));
    assertThat(byClient.get("okhttp-sync").attr("reqflow.call.incomplete"))
        .isIn("unreachable", "unclosed");
    // Given to a callback that returned without closing it.
    assertThat(byClient.get("okhttp-async").attr("reqflow.call.incomplete"))
        .isIn("unreachable", "unclosed");
    assertThat(byClient.get("httpurlconnection-sync").attr("reqflow.call.incomplete"))
        .isIn("unreachable", "unclosed");
    assertThat(byClient.get("jdk-httpclient-sync").attr("reqflow.call.incomplete")).isNull();
    assertThat(byClient.get("jdk-httpclient-sync").event("response.body_done")).isNotNull();

    // The exit line accounts for every call that did not end: all written, none left open.
    ExitReport exit = ExitReport.in(rec.stderr);
    assertThat(exit.recorderLoss("calls their client never ended"))
        .as(exit.line)
        .isEqualTo(incomplete(rec).size())
        .isEqualTo(6 * LOADS + 3);
    assertThat(exit.recorderLoss("calls still open")).as(exit.line).isZero();
    assertThat(exit.recorderLoss("flows")).as(exit.line).isZero();
    assertThat(exit.file().dropped).as(exit.line).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void theReportSaysCloseTheResponsesFirstAndPredictsThePageThatDoes(String jdk) throws Exception {
    Recorded rec = run(jdk);
    Analysed analysed = Analysed.of(rec.file);

    List<Suggestion> tops =
        analysed.topSuggestionPredicts(
            "GET /page/leak", SuggestionKind.CLOSE_RESPONSE_BODY, "GET /page/closed");

    for (Suggestion top : tops) {
      assertThat(top.title())
          .startsWith("Close the responses at BodyPages.leak(BodyPages.java:")
          .endsWith(": never closed, so 6 calls opened a new connection");
      assertThat(top.explanation()).contains("never closed 6 responses", "That is why 6 calls");
    }
    for (FlowReport r : analysed.judged("GET /page/closed")) {
      assertThat(r.suggestions())
          .extracting(Suggestion::kind)
          .doesNotContain(SuggestionKind.CLOSE_RESPONSE_BODY, SuggestionKind.REUSE_CONNECTIONS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void aBodyReadAfterTheClientReturnedIsTheCallsDownloadAndThePagesWait(String jdk)
      throws Exception {
    Recorded rec = run(jdk);
    for (String page : SLOW) {
      List<RecordedSpan> flows = pages(rec, page);
      // The first page loads classes between reads: its reads may be two stretches.
      for (RecordedSpan flow : flows.subList(1, flows.size())) {
        List<RecordedSpan> calls = rec.under(flow, "call");
        assertThat(calls).as(page).hasSize(1);
        RecordedSpan c = calls.get(0);
        assertThat(c.attr("reqflow.call.incomplete")).isNull();
        RecordedSpan.RecordedEvent first = c.event("response.first_byte");
        RecordedSpan.RecordedEvent done = c.event("response.body_done");
        assertThat(List.of(first, done)).as(c.toString()).doesNotContainNull();
        // The body comes over 120 ms after the headers: the call's download.
        assertThat(done.time - first.time).as(page).isGreaterThanOrEqualTo(100 * MS);
        assertThat(c.end).isGreaterThanOrEqualTo(done.time);
        // A wait for the body, linked to the call: one for all its reads (ten pieces or more),
        // unless a pause between two reads (a collection, a loaded machine) splits it.
        List<RecordedSpan> reads = renderBlocks(rec, flow, "body.read");
        assertThat(reads).as(page + " body reads of " + flow).hasSizeBetween(1, 3);
        for (RecordedSpan read : reads) {
          assertThat(read.linked("waited-on")).containsExactly(c.spanId);
          assertThat(read.start).isGreaterThanOrEqualTo(first.time);
          assertThat(read.attr("code.function.name")).startsWith(MAIN + ".");
        }
        // The page waited for the call from issue to the body's end: in the client's method (or a
        // join), then reading. (A late wake-up from the first wait leaves less to read.)
        long waited = 0;
        for (RecordedSpan b : rec.waits(flow)) {
          waited += b.linked("waited-on").contains(c.spanId) ? b.end - b.start : 0;
        }
        for (RecordedSpan read : reads) {
          waited += read.end - read.start;
        }
        assertThat(waited).as(page).isGreaterThanOrEqualTo(c.end - c.start - 20 * MS);
        // It lasts until the body's end (the last read may return later on a loaded machine: the
        // thread woke up late), within the page.
        assertThat(reads.get(reads.size() - 1).end).as(page).isBetween(c.end - 20 * MS, flow.end);
      }
    }
    // ofString: the JDK client reads the body inside send, which is the page's one wait.
    for (RecordedSpan flow : pages(rec, "jdk-string-body")) {
      assertThat(renderBlocks(rec, flow, "body.read")).isEmpty();
      RecordedSpan c = rec.under(flow, "call").get(0);
      RecordedSpan send = renderBlocks(rec, flow, "httpclient.send").get(0);
      assertThat(c.event("response.body_done")).isNotNull();
      assertThat(send.end - send.start).isGreaterThanOrEqualTo(120 * MS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void okHttpsCloseOfAnUnreadBodyIsTheCallsDownloadAndThePagesWait(String jdk) throws Exception {
    Recorded rec = run(jdk);
    List<RecordedSpan> flows = pages(rec, "okhttp-close");
    // The first page loads classes: judged from the second on.
    for (RecordedSpan flow : flows.subList(1, flows.size())) {
      List<RecordedSpan> calls = rec.under(flow, "call");
      assertThat(calls).hasSize(1);
      RecordedSpan c = calls.get(0);
      assertThat(c.attr("reqflow.call.incomplete")).isNull();
      RecordedSpan.RecordedEvent first = c.event("response.first_byte");
      RecordedSpan.RecordedEvent done = c.event("response.body_done");
      assertThat(List.of(first, done)).as(c.toString()).doesNotContainNull();
      // close() read the rest of the body (40 ms of it) off the connection, which it reused.
      assertThat(done.time - first.time).as(c.toString()).isGreaterThanOrEqualTo(30 * MS);
      assertThat(c.attributes.get("reqflow.connection.reused")).isEqualTo(true);
      // One wait: the close, linked to the call, at the page's line, until the call's end.
      List<RecordedSpan> reads = renderBlocks(rec, flow, "body.read");
      assertThat(reads).as("body reads of " + flow).hasSize(1);
      RecordedSpan read = reads.get(0);
      assertThat(read.linked("waited-on")).containsExactly(c.spanId);
      assertThat(read.attr("code.function.name")).isEqualTo(MAIN + ".okHttpClose");
      assertThat(read.start).isGreaterThanOrEqualTo(first.time);
      assertThat(read.end).isBetween(done.time, flow.end);
      assertThat(read.end - read.start).as(read.toString()).isGreaterThanOrEqualTo(25 * MS);
    }
    // The page waits for its call from issue to the end of the discard: the headers (20 ms) in
    // execute, the body (40 ms) in close. Counted as running, the close would leave it near 35%.
    Analysed analysed = Analysed.of(rec.file);
    double[] shares =
        analysed.judged("GET /page/okhttp-close").stream()
            .mapToDouble(
                r ->
                    (double) Analysis.criticalPath(r.flow()).blockedNanos()
                        / r.flow().durationNanos())
            .sorted()
            .toArray();
    assertThat(shares).isNotEmpty();
    assertThat(shares[shares.length / 2]).as("okhttp-close blocked share").isGreaterThan(0.75);
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void theReportSeesThoseReadsAsBlockedTime(String jdk) throws Exception {
    Recorded rec = run(jdk);
    Analysed analysed = Analysed.of(rec.file);
    for (String page :
        List.of(
            "okhttp-body",
            "jdk-stream-body",
            "jdk-async-stream-body",
            "jdk-string-body",
            "urlconnection-body")) {
      double[] shares =
          analysed.judged("GET /page/" + page).stream()
              .mapToDouble(
                  r ->
                      (double) Analysis.criticalPath(r.flow()).blockedNanos()
                          / r.flow().durationNanos())
              .sorted()
              .toArray();
      // The page waits for its one call from issue to the body's end: almost all of its time.
      assertThat(shares[shares.length / 2]).as(page + " blocked share").isGreaterThan(0.85);
    }
  }
}
