package dev.reqflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reqflow.analysis.FlowReport;
import dev.reqflow.report.ReportCli;
import dev.reqflow.viewer.receiver.OtlpReceiver;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another tool's traces, from the real thing: the sample app's page server and its backends (JDK
 * {@code HttpServer}, OkHttp and the JDK {@code HttpClient}) run once under the OpenTelemetry Java
 * agent 2.33.1, with no reqflow agent, exporting traces both as {@code logging-otlp} lines (into
 * the process's output, among its own lines) and by OTLP/HTTP to the viewer's receiver, which also
 * gets its metrics and logs. Then {@code reqflow report} on that output, as a user would: the
 * endpoints are the paths (not the agent's one {@code GET /}), each page's calls are listed with
 * target, time and status, nothing reads as an all-clear, {@code report -} reads the same from
 * standard input, and output without spans is exit 1 with the reason.
 */
class OtelJavaagentTracesTest {
  static final String SERVICE = "sample-pages";
  static final List<String> PAGES =
      List.of(
          "home?strategy=serial-shared-client",
          "home?strategy=serial-shared-client",
          "home?strategy=async",
          "");

  /** The backends each home page calls, as the report shows them (query values redacted). */
  static final List<String> CALLS =
      List.of(
          "GET /user?session=REDACTED",
          "GET /recommendations?userId=REDACTED",
          "GET /reviews",
          "GET /cart?session=REDACTED",
          "GET /ads",
          "GET /deals");

  static final Set<String> ENDPOINTS =
      new TreeSet<>(
          List.of(
              "GET /",
              "GET /home",
              "GET /user",
              "GET /recommendations",
              "GET /reviews",
              "GET /cart",
              "GET /ads",
              "GET /deals"));

  /** Pages (4) and the backend requests of the 3 home pages (6 each). */
  static final int FLOWS = 4 + 3 * 6;

  @TempDir static Path dir;
  static Path log;
  static String backends;
  static long droppedMetrics;
  static long droppedLogs;
  static final Map<String, String> received = new ConcurrentHashMap<>();

  @BeforeAll
  static void runTheSampleAppUnderTheOtelAgent() throws Exception {
    Path otel = jar("reqflow.otel.javaagent");
    Path sample = jar("reqflow.sample.jar");
    log = dir.resolve("sample-app.log");
    OtlpReceiver.Listener listener =
        new OtlpReceiver.Listener() {
          @Override
          public void flows(List<FlowReport> changed) {
            for (FlowReport r : changed) {
              received.put(r.flow().traceId() + "/" + r.flow().spanId(), r.flow().name());
            }
          }

          @Override
          public void error(String message) {
            received.put("error " + message, message);
          }
        };
    try (OtlpReceiver receiver = OtlpReceiver.start("127.0.0.1", 0, listener)) {
      List<String> cmd =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              // C1 only: the agent's start is most of this test's time, and the page times are
              // not what it checks.
              "-XX:TieredStopAtLevel=1",
              "-javaagent:" + otel,
              "-Dotel.service.name=" + SERVICE,
              "-Dotel.traces.exporter=otlp,logging-otlp",
              "-Dotel.metrics.exporter=otlp",
              "-Dotel.logs.exporter=otlp",
              "-Dotel.exporter.otlp.protocol=http/protobuf",
              "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + receiver.port(),
              "-Dotel.bsp.schedule.delay=100",
              "-Dotel.metric.export.interval=500",
              // The JDK HttpClient then logs each request through java.util.logging, which the
              // agent exports as OTLP logs: the receiver's /v1/logs sees real traffic.
              "-Djdk.httpclient.HttpClient.log=requests",
              "-jar",
              sample.toString(),
              "serve",
              "--port",
              "0");
      Process app =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        String pages = awaitLine("pages: ", app);
        backends = awaitLine("backends: ", app);
        HttpClient client = HttpClient.newHttpClient();
        for (String page : PAGES) {
          HttpResponse<String> r =
              client.send(
                  HttpRequest.newBuilder(URI.create(pages + page))
                      .timeout(Duration.ofSeconds(20))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(page).isEqualTo(200);
        }
        // Every flow exported before the app stops: its exit then only flushes metrics and logs.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.size() < FLOWS && System.nanoTime() < deadline) {
          receiver.publish();
          Thread.sleep(50);
        }
      } finally {
        app.destroy();
        if (!app.waitFor(30, TimeUnit.SECONDS)) {
          app.destroyForcibly().waitFor();
        }
      }
      receiver.publish();
      droppedMetrics = receiver.droppedMetricsRequests();
      droppedLogs = receiver.droppedLogsRequests();
    }
  }

  private static Path jar(String property) {
    Path jar = Path.of(System.getProperty(property, "")).toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(jar), property + " names no jar: " + jar);
    return jar;
  }

  /** The URL the app printed after {@code prefix}, once it has; fails if it exits first. */
  private static String awaitLine(String prefix, Process app) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
      }
      assertThat(app.isAlive()).as(Files.readString(log)).isTrue();
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + prefix + "' line in 60 s:\n" + Files.readString(log));
  }

  private record Run(int code, String out, String err) {}

  private static Run report(InputStream stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ReportCli.run(
            args,
            stdin,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String target() {
    return URI.create(backends).getHost() + ":" + URI.create(backends).getPort();
  }

  @Test
  void theReportNamesEndpointsByPathAndListsEachPagesCalls() throws Exception {
    Run r = report(InputStream.nullInputStream(), log.toString());
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    String out = r.out();
    assertThat(out)
        .startsWith("reqflow report: " + FLOWS + " flows of 8 endpoints, from 1 file (")
        .contains("lines without OTLP JSON skipped (other output)")
        .contains(FLOWS + " flows of GET /home, ")
        .contains("come from another tool's trace, with no waits recorded")
        .contains("What to change first: nothing from the calls reqflow saw. That is no all-clear")
        .doesNotContain("no flow has a suggestion")
        .doesNotContain("Critical path");
    Set<String> endpoints =
        out.lines()
            .filter(l -> l.startsWith("== "))
            .map(l -> l.substring(3, l.indexOf(" (" + SERVICE + ") ==")))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(endpoints).isEqualTo(ENDPOINTS);
    String home = section(out, "GET /home");
    assertThat(home).startsWith("3 flows: median ");
    for (String call : CALLS) {
      // Each of the 3 pages called each backend once: listed by method and path, with target and
      // status, whatever the span was named (the agent names client spans "GET").
      Pattern line =
          Pattern.compile(
              "\\n +\\+\\S+ \\S+ +\\S+ \\S+  "
                  + Pattern.quote(call + " on " + target() + ", HTTP 200")
                  + "\\n");
      Matcher m = line.matcher(home);
      int n = 0;
      while (m.find()) {
        n++;
      }
      assertThat(n).as(call + " in\n" + home).isEqualTo(3);
    }
    assertThat(section(out, "GET /user")).contains("No calls in its trace.");

    // The same, received by OTLP/HTTP: the receiver's flows have the same endpoints.
    assertThat(received.keySet()).noneMatch(k -> k.startsWith("error "));
    assertThat(new TreeSet<>(received.values())).isEqualTo(ENDPOINTS);
    assertThat(received).hasSize(FLOWS);
  }

  @Test
  void jsonListsTheCallsAndSaysNoWaitsWereRecorded() {
    Run r = report(InputStream.nullInputStream(), "--format", "json", log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("\"no_waits_flows\" : " + FLOWS)
        .contains("\"waits_recorded\" : false")
        .doesNotContain("\"waits_recorded\" : true")
        .contains("\"target\" : \"" + target() + "\"");
    for (String call : CALLS) {
      assertThat(r.out()).contains("\"label\" : \"" + call + " on " + target() + ", HTTP 200\"");
    }
  }

  @Test
  void reportDashReadsStandardInput() throws Exception {
    Run file = report(InputStream.nullInputStream(), log.toString());
    Run stdin;
    try (InputStream in = Files.newInputStream(log)) {
      stdin = report(in, "-");
    }
    assertThat(stdin.code()).as(stdin.err()).isZero();
    assertThat(stdin.out()).isEqualTo(file.out().replace(log.toString(), "stdin"));
  }

  @Test
  void outputWithoutSpansIsAnErrorWithTheReason() throws Exception {
    Path appOnly = dir.resolve("app-lines.log");
    Files.write(
        appOnly,
        Files.readAllLines(log, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.contains("{\"resource"))
            .collect(Collectors.toList()));
    Run r = report(InputStream.nullInputStream(), appOnly.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("reqflow report: " + appOnly + ": no spans in ")
        .contains("none holds OTLP JSON")
        .contains("-Dotel.traces.exporter=logging-otlp");

    Run empty = report(InputStream.nullInputStream(), "-");
    assertThat(empty.code()).isEqualTo(1);
    assertThat(empty.err()).contains("reqflow report: stdin: empty");
  }

  @Test
  void theReceiverTookItsMetricsAndLogsWithoutAWarning() throws Exception {
    String output = Files.readString(log, StandardCharsets.UTF_8);
    List<String> exportProblems = new ArrayList<>();
    for (String line : output.lines().toList()) {
      if (line.contains("Failed to export") || line.matches(".*\\] (WARN|ERROR) .*")) {
        exportProblems.add(line);
      }
    }
    assertThat(exportProblems).isEmpty();
    assertThat(droppedMetrics).isPositive();
    assertThat(droppedLogs).isPositive();
  }

  /** The body of an endpoint's section in the text report, from its header to the next. */
  private static String section(String report, String endpoint) {
    String header = "== " + endpoint + " (" + SERVICE + ") ==\n";
    int at = report.indexOf(header);
    assertThat(at).as(endpoint + " in\n" + report).isNotNegative();
    int next = report.indexOf("\n== ", at + header.length());
    return report.substring(at + header.length(), next < 0 ? report.length() : next + 1);
  }
}
