package dev.reqflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.AcrossServices;
import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.AnalysisResult;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.otlp.Flows;
import dev.reqflow.report.ReportCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A trace across two processes, both with the real agent jar: the sample app's page server (OkHttp
 * {@code execute} and {@code enqueue}, the JDK client's {@code send} in an executor and {@code
 * sendAsync}) and its backends. Each call's request carries the call span's {@code traceparent}, so
 * each backend flow is that call's child in the page's trace, and the report, reading both
 * processes' files, follows the page's critical path into the backends.
 */
class AcrossServicesTest {
  static final List<String> PAGES = List.of("serial-new-client", "pool-2", "async", "async-okhttp");
  static final int LOADS = 2;
  static final long SKEW_NANOS = 20_000_000L;
  static final Path dir = Path.of("target", "across-services");

  static List<Path> files;
  static AnalysisResult result;

  @BeforeAll
  static void record() throws Exception {
    Files.createDirectories(dir);
    files = new SampleAppRecording(dir).record(PAGES, LOADS, true);
    result = Analysis.analyse(Flows.read(files).flows());
  }

  static List<FlowReport> pages() {
    return result.flows().stream()
        .filter(r -> r.flow().name().startsWith("GET /home?strategy="))
        .collect(Collectors.toList());
  }

  @Test
  void eachBackendFlowIsTheChildOfThePageCallThatReachedIt() {
    assertThat(pages()).hasSize(PAGES.size() * LOADS);
    AcrossServices across = AcrossServices.of(result.flows());
    List<String> unjoined = new ArrayList<>();
    for (FlowReport page : pages()) {
      Flow f = page.flow();
      assertThat(f.service()).isEqualTo("sample-app");
      assertThat(f.calls()).as(f.name()).hasSizeGreaterThanOrEqualTo(6);
      for (Call c : f.calls()) {
        FlowReport callee = across.callee(f, c);
        if (callee == null) {
          unjoined.add(f.name() + " " + c.label());
          continue;
        }
        Flow b = callee.flow();
        assertThat(b.service()).isEqualTo("backends");
        assertThat(b.traceId()).isEqualTo(f.traceId());
        assertThat(b.parentSpanId()).isEqualTo(c.spanId());
        assertThat(b.name()).isEqualTo("GET " + URI.create(c.url()).getPath());
        // The backend's flow lies within the call that waited for it, give or take what two
        // processes' clock anchors differ by, and the backend's handler returning after the last
        // byte of the response left: a margin, not a measurement.
        assertThat(b.startNanos()).isGreaterThanOrEqualTo(c.startNanos() - SKEW_NANOS);
        assertThat(b.endNanos()).isLessThanOrEqualTo(c.endNanos() + SKEW_NANOS);
      }
    }
    assertThat(unjoined).as("calls whose backend flow is not their child").isEmpty();
    // Each wait of a page on a call goes on into the backend's flow (not its reading of a body
    // the client had handed it: the backend had answered by then).
    for (FlowReport page : pages()) {
      for (dev.reqflow.analysis.CriticalPath.Segment s : page.criticalPath().segments()) {
        boolean readsBody =
            !s.blocks().isEmpty() && s.blocks().stream().allMatch(b -> b.isBodyRead());
        if (s.releasedBy() != null && !readsBody) {
          assertThat(across.continuation(page.flow(), s))
              .startsWith(
                  "the page waited "
                      + dev.reqflow.analysis.Durations.format(s.durationNanos())
                      + " on backends's GET /");
        }
      }
    }
  }

  @Test
  void theReportFollowsThePageIntoTheBackends() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] args = files.stream().map(Path::toString).toArray(String[]::new);
    int code =
        ReportCli.run(
            args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true));
    String report = out.toString(StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.txt"), report);

    assertThat(code).as(report).isZero();
    // The recommendations: a page that waited on them goes on into the backend's flow.
    assertThat(report.replaceAll("\\s+", " "))
        .as(report)
        .containsPattern(
            "for GET http://127\\.0\\.0\\.1:\\d+/recommendations\\?userId=REDACTED: [^>]*-> the"
                + " page waited [\\d.]+ m?s on backends's GET /recommendations, ([\\d.]+ m?s of it in"
                + " backends's flow|the last part of backends's flow there \\([\\d.]+ m?s in all\\)),"
                + " which waited on no call of its own");
  }
}
