package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reqflow.analysis.Blindness;
import dev.reqflow.analysis.SuggestionKind;
import dev.reqflow.flow.Flow;
import dev.reqflow.otlp.Flows;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layers applications write on an HTTP client, recorded by the real agent jar in a forked JVM
 * ({@code com.example.layers.LayerPages}) against a slow backend served by this JVM on 127.0.0.1,
 * on Java 17 and 25: Spring's {@code RestTemplate} on {@code JdkClientHttpRequestFactory} and
 * {@code ReactorClientHttpRequestFactory}, Retrofit 3 on OkHttp 4.12 ({@code execute}, {@code
 * enqueue}, the {@code CompletableFuture} adapter): one call per exchange through the client
 * underneath, at the application's line, its wait linked, and the report's first suggestion for
 * three serial calls (issue them together) predicted within 10% of the parallel variant measured in
 * the same run. {@code JettyClientHttpRequestFactory}, whose client the agent does not record, in a
 * run of its own: its flows say what they could not see.
 *
 * <p>On Java 25 only the layers on the JDK's own client run ({@link #layers}): the JDK's {@code
 * HttpClient} is the one client here whose code, and so the agent's hooks into it, changes with the
 * JDK; Reactor Netty, OkHttp and Jetty are the same jars on either JDK (Reactor Netty on 25:
 * ReactorNettyIT; OkHttp on 25: ResponseBodiesIT, StalledFlowsIT).
 *
 * <p>{@code RestClient} on those factories is not run: it reaches the client through the same
 * {@code ClientHttpRequestFactory.createRequest} and {@code ClientHttpRequest.execute} as {@code
 * RestTemplate} (spring-web 7.0.10), and the call site past its own frames is checked on {@code
 * HttpComponentsClientHttpRequestFactory} (SpringRestClientIT) and {@code
 * SimpleClientHttpRequestFactory} (UrlConnectionIT). LayerPages still offers its pages.
 */
class LayersIT {
  static final String MAIN = "com.example.layers.LayerPages";
  static final String FILE = "LayerPages.java";

  /** Loads per variant; the analysis judges all but the first of each (a warm-up). */
  static final int LOADS = 8;

  /**
   * A serial page; the client underneath; how the application asked ({@code sync} through Spring's
   * synchronous {@code ClientHttpRequest.execute()} also where the client underneath is
   * asynchronous); the application's line that called and the one that waited; and the report's
   * first suggestion: synchronous calls waited on one by one are {@code parallelize}d, asynchronous
   * calls the page issued only after it waited ({@code enqueue}, the future adapter) are {@code
   * issue-earlier}: the same change, issue them together.
   */
  record Layer(
      String page,
      String client,
      String mode,
      String site,
      String block,
      String waitSite,
      SuggestionKind advice) {
    String parallel() {
      return page.replace("-serial", "-parallel");
    }
  }

  static final List<Layer> LAYERS =
      List.of(
          new Layer(
              "jdk-resttemplate-serial",
              "jdk-httpclient",
              "sync",
              "jdkRestTemplate",
              "completable.get",
              "jdkRestTemplate",
              SuggestionKind.PARALLELIZE),
          new Layer(
              "reactor-resttemplate-serial",
              "reactor-netty",
              "sync",
              "reactorRestTemplate",
              "mono.block",
              "reactorRestTemplate",
              SuggestionKind.PARALLELIZE),
          new Layer(
              "retrofit-execute-serial",
              "okhttp",
              "sync",
              "retrofitExecute",
              "okhttp.execute",
              "retrofitExecute",
              SuggestionKind.PARALLELIZE),
          new Layer(
              "retrofit-enqueue-serial",
              "okhttp",
              "async",
              "retrofitEnqueue",
              "completable.get",
              "retrofitEnqueueSerial",
              SuggestionKind.ISSUE_EARLIER),
          new Layer(
              "retrofit-future-serial",
              "okhttp",
              "async",
              "retrofitFuture",
              "completable.join",
              "retrofitFutureSerial",
              SuggestionKind.ISSUE_EARLIER));

  /** The error pages, by the layer's method that called. */
  static final Map<String, String> ERROR_PAGES =
      Map.of(
          "jdk-500", "jdkRestTemplate",
          "reactor-500", "reactorRestTemplate",
          "retrofit-500", "retrofit500");

