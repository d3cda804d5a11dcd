package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.example.apache.SlowBackend;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.Suggestion;
import dev.reqflow.analysis.SuggestionKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The "MVC + RestClient on Apache HC5" service of issue 10 (agent-fixtures/spring-mvc-restclient),
 * started as a user would ({@code java -javaagent:reqflow-agent.jar=... -jar app.jar}), loaded over
 * loopback, stopped with SIGTERM: every call of every request in the trace, one flow per request
 * lasting what the client saw, the call sites in the service's controller, and {@code
 * raise-pool-limit} first on {@code GET /offers}, naming the per-route limit, with a prediction
 * within 10% of {@code GET /offers-widened} measured. On Java 17 and 25.
 */
class SpringMvcRestClientIT {
  private static final int LOADS = 7;
  private static final long LATENCY_MS = 200;
  private static final int FAN_OUT = 10;
  private static final long MS = 1_000_000L;
  private static final long END_STAMP_SLACK_NANOS = 5 * MS;
  private static final String CONTROLLER = "com.example.restclient.OffersController";

  @Test
  void onJava17() throws Exception {
    check(run(System.getProperty("java.home")));
  }

  @Test
  void onJava25() throws Exception {
    Path jdk = PooledClientChecks.jdk25();
    assumeTrue(Files.isDirectory(jdk), "no JDK 25 at " + jdk);
    check(run(jdk.toString()));
  }

  /** What one run recorded, and how long the client saw each request take. */
  private record Run(Recorded rec, Map<String, List<Long>> clientNanos) {}

  private static Run run(String javaHome) throws Exception {
    Path jar =
        Paths.get(
            System.getProperty(
                "reqflow.mvc-restclient.jar",
                "../agent-fixtures/spring-mvc-restclient/target/spring-mvc-restclient.jar"));
    assertThat(jar).as("the fixture's fat jar (mvn package)").isRegularFile();
    Path dir = AgentRun.workDir();
    String name = "mvc-restclient-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path file = dir.resolve(name + ".jsonl");
    Path err = dir.resolve(name + ".err");
    Map<String, List<Long>> seen = new LinkedHashMap<>();
    try (SlowBackend backend = new SlowBackend(LATENCY_MS)) {
      List<String> cmd =
          List.of(
              Paths.get(javaHome, "bin", "java").toString(),
              "-javaagent:"
                  + AgentRun.agentJar().toAbsolutePath()
                  + "=file="
                  + file.toAbsolutePath()
                  + ",endpoint=none,service.name=offers",
              "-jar",
              jar.toAbsolutePath().toString(),
              "--server.address=127.0.0.1",
              "--server.port=0",
              "--backend.url=" + backend.url());
      Process app = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      try {
        String base = lineAfter(app, "listening: ", err);
        HttpClient client = HttpClient.newHttpClient();
        // Round after round, so that a burst of load on a shared machine hits both alike.
        for (int i = 0; i < LOADS; i++) {
          for (String path : List.of("offers", "offers-widened")) {
            long start = System.nanoTime();
            HttpResponse<String> r =
                client.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - start;
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            assertThat(r.body().split(",")).hasSize(FAN_OUT);
            seen.computeIfAbsent("GET /" + path, k -> new ArrayList<>()).add(took);
          }
        }
      } finally {
        // SIGTERM, as a user stops a service: the agent writes what it holds at exit.
        app.destroy();
        if (!app.waitFor(60, TimeUnit.SECONDS)) {
          app.destroyForcibly();
        }
      }
    }
    return new Run(new Recorded(file, Files.readString(err, StandardCharsets.UTF_8)), seen);
  }

