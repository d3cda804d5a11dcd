package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reqflow.analysis.SuggestionKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "MVC + RestTemplate (default factory)" service, started as a user would: {@code java
 * -javaagent:reqflow-agent.jar=... -jar spring-mvc-resttemplate.jar} (agent-fixtures/: Spring Boot
 * 4.0 MVC on embedded Tomcat, {@code new RestTemplate()}, so {@code HttpURLConnection}), its pages
 * loaded over loopback, then stopped with SIGTERM so that the agent writes what it holds. Every
 * backend call must be in the trace, one flow per request with the duration the client saw, the
 * call sites in the fixture's controller, and the report's first suggestion for the serial page
 * must predict the parallel page within 10%.
 */
class SpringMvcRestTemplateIT {
  static final String CONTROLLER = "com.example.mvc.PageController";
  static final int LOADS = 6;

  static SlowBackend backend;

  @BeforeAll
  static void startBackend() throws Exception {
    backend = SlowBackend.http();
  }

  @AfterAll
  static void stopBackend() throws Exception {
    backend.close();
  }

  static Path appJar() {
    Path jar =
        Paths.get(
            System.getProperty(
                "reqflow.mvc-resttemplate.jar",
                "../agent-fixtures/spring-mvc-resttemplate/target/spring-mvc-resttemplate.jar"));
    assumeTrue(Files.isRegularFile(jar), "fixture not built: " + jar);
    return jar;
  }

  /** Times the client measured, per path, in the order it loaded them. */
  static final class Loads {
    final List<Long> serial = new ArrayList<>();
    final List<Long> parallel = new ArrayList<>();
  }

  /**
   * On Java 17 only: what the JDK does here is {@code HttpURLConnection}, which UrlConnectionIT
   * runs on 17 and 25; Spring and Tomcat are the same jars on 25, where SpringMvcRestClientIT runs
   * Spring MVC on Tomcat.
   */
  @Test
  void everyCallOneFlowPerRequestAndTheRightFirstSuggestion() throws Exception {
    Path jar = appJar();
    AgentProcess app =
        AgentProcess.launch(
            System.getProperty("java.home"),
            "service.name=mvc-resttemplate",
            List.of("-jar", jar.toString(), "--server.port=0", "--backends=" + backend.url()));
    Loads loads = new Loads();
    List<String> out = new ArrayList<>();
    Recorded rec;
    try {
      String pages = awaitPages(app, out);
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < LOADS; i++) {
        loads.serial.add(load(client, pages + "page"));
      }
      for (int i = 0; i < LOADS; i++) {
        loads.parallel.add(load(client, pages + "page-parallel"));
      }
      for (int id = 1; id <= 3; id++) {
        load(client, pages + "product/" + id, id + " user");
      }
    } finally {
      // SIGTERM: Spring and the agent shut down as in production. (Process.destroy would also
      // close stdout, which finish drains.)
      app.process.toHandle().destroy();
      rec = app.finish(out);
    }
    assertThat(rec.stderr)
        .contains("reqflow agent")
        .doesNotContain("SELF-CHECK FAILED")
        .doesNotContain("could not instrument")
        .doesNotContain("instrumentation failed");

    List<RecordedSpan> serial = rec.flows("GET /page");
    List<RecordedSpan> parallel = rec.flows("GET /page-parallel");
    assertThat(serial).as("one flow per request\n" + rec.stderr).hasSize(LOADS);
    assertThat(parallel).as("one flow per request").hasSize(LOADS);
    assertSawWhatTheClientSaw(serial, loads.serial);
    assertSawWhatTheClientSaw(parallel, loads.parallel);

    // Every call the pages made, and nothing else: the backends are in the test's JVM.
    List<RecordedSpan> allCalls =
        rec.spans.stream().filter(s -> "call".equals(s.type())).collect(Collectors.toList());
    assertThat(allCalls).hasSize(3 * 2 * LOADS + 3);

