package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reqflow.analysis.SuggestionKind;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java.net.HttpURLConnection} (http and https) and the layers on it (Spring's {@code
 * RestTemplate} with its default request factory, {@code RestClient} on {@code
 * SimpleClientHttpRequestFactory}, OpenFeign's default client), recorded by the real agent jar in a
 * forked JVM ({@code com.example.urlconnection.UrlConnectionPages}) against slow backends served by
 * this JVM on 127.0.0.1, on Java 17 and 25: the shape of every call, and the report's analysis of
 * the serial pages against their parallel variants.
 */
class UrlConnectionIT {
  static final String MAIN = "com.example.urlconnection.UrlConnectionPages";
  static final long MS = 1_000_000L;

  /** Pages per variant judged by the analysis: the first of each is a warm-up. */
  static final int LOADS = 6;

  static final String[] PAGES = {
    "serial*" + LOADS,
    "parallel*" + LOADS,
    "resttemplate-serial*" + LOADS,
    "resttemplate-parallel*" + LOADS,
    "feign-serial*" + LOADS,
    "feign-parallel*" + LOADS,
    "restclient-serial",
    "queued",
    "methods",
    "fresh",
    "refused",
    "status-500",
    "redirect",
    "https",
    "resttemplate-500",
    "feign-500",
  };

  static Path workDir;
  static Path keyStore;
  static SlowBackend backend;
  static SlowBackend fresh;
  static SlowBackend https;
  static final Map<String, Recorded> RUNS = new HashMap<>();

  @BeforeAll
  static void startBackends() throws Exception {
    workDir = AgentRun.workDir();
    keyStore = SlowBackend.selfSigned(workDir);
    backend = SlowBackend.http();
    fresh = SlowBackend.http();
    https = SlowBackend.https(keyStore);
  }

  @AfterAll
  static void stopBackends() throws Exception {
    backend.close();
    fresh.close();
    https.close();
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
    List<String> args =
        new ArrayList<>(
            List.of(
                MAIN,
                backend.url(),
                fresh.url(),
                https.url(),
                keyStore.toString(),
                SlowBackend.refusedUrl()));
    args.addAll(List.of(PAGES));
    rec = AgentRun.run(home, "", classPath(), args.toArray(new String[0]));
    RUNS.put(jdk, rec);
    return rec;
  }