  private static void check(Run run) throws IOException {
    Recorded rec = run.rec();
    assertThat(rec.stderr).contains("reqflow agent").doesNotContain("SELF-CHECK FAILED");
    assertThat(rec.stderr)
        .doesNotContain("instrumentation failed")
        .doesNotContain("could not instrument");

    for (String name : List.of("GET /offers", "GET /offers-widened")) {
      List<Long> gaps = new ArrayList<>();
      List<RecordedSpan> flows = rec.flows(name);
      List<Long> seen = run.clientNanos().get(name);
      assertThat(flows).as(name + " flows, one per request\n" + rec.stderr).hasSize(LOADS);
      for (int i = 0; i < LOADS; i++) {
        RecordedSpan flow = flows.get(i);
        long took = flow.end - flow.start;
        assertThat(flow.kind).isEqualTo(2); // SERVER
        assertThat(flow.attr("http.response.status_code")).isEqualTo("200");
        // The server stamps the flow's end after its response is on the wire: a thread descheduled
        // in between (a loaded machine) stamps it after the client has read the response.
        assertThat(took)
            .as(name + " flow vs client")
            .isLessThanOrEqualTo(seen.get(i) + END_STAMP_SLACK_NANOS);
        if (i > 0) {
          gaps.add(seen.get(i) - took);
        }
        assertThat(took).isGreaterThanOrEqualTo(LATENCY_MS * MS);

        List<RecordedSpan> calls = rec.under(flow, "call");
        assertThat(calls).as(name + " calls").hasSize(FAN_OUT);
        for (RecordedSpan c : calls) {
          assertThat(c.attr("reqflow.call.client")).isEqualTo("apache-httpclient5");
          assertThat(c.attr("http.response.status_code")).isEqualTo("200");
          assertThat(c.request()).startsWith("GET /partners/");
          assertThat(c.attr("code.function.name")).isEqualTo(CONTROLLER + ".fetch");
          assertThat(c.attr("code.file.path")).isEqualTo("OffersController.java");
          assertThat(c.attr("reqflow.pool.name")).startsWith("PoolingHttpClientConnectionManager@");
          assertThat(c.attr("reqflow.pool.limit_per_host"))
              .isEqualTo(name.equals("GET /offers") ? "5" : String.valueOf(FAN_OUT));
          assertThat(c.end - c.start).isGreaterThanOrEqualTo(LATENCY_MS * MS);
          assertThat(c.end).isLessThanOrEqualTo(flow.end);
        }
        // The request thread waited on the calls, at the controller's line.
        List<RecordedSpan> waits =
            rec.under(flow, "block").stream()
                .filter(b -> "render".equals(b.attr("reqflow.thread.role")))
                .toList();
        assertThat(waits).isNotEmpty();
        for (RecordedSpan w : waits) {
          assertThat(w.attr("code.function.name")).startsWith(CONTROLLER);
          assertThat(w.links).isNotEmpty();
        }
        if (i > 0 && name.equals("GET /offers")) {
          long queued =
              calls.stream()
                  .filter(c -> c.event("dispatched").time - c.start > LATENCY_MS / 2 * MS)
                  .peek(c -> assertThat(c.attr("reqflow.pool.kind")).isEqualTo("per-route"))
                  .count();
          assertThat(queued).as("calls that waited for a connection").isEqualTo(FAN_OUT - 5);
        }
      }
      // The flow lasts what the client saw, less the network and Tomcat's own work (filters,
      // and on the first request Spring's DispatcherServlet starting, before the servlet runs).
      long medianGap = gaps.stream().sorted().toList().get(gaps.size() / 2);
      System.out.printf(
          "%s: client saw %s ms more than the flows%n",
          name, gaps.stream().map(g -> g / MS).toList());
      assertThat(medianGap).as(name + ": client minus flow, median").isLessThan(20 * MS);
    }

    Analysed analysed = Analysed.of(rec.file);
    List<Suggestion> tops =
        analysed.topSuggestionPredicts(
            "GET /offers", SuggestionKind.RAISE_POOL_LIMIT, "GET /offers-widened");
    for (Suggestion s : tops) {
      assertThat(s.title())
          .isEqualTo(
              "Raise the connection pool's max per route from 5 to 10"
                  + " (PoolingHttpClientConnectionManager setDefaultMaxPerRoute/setMaxPerRoute)");
    }
    for (FlowReport r : analysed.judged("GET /offers-widened")) {
      assertThat(r.suggestions())
          .extracting(Suggestion::kind)
          .doesNotContain(SuggestionKind.RAISE_POOL_LIMIT);
    }
  }

  /** The rest of the first stdout line that starts with {@code prefix}; stdout is drained. */
  private static String lineAfter(Process p, String prefix, Path err) throws Exception {
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(1024);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.offer(line);
                }
              } catch (IOException e) {
                lines.offer("error: " + e);
              }
            },
            "stdout-of-" + p.pid());
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
      if (line == null && !p.isAlive()) {
        break;
      }
    }
    throw new AssertionError(
        "the service printed no '" + prefix + "' line\n" + Files.readString(err));
  }
}