    // One endpoint for every product: named by Spring's route, as the semantic conventions do.
    List<RecordedSpan> products = rec.flows("GET /product/{id}");
    assertThat(products)
        .extracting(f -> f.attr("url.path"))
        .containsExactly("/product/1", "/product/2", "/product/3");
    assertThat(products)
        .allSatisfy(f -> assertThat(f.attr("http.route")).isEqualTo("/product/{id}"));
    for (RecordedSpan flow : serial) {
      List<RecordedSpan> calls = rec.under(flow, "call");
      assertThat(calls)
          .extracting(c -> c.request())
          .containsExactly("GET /user", "GET /cart", "GET /ads");
      List<RecordedSpan> waits =
          rec.under(flow, "block").stream()
              .filter(b -> "render".equals(b.attr("reqflow.thread.role")))
              .collect(Collectors.toList());
      for (RecordedSpan c : calls) {
        assertCall(c, CONTROLLER + ".page");
        assertThat(c.attr("reqflow.call.mode")).isEqualTo("sync");
        assertThat(waits.stream().filter(b -> b.linked("waited-on").contains(c.spanId)))
            .as("the request thread waited on " + c.name)
            .isNotEmpty();
      }
    }
    for (RecordedSpan flow : parallel) {
      List<RecordedSpan> calls = rec.under(flow, "call");
      assertThat(calls).hasSize(3);
      for (RecordedSpan c : calls) {
        assertCall(c, CONTROLLER + ".lambda$pageParallel$0");
        assertThat(c.attr("reqflow.pool.kind")).isEqualTo("executor");
      }
    }

    Analysed.of(rec.file)
        .topSuggestionPredicts("GET /page", SuggestionKind.PARALLELIZE, "GET /page-parallel");
  }

  private static void assertCall(RecordedSpan c, String site) {
    assertThat(c.attr("reqflow.call.client")).isEqualTo("httpurlconnection");
    assertThat(c.attr("http.response.status_code")).isEqualTo("200");
    assertThat(c.attr("url.full")).startsWith(backend.url());
    assertThat(c.attr("code.function.name")).as(c.toString()).isEqualTo(site);
    assertThat(c.attr("code.file.path")).isEqualTo("PageController.java");
    assertThat(c.event("response.first_byte")).isNotNull();
    assertThat(c.event("response.body_done")).isNotNull();
  }

  /**
   * Each flow, in order, lasted what its request took as the client measured it, less what the
   * client and Tomcat did before the servlet, plus what the servlet did after Spring flushed the
   * response: the medians within 10%, and no request off by half (the async flows were 100
   * times too short). The first request of the run is left out: Spring initialises its {@code
   * DispatcherServlet} on it, before the servlet is entered (where the flow starts).
   */
  private static void assertSawWhatTheClientSaw(List<RecordedSpan> flows, List<Long> clientNanos) {
    StringBuilder seen = new StringBuilder(flows.get(0).name + ": flow/client ms");
    List<Long> flowNanos = new ArrayList<>();
    for (int i = 0; i < flows.size(); i++) {
      flowNanos.add(flows.get(i).end - flows.get(i).start);
      seen.append(String.format(" %.1f/%.1f", flowNanos.get(i) / 1e6, clientNanos.get(i) / 1e6));
    }
    System.out.println(seen);
    for (int i = 1; i < flows.size(); i++) {
      assertThat(flowNanos.get(i))
          .as("request %d: %s", i, seen)
          .isBetween(clientNanos.get(i) / 2, clientNanos.get(i) * 3 / 2);
    }
    long flow = median(flowNanos.subList(1, flowNanos.size()));
    long client = median(clientNanos.subList(1, clientNanos.size()));
    assertThat((double) flow).as(seen.toString()).isBetween(0.9 * client, 1.1 * client);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static String awaitPages(AgentProcess app, List<String> out) throws Exception {
    for (String line = app.stdout.readLine(); line != null; line = app.stdout.readLine()) {
      out.add(line);
      if (line.startsWith("pages: ")) {
        return line.substring("pages: ".length()).trim();
      }
    }
    throw new AssertionError("the app ended without serving: " + out);
  }

  private static long load(HttpClient client, String url) throws Exception {
    return load(client, url, "user cart ads ");
  }

  private static long load(HttpClient client, String url, String body) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    long took = System.nanoTime() - start;
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(body);
    return took;
  }
}