  /** The program's class path: its classes, Spring's web client and Feign, nothing of ours. */
  static String classPath() {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> libs = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      String n = Paths.get(e).getFileName().toString();
      if (n.startsWith("spring-")
          || n.startsWith("commons-logging-")
          || n.startsWith("jspecify-")
          || n.startsWith("micrometer-")
          || n.startsWith("feign-core-")) {
        libs.add(e);
      }
    }
    return AgentRun.programClassPath(libs.toArray(new String[0]));
  }

  /** The flows named {@code GET /page/NAME}, in start order. */
  static List<RecordedSpan> pages(Recorded rec, String name) {
    List<RecordedSpan> flows = rec.flows("GET /page/" + name);
    assertThat(flows).as("flows of " + name + "\n" + rec.stderr).isNotEmpty();
    return flows;
  }

  static RecordedSpan page(Recorded rec, String name) {
    List<RecordedSpan> flows = pages(rec, name);
    assertThat(flows).as(name).hasSize(1);
    return flows.get(0);
  }

  static List<RecordedSpan> calls(Recorded rec, RecordedSpan flow) {
    return rec.under(flow, "call");
  }

  static List<RecordedSpan> renderBlocks(Recorded rec, RecordedSpan flow) {
    return rec.waits(flow).stream()
        .filter(b -> "render".equals(b.attr("reqflow.thread.role")))
        .collect(Collectors.toList());
  }

  static void assertCallSite(RecordedSpan call, String method) {
    assertThat(call.attr("code.function.name")).as(call.toString()).isEqualTo(MAIN + "." + method);
    assertThat(call.attr("code.file.path")).isEqualTo("UrlConnectionPages.java");
    assertThat(call.attributes.get("code.line.number")).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void agentStartsQuietlyAndRecordsOnlyCallsInsideFlows(String jdk) throws Exception {
    Recorded rec = run(jdk);
    assertThat(rec.stderr)
        .contains("reqflow agent")
        .doesNotContain("SELF-CHECK FAILED")
        .doesNotContain("could not instrument")
        .doesNotContain("instrumentation failed");
    List<RecordedSpan> all =
        rec.spans.stream().filter(s -> "call".equals(s.type())).collect(Collectors.toList());
    assertThat(all).isNotEmpty();
    // The program loads its pages with HttpURLConnection outside any flow: none of those.
    assertThat(all).noneMatch(c -> String.valueOf(c.attr("url.full")).contains("/page/"));
    for (RecordedSpan c : all) {
      assertThat(rec.byId(c.parentSpanId)).as(c.toString()).isNotNull();
    }
    assertThat(rec.stdout).contains("serial 200").contains("refused 200 refused");
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void serialCallsAreThreeSyncCallsEachWaitedOn(String jdk) throws Exception {
    Recorded rec = run(jdk);
    List<RecordedSpan> flows = pages(rec, "serial");
    assertThat(flows).hasSize(LOADS);
    long[] latencies = {80, 160, 120};
    for (RecordedSpan flow : flows) {
      List<RecordedSpan> calls = calls(rec, flow);
      assertThat(calls)
          .extracting(c -> c.request())
          .containsExactly("GET /user", "GET /cart", "GET /ads");
      List<RecordedSpan> blocks = renderBlocks(rec, flow);
      assertThat(blocks).hasSize(3);
      for (int i = 0; i < 3; i++) {
        RecordedSpan c = calls.get(i);
        assertThat(c.kind).isEqualTo(3);
        assertThat(c.attr("reqflow.call.client")).isEqualTo("httpurlconnection");
        assertThat(c.attr("reqflow.call.mode")).isEqualTo("sync");
        assertThat(c.attr("http.request.method")).isEqualTo("GET");
        assertThat(c.attr("http.response.status_code")).isEqualTo("200");
        assertThat(c.attr("url.full")).startsWith(backend.url()).endsWith("?ms=REDACTED");
        // Its request carried its span's trace context (Across services in agent/README.md).
        assertThat(SlowBackend.TRACEPARENTS)
            .anyMatch(tp -> tp.startsWith("00-" + c.traceId + "-" + c.spanId + "-"));
        assertThat(c.attr("server.address")).isEqualTo("127.0.0.1");
        assertThat(c.attr("reqflow.thread.role")).isEqualTo("render");
        assertThat(c.attr("error.type")).isNull();
        assertCallSite(c, "get");
        // The JDK's keep-alive cache, named as a connection pool: it never queues.
        assertThat(c.attr("reqflow.connection.pool.name")).isEqualTo("jdk-keep-alive-cache");
        assertThat(c.attr("reqflow.connection.pool.max_idle")).isEqualTo("5");
        assertThat(c.attr("reqflow.pool.kind")).isNull();
        assertThat(c.end - c.start).isGreaterThanOrEqualTo(latencies[i] * MS);
        RecordedSpan.RecordedEvent acquired = c.event("connection.acquired");
        RecordedSpan.RecordedEvent sent = c.event("request.sent");
        RecordedSpan.RecordedEvent first = c.event("response.first_byte");
        RecordedSpan.RecordedEvent done = c.event("response.body_done");
        assertThat(List.of(acquired, sent, first, done)).as(c.toString()).doesNotContainNull();
        assertThat(acquired.time).isLessThanOrEqualTo(sent.time);
        // The server's latency lies between the request and its response (request.sent is when
        // the client starts reading, a little after the write: half, for a loaded machine).
        assertThat(first.time - sent.time).isGreaterThanOrEqualTo(latencies[i] / 2 * MS);
        assertThat(done.time).isBetween(first.time, c.end);
        // The page waited in getResponseCode for exactly this call, inside it.
        RecordedSpan b = blocks.get(i);
        assertThat(b.attr("reqflow.block.kind")).isEqualTo("httpurlconnection");
        assertThat(b.linked("waited-on")).containsExactly(c.spanId);
        assertThat(b.start).isGreaterThanOrEqualTo(c.start);
        assertThat(b.end).isLessThanOrEqualTo(c.end);
        assertThat(b.attr("code.function.name")).isEqualTo(MAIN + ".get");
      }
      assertThat(calls.get(1).linked("after-wait")).containsExactly(calls.get(0).spanId);
      assertThat(calls.get(2).linked("after-wait")).containsExactly(calls.get(1).spanId);
      // One after another: the keep-alive cache hands the same connection back.
      assertThat(calls.get(1).attributes.get("reqflow.connection.reused")).isEqualTo(true);
      assertThat(calls.get(2).attributes.get("reqflow.connection.reused")).isEqualTo(true);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void callsInExecutorTasksKeepTheirQueueTime(String jdk) throws Exception {
    Recorded rec = run(jdk);
    for (RecordedSpan flow : pages(rec, "parallel")) {
      List<RecordedSpan> calls = calls(rec, flow);
      assertThat(calls).hasSize(3);
      for (RecordedSpan c : calls) {
        assertThat(c.attr("reqflow.pool.kind")).isEqualTo("executor");
        assertThat(c.attr("reqflow.pool.name")).isEqualTo("three-worker");
        assertThat(c.attr("reqflow.pool.limit")).isEqualTo("3");
        // Where the program made the pool: the line to change to resize it.
        assertThat(c.attr("reqflow.pool.code.function.name")).isEqualTo(MAIN + ".<clinit>");
        assertThat(c.attr("reqflow.pool.code.file.path")).isEqualTo("UrlConnectionPages.java");
        assertThat(c.attr("reqflow.pool.code.line.number")).isEqualTo("56");
        assertThat(c.attr("reqflow.thread.role")).isEqualTo("executor");
        assertThat(c.event("dispatched")).isNotNull();
        assertThat(c.event("response.body_done")).isNotNull();
        assertCallSite(c, "get");
      }
      List<String> ids = calls.stream().map(c -> c.spanId).collect(Collectors.toList());
      List<RecordedSpan> waits = renderBlocks(rec, flow);
      assertThat(waits).isNotEmpty();
      for (RecordedSpan b : waits) {
        assertThat(b.attr("reqflow.block.kind")).isEqualTo("future.get");
        assertThat(ids).containsAll(b.linked("waited-on"));
      }
    }
    // One worker: the second and third calls waited in the executor's queue for the first.
    List<RecordedSpan> queued = calls(rec, page(rec, "queued"));
    assertThat(queued).hasSize(3);
    assertThat(queued.get(0).attr("reqflow.pool.limit")).isEqualTo("1");
    assertThat(queued.get(0).attr("reqflow.pool.code.line.number")).isEqualTo("57");
    assertThat(queued.get(1).event("dispatched").time - queued.get(1).start)
        .isGreaterThanOrEqualTo(80 * MS);
    assertThat(queued.get(2).event("dispatched").time - queued.get(2).start)
        .isGreaterThanOrEqualTo(240 * MS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void everyMethodOfOneConnectionCountsOnce(String jdk) throws Exception {
    Recorded rec = run(jdk);
    RecordedSpan flow = page(rec, "methods");
    List<RecordedSpan> calls = calls(rec, flow);
    assertThat(calls)
        .extracting(c -> c.request())
        .containsExactly("GET /many", "POST /posted", "GET /exact");
    for (RecordedSpan c : calls) {
      assertThat(c.attr("http.response.status_code")).isEqualTo("200");
      assertThat(c.event("response.first_byte")).as(c.toString()).isNotNull();
      // Read to the end and closed; read to the last announced byte and never closed.
      assertThat(c.event("response.body_done")).as(c.toString()).isNotNull();
      assertThat(c.end).isLessThanOrEqualTo(flow.end);
      assertCallSite(c, "methods");
    }
    assertThat(calls.get(1).attr("http.request.method")).isEqualTo("POST");
    assertThat(rec.stdout).contains("methods 200 200text/plain4many200posted=hello5");
    // Each wait links the one call it was inside.
    for (RecordedSpan b : renderBlocks(rec, flow)) {
      assertThat(b.linked("waited-on")).hasSize(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void aNewConnectionShowsItsConnectAndTheNextReusesIt(String jdk) throws Exception {
    Recorded rec = run(jdk);
    List<RecordedSpan> calls = calls(rec, page(rec, "fresh"));
    assertThat(calls).hasSize(2);
    RecordedSpan first = calls.get(0);
    assertThat(first.attributes.get("reqflow.connection.reused")).isEqualTo(false);
    assertThat(first.event("connect.start")).isNotNull();
    assertThat(first.event("connect.end").time)
        .isLessThanOrEqualTo(first.event("connection.acquired").time);
    RecordedSpan second = calls.get(1);
    assertThat(second.attributes.get("reqflow.connection.reused")).isEqualTo(true);
    assertThat(second.event("connect.start")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void httpsShowsTheHandshakeOnANewConnectionOnly(String jdk) throws Exception {
    Recorded rec = run(jdk);
    List<RecordedSpan> calls = calls(rec, page(rec, "https"));
    assertThat(calls).hasSize(2);
    RecordedSpan first = calls.get(0);
    assertThat(first.attr("url.full")).startsWith(https.url());
    assertThat(first.attr("server.port")).isEqualTo(https.url().replaceAll(".*:(\\d+)/", "$1"));
    assertThat(first.attr("http.response.status_code")).isEqualTo("200");
    assertThat(first.attributes.get("reqflow.connection.reused")).isEqualTo(false);
    assertThat(first.event("connect.start")).isNotNull();
    assertThat(first.event("tls.start").time)
        .isGreaterThanOrEqualTo(first.event("connect.end").time);
    assertThat(first.event("tls.end").time)
        .isLessThanOrEqualTo(first.event("connection.acquired").time);
    assertThat(first.event("response.body_done")).isNotNull();
    RecordedSpan second = calls.get(1);
    assertThat(second.attributes.get("reqflow.connection.reused")).isEqualTo(true);
    assertThat(second.event("tls.start")).isNull();
    assertThat(second.event("response.body_done")).isNotNull();
    assertCallSite(first, "get");
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void aRefusedConnectionAndAnErrorStatusAreErrors(String jdk) throws Exception {
    Recorded rec = run(jdk);
    List<RecordedSpan> refused = calls(rec, page(rec, "refused"));
    assertThat(refused).hasSize(1);
    assertThat(refused.get(0).attr("error.type")).isEqualTo("java.net.ConnectException");
    assertThat(refused.get(0).attr("http.response.status_code")).isNull();
    assertThat(refused.get(0).event("response.first_byte")).isNull();
    assertCallSite(refused.get(0), "get");

    for (String p : List.of("status-500", "resttemplate-500", "feign-500")) {
      List<RecordedSpan> failed = calls(rec, page(rec, p));
      assertThat(failed).as(p).hasSize(1);
      RecordedSpan c = failed.get(0);
      assertThat(c.request()).isEqualTo("GET /status/500");
      assertThat(c.attr("http.response.status_code")).isEqualTo("500");
      assertThat(c.attr("error.type")).isEqualTo("500");
      assertThat(c.event("response.first_byte")).isNotNull();
    }
    assertCallSite(calls(rec, page(rec, "status-500")).get(0), "get");
    assertCallSite(calls(rec, page(rec, "resttemplate-500")).get(0), "restTemplate500");
    assertCallSite(calls(rec, page(rec, "feign-500")).get(0), "feign500");
    assertThat(rec.stdout)
        .contains("resttemplate-500 200 rest template saw 500")
        .contains("feign-500 200 feign saw 500");
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void aRedirectFollowedInsideIsOneCall(String jdk) throws Exception {
    Recorded rec = run(jdk);
    List<RecordedSpan> calls = calls(rec, page(rec, "redirect"));
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).request()).isEqualTo("GET /redirect");
    assertThat(calls.get(0).attr("http.response.status_code")).isEqualTo("200");
    assertThat(calls.get(0).event("response.body_done")).isNotNull();
    assertThat(rec.stdout).contains("redirect 200 200:landed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void layersCountOneCallEachAtTheApplicationsLine(String jdk) throws Exception {
    Recorded rec = run(jdk);
    Map<String, String> sites =
        Map.of(
            "resttemplate-serial", "restTemplateSerial",
            "restclient-serial", "restClientSerial",
            "feign-serial", "feignSerial");
    for (Map.Entry<String, String> e : sites.entrySet()) {
      for (RecordedSpan flow : pages(rec, e.getKey())) {
        List<RecordedSpan> calls = calls(rec, flow);
        assertThat(calls)
            .as(e.getKey())
            .extracting(c -> c.request())
            .containsExactly("GET /user", "GET /cart", "GET /ads");
        List<RecordedSpan> blocks = renderBlocks(rec, flow);
        for (int i = 0; i < 3; i++) {
          RecordedSpan c = calls.get(i);
          assertThat(c.attr("reqflow.call.client")).isEqualTo("httpurlconnection");
          assertThat(c.attr("http.response.status_code")).isEqualTo("200");
          assertThat(c.event("response.body_done")).as(e.getKey() + " " + c).isNotNull();
          assertCallSite(c, e.getValue());
          assertThat(blocks.stream().filter(b -> b.linked("waited-on").contains(c.spanId)))
              .as(e.getKey() + ": a wait on " + c.name)
              .isNotEmpty();
        }
      }
    }
    for (String p : List.of("resttemplate-parallel", "feign-parallel")) {
      for (RecordedSpan flow : pages(rec, p)) {
        List<RecordedSpan> calls = calls(rec, flow);
        assertThat(calls).as(p).hasSize(3);
        assertThat(calls).allMatch(c -> "executor".equals(c.attr("reqflow.pool.kind")));
        assertThat(calls).allMatch(c -> c.attr("code.function.name").startsWith(MAIN + ".lambda$"));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void theReportSaysIssueTheSerialCallsTogetherAndPredictsTheParallelPage(String jdk)
      throws Exception {
    Recorded rec = run(jdk);
    Analysed a = Analysed.of(rec.file);
    a.topSuggestionPredicts("GET /page/serial", SuggestionKind.PARALLELIZE, "GET /page/parallel");
    a.topSuggestionPredicts(
        "GET /page/resttemplate-serial",
        SuggestionKind.PARALLELIZE,
        "GET /page/resttemplate-parallel");
    a.topSuggestionPredicts(
        "GET /page/feign-serial", SuggestionKind.PARALLELIZE, "GET /page/feign-parallel");
  }
}
