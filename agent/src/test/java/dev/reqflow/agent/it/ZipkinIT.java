package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code otel.traces.exporter=zipkin} against the real Zipkin server (Maven Central's {@code
 * io.zipkin:zipkin-server} exec jar) on 127.0.0.1: every span the agent also wrote to its file
 * reaches Zipkin, and each span's links arrive as its {@code reqflow.links} tag. The server jar
 * (135 MB, about 5 s to start, 200+ MB of memory) is fetched only by the {@code zipkin} profile
 * ({@code mvn -Pzipkin ...}); without it the test is skipped.
 */
class ZipkinIT {

  @Test
  void spansAndTheirLinksReachZipkin() throws Exception {
    Path server = Paths.get(System.getProperty("reqflow.zipkin.server", ""));
    assumeTrue(Files.isRegularFile(server), "no Zipkin server jar (mvn -Pzipkin): " + server);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = AgentRun.workDir().resolve("zipkin-" + port + ".log");
    Process zipkin =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                server.toString(),
                "--armeria.ports[0].ip=127.0.0.1",
                "--armeria.ports[0].port=" + port,
                "--armeria.ports[0].protocols[0]=http")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String base = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try (LoopbackBackend backend = new LoopbackBackend(5)) {
      awaitHealthy(http, base, zipkin, log);
      Recorded rec =
          AgentRun.run(
              System.getProperty("java.home"),
              List.of(
                  "-Dotel.traces.exporter=zipkin",
                  "-Dotel.exporter.zipkin.endpoint=" + base + "/api/v2/spans",
                  "-Dotel.service.name=zipkin-pages"),
              "",
              AgentRun.programClassPath(),
              ExportFaultsIT.MAIN,
              "pages",
              backend.url(),
              "8",
              "3");
      assertThat(rec.stderr).contains("spans to Zipkin " + base + "/api/v2/spans");
      List<RecordedSpan> written = rec.spans;
      List<RecordedSpan> linked = new ArrayList<>();
      for (RecordedSpan s : written) {
        if (!s.links.isEmpty()) {
          linked.add(s);
        }
      }
      assertThat(linked).as("spans with links in the file" + rec.stderr).isNotEmpty();

      Map<String, Map<String, Object>> inZipkin = awaitSpans(http, base, written.size());
      assertThat(inZipkin.keySet()).containsAll(written.stream().map(s -> s.spanId).toList());
      for (RecordedSpan s : linked) {
        Map<String, Object> tags = tags(inZipkin.get(s.spanId));
        List<String> expected = new ArrayList<>();
        for (RecordedSpan.RecordedLink l : s.links) {
          Object type = l.attributes.get("reqflow.link.type");
          expected.add(l.traceId + "-" + l.spanId + " " + (type == null ? "-" : type));
        }
        // Zipkin tags are strings: the SDK's exporter joins an array with commas.
        assertThat(tags.get("reqflow.links"))
            .as(s.toString())
            .isEqualTo(String.join(",", expected));
      }
    } finally {
      zipkin.destroy();
      if (!zipkin.waitFor(10, TimeUnit.SECONDS)) {
        zipkin.destroyForcibly().waitFor();
      }
    }
  }

  private static void awaitHealthy(HttpClient http, String base, Process zipkin, Path log)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!zipkin.isAlive()) {
        throw new AssertionError("Zipkin exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      // Polled: the server says when it is up, nothing else does.
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("Zipkin not healthy within 120 s: " + Files.readString(log));
  }

  /** The spans Zipkin holds for the service, by span id, once it holds at least {@code n}. */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> awaitSpans(HttpClient http, String base, int n)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Map<String, Map<String, Object>> spans = new HashMap<>();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          base
                              + "/api/v2/traces?serviceName=zipkin-pages&limit=1000&lookback="
                              + TimeUnit.HOURS.toMillis(1)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      spans.clear();
      for (Object trace : (List<Object>) Json.parse(r.body())) {
        for (Object span : (List<Object>) trace) {
          Map<String, Object> m = (Map<String, Object>) span;
          spans.put((String) m.get("id"), m);
        }
      }
      if (spans.size() >= n) {
        return spans;
      }
      // Zipkin indexes what it received asynchronously: asked again until it holds all.
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return spans;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tags(Map<String, Object> span) {
    assertThat(span).isNotNull();
    return (Map<String, Object>) span.getOrDefault("tags", Map.of());
  }
}
