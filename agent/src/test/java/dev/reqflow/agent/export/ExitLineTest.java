package dev.reqflow.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.agent.recorder.IncompleteCalls;
import dev.reqflow.agent.recorder.SamplingTotals;
import dev.reqflow.agent.recorder.StallTotals;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitLineTest {

  private static final ExitLine.RecorderLosses NONE = new ExitLine.RecorderLosses(0, 0, 0, 0, 0);

  @Test
  void deliveredAndDroppedPerSinkLargestReasonFirst() {
    DropCounts file = new DropCounts("file /x.jsonl", "written", 100_000);
    DropCounts otlp = new DropCounts("OTLP http://h:4318/v1/traces", "sent", 12_000);
    for (int i = 0; i < 12_345; i++) {
      file.admit();
      otlp.admit();
    }
    file.exporting(12_345);
    file.delivered(12_345);
    otlp.exporting(12_000);
    otlp.failed(12_000, false);
    assertThat(ExitLine.format(12_345, List.of(file.snapshot(), otlp.snapshot()), NONE))
        .isEqualTo(
            "reqflow: 12,345 spans recorded; file /x.jsonl: 12,345 written;"
                + " OTLP http://h:4318/v1/traces: 0 sent, 12,345 dropped"
                + " (export failed 12,000, queue full 345)");
  }

  @Test
  void whatTheFlowsDidNotSeeAsCallsAndTheLibrariesWhy() {
    assertThat(
            ExitLine.format(
                3,
                List.of(),
                NONE,
                new ExitLine.Unseen(
                    2,
                    1_234_500_000L,
                    480_000_000L,
                    List.of("AsyncHttpClient", "Jetty HttpClient"))))
        .isEqualTo(
            "reqflow: 3 spans recorded; no sink (no file=, no OTLP or Zipkin export: see the start line);"
                + " not seen as calls: 2 flows waited 1,235 ms in socket I/O outside recorded calls"
                + " and 480 ms on futures that threads outside every flow completed;"
                + " client libraries loaded whose calls are not recorded:"
                + " AsyncHttpClient, Jetty HttpClient");
    assertThat(ExitLine.format(0, List.of(), NONE, ExitLine.Unseen.NONE))
        .isEqualTo(
            "reqflow: 0 spans recorded; no sink (no file=, no OTLP or Zipkin export: see the start line)");
    // Flows that read a socket for microseconds outside their calls: nothing worth a "0 ms".
    assertThat(ExitLine.format(3, List.of(), NONE, new ExitLine.Unseen(3, 40_000L, 0, List.of())))
        .isEqualTo(
            "reqflow: 3 spans recorded; no sink (no file=, no OTLP or Zipkin export: see the start line)");
  }

  @Test
  void theRecordersOwnLosses() {
    assertThat(ExitLine.format(3, List.of(), new ExitLine.RecorderLosses(2, 1, 4, 5, 6)))
        .isEqualTo(
            "reqflow: 3 spans recorded; no sink (no file=, no OTLP or Zipkin export: see the start line);"
                + " agent errors: 2 (what they touched was not recorded);"
                + " flows and calls still open at exit: 1;"
                + " spans linked to more calls than the limit of 128: 4 (the first 128 kept);"
                + " futures, tasks or calls not followed (tables full): 5;"
                + " flows with more request and response values than the agent keeps: 6"
                + " (data dependencies may be missing)");
  }

  @Test
  void everyCallThatDidNotEndByReason() {
    ExitLine.RecorderLosses losses =
        new ExitLine.RecorderLosses(0, 5, 0, 0, 0).withCalls(3, new IncompleteCalls(18, 6, 0, 1));
    assertThat(ExitLine.format(30, List.of(), losses))
        .isEqualTo(
            "reqflow: 30 spans recorded; no sink (no file=, no OTLP or Zipkin export: see the start line);"
                + " calls their client never ended, written incomplete: 24"
                + " (response dropped unclosed 18, still open after their flow 6);"
                + " flows still open at exit: 2;"
                + " calls still open at exit, not written: 3"
                + " (responses not watched, the table being full: 1)");
  }

  @Test
  void callsWrittenIncompleteAtExitAreNotCalledOpen() {
    ExitLine.RecorderLosses losses =
        new ExitLine.RecorderLosses(0, 0, 0, 0, 0).withCalls(0, new IncompleteCalls(0, 2, 4, 0));
    assertThat(ExitLine.format(12, List.of(), losses))
        .isEqualTo(
            "reqflow: 12 spans recorded; no sink (no file=, no OTLP or Zipkin export: see the start line);"
                + " calls their client never ended, written incomplete: 6"
                + " (still open after their flow 2, ended at exit during their flow 4)")
        .doesNotContain("still open at exit");
  }

  @Test
  void theFlowsWrittenAsSnapshotsAndWhatTheyLeftOut() {
    assertThat(
            ExitLine.format(
                40,
                List.of(),
                new ExitLine.RecorderLosses(0, 3, 0, 0, 0),
                ExitLine.Unseen.NONE,
                new StallTotals(3, 2, 5, 7)))
        .isEqualTo(
            "reqflow: 40 spans recorded; no sink (no file=, no OTLP or Zipkin export: see the start line);"
                + " flows and calls still open at exit: 3;"
                + " flows in progress written as snapshots: 3 (2 stalled; 5 calls and waits left"
                + " out of them); flows open at exit written as no snapshot (limit 1,000): 7");
    assertThat(
            ExitLine.format(4, List.of(), NONE, ExitLine.Unseen.NONE, new StallTotals(1, 0, 0, 0)))
        .endsWith("; flows in progress written as snapshots: 1");
  }

  @Test
  void underKeepSlowTheSpansRecordedAreSaidApartFromThoseToExport() {
    DropCounts file = new DropCounts("file /x.jsonl", "written", 100_000);
    for (int i = 0; i < 2_345; i++) {
      file.admit();
    }
    file.exporting(2_345);
    file.delivered(2_345);
    // 200 flows: 44 exported, 156 recorded to their end and let go with their 11,600 spans.
    SamplingTotals keepSlow = new SamplingTotals(20, 4, 20, 0, 0, 0, 156, 55, 11_600, true, false);
    assertThat(
            ExitLine.format(
                2_345,
                List.of(file.snapshot()),
                NONE,
                ExitLine.Unseen.NONE,
                StallTotals.NONE,
                keepSlow))
        .isEqualTo(
            "reqflow: 14,000 spans recorded (2,345 to export, 11,600 let go with flows not kept,"
                + " 55 dropped with the hold full); file /x.jsonl: 2,345 written;"
                + " flows: 200 ended, 44 exported (20 sampled at start, 4 slower than their"
                + " endpoint's p90, 20 before their endpoint had a p90, 0 failed, 0 with their"
                + " trace), 156 not exported");
    // sample alone: a flow left out records nothing, so every span recorded is one to export.
    SamplingTotals sampleOnly = new SamplingTotals(10, 0, 0, 0, 0, 0, 90, 0, 0, false, false);
    assertThat(
            ExitLine.format(
                40, List.of(), NONE, ExitLine.Unseen.NONE, StallTotals.NONE, sampleOnly))
        .startsWith("reqflow: 40 spans recorded; no sink")
        .endsWith("; flows: 100 ended, 10 exported (10 sampled at start), 90 not exported");
  }
}