  /**
   * The layers run on this JDK: all on 17 (the build's); on 25, those on the JDK's {@code
   * HttpClient}, whose implementation (and so what the agent hooks) is the JDK's.
   */
  static List<Layer> layers(String jdk) {
    return jdk.equals("17")
        ? LAYERS
        : LAYERS.stream().filter(l -> l.client().equals("jdk-httpclient")).toList();
  }

  /** The error pages run on this JDK, as {@link #layers}. */
  static List<String> errorPages(String jdk) {
    return ERROR_PAGES.keySet().stream()
        .filter(p -> jdk.equals("17") || p.startsWith("jdk-"))
        .sorted()
        .toList();
  }

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

  static String javaHome(String jdk) {
    if (jdk.equals("25")) {
      String home = System.getProperty("reqflow.jdk25.home", "");
      assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no JDK 25 at " + home);
      return home;
    }
    return System.getProperty("java.home");
  }

  /** The run of every layer of this JDK ({@link #layers}, never Jetty), recorded once. */
  static synchronized Recorded run(String jdk) throws Exception {
    Recorded rec = RUNS.get(jdk);
    if (rec == null) {
      List<String> args = new ArrayList<>(List.of(MAIN, backend.url()));
      for (Layer l : layers(jdk)) {
        // Each serial load beside a parallel one: a busy spell of the machine slows both.
        for (int i = 0; i < LOADS; i++) {
          args.add(l.page());
          args.add(l.parallel());
        }
      }
      args.addAll(errorPages(jdk));
      rec = AgentRun.run(javaHome(jdk), "", classPath(), args.toArray(new String[0]));
      RUNS.put(jdk, rec);
    }
    return rec;
  }

