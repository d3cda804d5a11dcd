package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.report.ReportCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code install=background}: premain returns at once and the service serves while the agent
 * installs. A request served before the install finished is not recorded, never half-recorded; one
 * after it is recorded whole; and what was not seen is said, by the start line, the exit line, the
 * exported data ({@code install} span) and so the report, before anything else. A program that ends
 * before the install is done says that too.
 */
class BackgroundInstallIT {
  static final String MAIN = "com.example.startup.ServeAtOnce";
  static final Pattern INSTALLED =
      Pattern.compile("installed in the background in \\d+ ms, (\\d+) ms after the JVM started");

  static LoopbackBackend backend;

  @BeforeAll
  static void start() throws Exception {
    // 20 ms a request: the page waits on its call long enough to be a recorded wait.
    backend = new LoopbackBackend(20);
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close();
  }

  @Test
  void aServiceCalledAtOnceIsRecordedFromTheInstallOnAndSaysSo() throws Exception {
    AgentProcess p =
        AgentProcess.start(
            "install=background", AgentRun.programClassPath(), MAIN, "serve", backend.url());
    String pages = p.stdout.readLine();
    assertThat(pages).startsWith("pages ");
    HttpClient client = HttpClient.newHttpClient();
    // At once, as a test that starts a server and calls it does: the install may still run.
    assertThat(get(client, pages.substring(6) + "early")).isEqualTo(200);
    // The way to wait for the agent: its start line, printed when the install is done.
    String err = p.awaitStderr("reqflow agent ", 60_000);
    Matcher m = INSTALLED.matcher(err);
    assertThat(m.find()).as(err).isTrue();
    long installedMs = Long.parseLong(m.group(1));
    assertThat(get(client, pages.substring(6) + "late")).isEqualTo(200);
    p.process.getOutputStream().close();
    Recorded rec = p.finish(new ArrayList<>());

    // The request after the install: its flow, whole (the call below it, the wait on it).
    List<RecordedSpan> late = rec.flows("GET /late");
    assertThat(late).as(rec.stderr).hasSize(1);
    assertThat(rec.under(late.get(0), "call")).hasSize(1);
    assertThat(rec.waits(late.get(0))).isNotEmpty();
    // The one before it: recorded whole or not at all, never a flow without its call.
    for (RecordedSpan early : rec.flows("GET /early")) {
      assertThat(rec.under(early, "call")).hasSize(1);
    }
    // The exported data says when recording began: one install span, from the JVM's start.
    List<RecordedSpan> installs =
        rec.spans.stream().filter(s -> "install".equals(s.type())).toList();
    assertThat(installs).hasSize(1);
    long spanMs = (installs.get(0).end - installs.get(0).start) / 1_000_000;
    assertThat(spanMs).isBetween(installedMs - 5, installedMs + 5);
    assertThat(rec.stderr)
        .contains("the agent finished installing")
        .contains("(install=background): requests before then were not recorded");

    // The report says it before anything else.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        ReportCli.run(
            new String[] {rec.file.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as(report).isZero();
    assertThat(report)
        .contains("the agent finished installing " + spanMs + " ms after the JVM started");
    assertThat(report.indexOf("installing")).isLessThan(report.indexOf("What to change first"));
  }

  @Test
  void aMainThatEndsBeforeTheInstallSaysSo() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            "install=background",
            AgentRun.programClassPath(),
            MAIN,
            "once",
            backend.url());

    assertThat(rec.stdout).contains("done");
    assertThat(rec.stderr).doesNotContain("the agent failed to start");
    // Whichever came first, the exit or the end of the install, the exit says which.
    if (rec.stderr.contains("before the agent finished installing")) {
      assertThat(rec.stderr).contains("(install=background, premain ");
      assertThat(rec.spans.stream().filter(s -> "flow".equals(s.type()))).isEmpty();
    } else {
      assertThat(rec.stderr).contains("the agent finished installing");
      for (RecordedSpan early : rec.flows("GET /early")) {
        assertThat(rec.under(early, "call")).hasSize(1);
      }
    }
  }

  private static int get(HttpClient client, String url) throws Exception {
    return client
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
