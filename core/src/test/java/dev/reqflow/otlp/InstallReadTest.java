package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.reqflow.contract.TraceContract.SpanType;
import dev.reqflow.report.ReportCli;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's {@code install} span ({@code install=background}): no flow, and the first thing the
 * reader warns about, so that the report says requests before it were not recorded before any
 * all-clear.
 */
class InstallReadTest {
  @TempDir Path dir;

  /** An install span of its own trace, from the JVM's start (0) to {@code toMs}. */
  static ExportTraceServiceRequest install(String spanId, long toMs) {
    Span.Builder span =
        Spans.type(
                Spans.span(
                    spanId, null, "reqflow install", Span.SpanKind.SPAN_KIND_INTERNAL, 0, toMs),
                SpanType.INSTALL)
            .setTraceId(Spans.id("1f00000000000000" + spanId));
    return Spans.request("shop", true, span);
  }

  private Path file(ExportTraceServiceRequest... requests) throws IOException {
    StringBuilder b = new StringBuilder();
    for (ExportTraceServiceRequest r : requests) {
      b.append(JsonFormat.printer().omittingInsignificantWhitespace().print(r)).append('\n');
    }
    Path file = dir.resolve("run.jsonl");
    Files.writeString(file, b.toString());
    return file;
  }

  @Test
  void anInstallIsNoFlowAndIsTheFirstWarning() throws IOException {
    ReadResult read =
        new FlowAssembler()
            .addFile(file(install("00000000000000e1", 812), Spans.agentPage()))
            .build();

    assertThat(read.flows()).hasSize(1);
    assertThat(read.flows().get(0).name()).isNotEqualTo("reqflow install");
    assertThat(read.warnings().get(0))
        .isEqualTo(
            "shop: the agent finished installing 812 ms after the JVM started"
                + " (install=background): requests before then were not recorded, so the flows"
                + " below may miss the process's first requests");
  }

  @Test
  void severalProcessesOfAServiceAreOneSentenceAndARepeatedSpanCountsOnce() throws IOException {
    ExportTraceServiceRequest first = install("00000000000000e1", 812);
    ReadResult read =
        new FlowAssembler().addFile(file(first, first, install("00000000000000e2", 640))).build();

    assertThat(read.flows()).isEmpty();
    assertThat(read.warnings())
        .first()
        .asString()
        .startsWith("shop: in 2 processes the agent finished installing 640 to 812 ms after");
  }

  @Test
  void noInstallSpanNoSentence() throws IOException {
    ReadResult read = new FlowAssembler().addFile(file(Spans.agentPage())).build();

    assertThat(read.warnings()).noneMatch(w -> w.contains("installing"));
  }

  @Test
  void theReportSaysItBeforeWhatToChange() throws IOException {
    Path f = file(install("00000000000000e1", 812), Spans.agentPage());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        ReportCli.run(
            new String[] {f.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(text).contains("warning: shop: the agent finished installing 812 ms");
    assertThat(text.indexOf("installing")).isLessThan(text.indexOf("What to change first"));
  }
}