  /** The program's class path: its classes, Spring's web client, Jetty's client, Retrofit. */
  static String classPath() {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> libs = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      String n = Paths.get(e).getFileName().toString();
      if (n.startsWith("spring-")
          || n.startsWith("commons-logging-")
          || n.startsWith("micrometer-")
          || n.startsWith("retrofit-")) {
        libs.add(e);
      }
    }
    return AgentRun.programClassPath(libs.toArray(new String[0]));
  }

  static List<RecordedSpan> pages(Recorded rec, String name) {
    List<RecordedSpan> flows = rec.flows("GET /page/" + name);
    assertThat(flows).as("flows of " + name + "\n" + rec.stderr).isNotEmpty();
    return flows;
  }

  static List<RecordedSpan> renderBlocks(Recorded rec, RecordedSpan flow) {
    return rec.under(flow, "block").stream()
        .filter(b -> "render".equals(b.attr("reqflow.thread.role")))
        .collect(Collectors.toList());
  }

  static void assertSite(RecordedSpan span, String method) {
    assertThat(span.attr("code.function.name")).as(span.toString()).isEqualTo(MAIN + "." + method);
    assertThat(span.attr("code.file.path")).isEqualTo(FILE);
    assertThat(span.attributes.get("code.line.number")).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void theAgentStartsQuietlyAndNoLayerMakesAClientLookLoaded(String jdk) throws Exception {
    Recorded rec = run(jdk);
    assertThat(rec.stderr)
        .contains("reqflow agent")
        .doesNotContain("SELF-CHECK FAILED")
        .doesNotContain("could not instrument")
        .doesNotContain("instrumentation failed")
        .doesNotContain("agent errors");
    for (Layer l : layers(jdk)) {
      assertThat(rec.stdout).contains(l.page() + " 200 user cart ads");
      assertThat(rec.stdout).contains(l.parallel() + " 200 user cart ads");
    }
    // RestClient.builder() loads Jetty's HttpClient class to see whether it is there (it is, on
    // this class path): that is no use of Jetty's client, and no flow may say it was loaded.
    List<RecordedSpan> flows =
        rec.spans.stream().filter(s -> "flow".equals(s.type())).collect(Collectors.toList());
    assertThat(flows).hasSize(layers(jdk).size() * 2 * LOADS + errorPages(jdk).size());
    assertThat(flows).allMatch(f -> !f.attributes.containsKey("reqflow.libraries.unrecorded"));
    assertThat(ExitReport.in(rec.stderr).unrecordedLibraries).isEmpty();
    // The program loads its pages with HttpURLConnection outside any flow: none of those.
    assertThat(rec.spans)
        .filteredOn(s -> "call".equals(s.type()))
        .noneMatch(c -> String.valueOf(c.attr("url.full")).contains("/page/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void eachSerialExchangeIsOneCallAtTheApplicationsLineAndItsWaitIsLinked(String jdk)
      throws Exception {
    Recorded rec = run(jdk);
    for (Layer l : layers(jdk)) {
      List<RecordedSpan> flows = pages(rec, l.page());
      assertThat(flows).hasSize(LOADS);
      for (RecordedSpan flow : flows) {
        List<RecordedSpan> calls = rec.under(flow, "call");
        // Once each: not the layer and the client, nor the JDK client's nested sendAsync.
        assertThat(calls)
            .as(l.page())
            .extracting(c -> c.request())
            .containsExactly("GET /user", "GET /cart", "GET /ads");
        List<RecordedSpan> blocks = renderBlocks(rec, flow);
        for (RecordedSpan c : calls) {
          assertThat(c.attr("reqflow.call.client")).as(l.page()).isEqualTo(l.client());
          assertThat(c.attr("reqflow.call.mode")).as(l.page()).isEqualTo(l.mode());
          assertThat(c.attr("reqflow.thread.role")).isEqualTo("render");
          assertThat(c.attr("http.response.status_code")).isEqualTo("200");
          assertThat(c.attr("error.type")).isNull();
          assertThat(c.attr("url.full")).startsWith(backend.url()).endsWith("?ms=REDACTED");
          assertSite(c, l.site());
          // The page's thread waited on exactly this call, at the application's line; reading
          // its body after the client returned (Spring's JDK request reads an ofInputStream body)
          // is a body.read wait on the same call, its download.
          List<RecordedSpan> linked =
              blocks.stream()
                  .filter(b -> b.linked("waited-on").contains(c.spanId))
                  .collect(Collectors.toList());
          List<RecordedSpan> waits =
              linked.stream()
                  .filter(b -> !"body.read".equals(b.attr("reqflow.block.kind")))
                  .collect(Collectors.toList());
          for (RecordedSpan read : linked) {
            assertThat(read.linked("waited-on")).containsExactly(c.spanId);
          }
          assertThat(waits).as(l.page() + ": the wait on " + c).hasSize(1);
          RecordedSpan w = waits.get(0);
          assertThat(w.linked("waited-on")).containsExactly(c.spanId);
          assertThat(w.attr("reqflow.block.kind")).as(l.page()).isEqualTo(l.block());
          assertSite(w, l.waitSite());
        }
        assertThat(calls.get(1).linked("after-wait")).containsExactly(calls.get(0).spanId);
        assertThat(calls.get(2).linked("after-wait")).containsExactly(calls.get(1).spanId);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void theParallelVariantsIssueTheSameCallsTogether(String jdk) throws Exception {
    Recorded rec = run(jdk);
    for (Layer l : layers(jdk)) {
      for (RecordedSpan flow : pages(rec, l.parallel())) {
        List<RecordedSpan> calls = rec.under(flow, "call");
        assertThat(calls)
            .as(l.parallel())
            .extracting(c -> c.request())
            .containsExactlyInAnyOrder("GET /user", "GET /cart", "GET /ads");
        for (RecordedSpan c : calls) {
          assertThat(c.attr("reqflow.call.client")).isEqualTo(l.client());
          assertSite(c, l.site());
          assertThat(c.linked("after-wait")).isEmpty();
          if (l.page().startsWith("retrofit-enqueue") || l.page().startsWith("retrofit-future")) {
            // Enqueued from the page's thread: OkHttp's dispatcher is their queue.
            assertThat(c.attr("reqflow.pool.kind")).isEqualTo("dispatcher");
          } else {
            // Fanned out on three workers: the executor, narrower than the client's pool, is
            // where they wait (also for Reactor Netty's pool of 500 per address).
            assertThat(c.attr("reqflow.pool.kind")).as(l.parallel()).isEqualTo("executor");
            assertThat(c.attr("reqflow.pool.name")).isEqualTo("three-worker");
            assertThat(c.attr("reqflow.pool.limit")).isEqualTo("3");
            assertThat(c.attr("reqflow.pool.limit_per_host")).isNull();
            assertThat(c.attr("reqflow.thread.role")).isEqualTo("executor");
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void anErrorStatusIsOneFailedCall(String jdk) throws Exception {
    Recorded rec = run(jdk);
    for (String page : errorPages(jdk)) {
      List<RecordedSpan> flows = pages(rec, page);
      assertThat(flows).hasSize(1);
      List<RecordedSpan> calls = rec.under(flows.get(0), "call");
      assertThat(calls).as(page).hasSize(1);
      assertThat(calls.get(0).request()).isEqualTo("GET /status/500");
      assertThat(calls.get(0).attr("http.response.status_code")).isEqualTo("500");
      assertThat(calls.get(0).attr("error.type")).isEqualTo("500");
      assertSite(calls.get(0), ERROR_PAGES.get(page));
      // Retrofit's error body reaches the page too.
      assertThat(rec.stdout)
          .contains(page + " 200 saw 500" + (page.startsWith("retrofit") ? " boom" : ""));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void theReportSaysIssueTheSerialCallsTogetherAndPredictsTheParallelPage(String jdk)
      throws Exception {
    Analysed a = Analysed.of(run(jdk).file);
    for (Layer l : layers(jdk)) {
      a.topSuggestionPredicts("GET /page/" + l.page(), l.advice(), "GET /page/" + l.parallel());
    }
  }

  /**
   * RestTemplate on Jetty's client: the agent does not record Jetty, so its flows have no calls;
   * they must name Jetty as loaded and unrecorded, and the report must say what it did not see
   * rather than that nothing is worth changing. On the build's JDK only: Jetty's client and the
   * agent's advice on it are the same on any JDK.
   */
  @Test
  void jettyUnderRestTemplateIsNamedAndTheReportGivesNoAllClear() throws Exception {
    Recorded rec =
        AgentRun.run(
            javaHome("17"), "", classPath(), MAIN, backend.url(), "jetty-resttemplate-serial*3");
    assertThat(rec.stdout).contains("jetty-resttemplate-serial 200 user cart ads");
    List<RecordedSpan> flows = pages(rec, "jetty-resttemplate-serial");
    assertThat(flows).hasSize(3);
    for (RecordedSpan flow : flows) {
      assertThat(rec.under(flow, "call")).isEmpty();
      assertThat(flow.attributes.get("reqflow.libraries.unrecorded"))
          .isEqualTo(List.of("Jetty HttpClient"));
      // Each exchange waited in Jetty's InputStreamResponseListener for the response headers,
      // which Jetty's own thread delivered: an unseen wait at the application's line, about as
      // long as the backend took (80, 160, 120 ms: 360 ms).
      List<RecordedSpan> waits = renderBlocks(rec, flow);
      assertThat(waits).as(flow.toString()).hasSize(3);
      long waited = 0;
      for (RecordedSpan w : waits) {
        assertThat(w.attr("reqflow.block.kind")).isEqualTo("jetty.response");
        assertThat(w.links).isEmpty();
        assertThat(w.attr("reqflow.block.completed_by")).isNotNull();
        assertSite(w, "jettyRestTemplate");
        waited += w.end - w.start;
      }
      assertThat(Long.parseLong(flow.attr("reqflow.unseen.wait_ns"))).isEqualTo(waited);
      // The wait starts once Jetty has sent the request, a little after the backend's clock.
      assertThat(waited).isGreaterThanOrEqualTo(Math.round(0.9 * 360 * 1_000_000L));
    }
    assertThat(ExitReport.in(rec.stderr).unrecordedLibraries).isEqualTo("Jetty HttpClient");
    List<Flow> read = Flows.read(rec.file).flows();
    assertThat(read).hasSize(3);
    for (Flow f : read) {
      assertThat(Blindness.blind(f)).as(f.name()).isTrue();
      assertThat(f.unseen().libraries()).containsExactly("Jetty HttpClient");
    }
    String report = report(rec);
    assertThat(report)
        .contains("did not see as calls")
        .contains("did not see")
        .contains("Jetty HttpClient")
        .doesNotContainIgnoringCase("nothing worth changing");
  }

  /** The text report of a run, as {@code reqflow report FILE} prints it. */
  static String report(Recorded rec) throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                cp,
                "dev.reqflow.report.ReportCli",
                rec.file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(0);
    return out;
  }
}
