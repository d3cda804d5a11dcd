package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An OTLP endpoint that is down, refuses, or hangs costs the pages nothing: the program loads pages
 * with each, and once with no endpoint at all; every page stays far below the 5 s export timeout,
 * the median near the one without an endpoint, the heap after GC within the queue's bound, and the
 * exit line accounts for every span.
 */
class ExportFaultsIT {
  static final String MAIN = "com.example.faults.Faults";
  static final int PAGES = 600;
  static final int CALLS_PER_PAGE = 4;

  /** Small, so that the run overflows it many times over and a leak would show in the heap. */
  static final int QUEUE = 64;

  /** Measured: about 3 KB per queued span of this program; twice that, and some. */
  static final long SPAN_BYTES = 8 * 1024;

  /** Per sink: the queue, plus the batch being exported. Two sinks: the file and OTLP. */
  static final long HEAP_BOUND = 2 * (QUEUE + QUEUE) * SPAN_BYTES + 4 * 1024 * 1024;

  static LoopbackBackend backend;
  static Pages withoutEndpoint;

  @BeforeAll
  static void baseline() throws Exception {
    backend = new LoopbackBackend();
    withoutEndpoint = load("endpoint=none");
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close();
  }

  /** The program's page loads with these agent options, and what it and the agent said. */
  static final class Pages {
    final Recorded rec;
    final ExitReport exit;
    final long p50Micros;
    final long maxMicros;
    final long heapGrowth;

    Pages(Recorded rec) {
      this.rec = rec;
      this.exit = ExitReport.in(rec.stderr);
      Matcher lat = Pattern.compile("latency-us p50 (\\d+) max (\\d+)").matcher(rec.stdout);
      Matcher heap = Pattern.compile("heap-after-gc start (\\d+) end (\\d+)").matcher(rec.stdout);
      if (!lat.find() || !heap.find()) {
        throw new AssertionError("program output: " + rec.stdout);
      }
      p50Micros = Long.parseLong(lat.group(1));
      maxMicros = Long.parseLong(lat.group(2));
      heapGrowth = Long.parseLong(heap.group(2)) - Long.parseLong(heap.group(1));
    }
  }

  static Pages load(String options) throws Exception {
    return new Pages(
        AgentRun.run(
            System.getProperty("java.home"),
            // No block spans (every wait is under 60 s), so that the count of spans is exact.
            "queue.size=" + QUEUE + ",block.threshold=60s," + options,
            AgentRun.programClassPath(),
            MAIN,
            "pages",
            backend.url(),
            String.valueOf(PAGES),
            String.valueOf(CALLS_PER_PAGE)));
  }

  @Test
  void endpointDown() throws Exception {
    Pages run;
    try (ExportEndpoint down = ExportEndpoint.down()) {
      run = load("endpoint=" + down.url());
    }
    assertThat(run.rec.stderr).contains("failed (cannot connect)");
    assertUnaffected(run);
    assertThat(run.exit.otlp().reason("export failed")).as(run.exit.line).isPositive();
    assertThat(run.exit.otlp().reasons.keySet())
        .isSubsetOf(Set.of("export failed", "queue full", "not flushed at exit"));
  }

  @Test
  void endpointRefusing() throws Exception {
    Pages run;
    try (ExportEndpoint refusing = ExportEndpoint.refusing()) {
      run = load("endpoint=" + refusing.url());
    }
    assertThat(run.rec.stderr).contains("failed (HTTP 503)");
    assertUnaffected(run);
    assertThat(run.exit.otlp().reason("export failed")).as(run.exit.line).isPositive();
    assertThat(run.exit.otlp().reasons.keySet())
        .isSubsetOf(Set.of("export failed", "queue full", "not flushed at exit"));
  }

  @Test
  void endpointHanging() throws Exception {
    Pages run;
    long start = System.nanoTime();
    try (ExportEndpoint hanging = ExportEndpoint.hanging()) {
      run = load("endpoint=" + hanging.url());
    }
    assertUnaffected(run);
    // The first export holds its batch until the 5 s timeout; the rest overflow the queue.
    assertThat(run.exit.otlp().reason("queue full")).as(run.exit.line).isPositive();
    assertThat(run.exit.otlp().reasons.keySet())
        .isSubsetOf(Set.of("timed out", "queue full", "not flushed at exit"));
    // The exit waits for a hanging sink 5 s at most.
    assertThat(System.nanoTime() - start).isLessThan(60_000_000_000L);
  }

  /** The promises every broken endpoint must keep. */
  static void assertUnaffected(Pages run) {
    ExitReport exit = run.exit;
    // Every span is accounted for: the program's own count, the file, and each sink's tally.
    assertThat(exit.recorded).as(exit.line).isEqualTo((long) PAGES * (1 + CALLS_PER_PAGE));
    assertThat(run.rec.spans).hasSize((int) exit.file().delivered);
    assertThat(exit.file().delivered + exit.file().dropped).isEqualTo(exit.recorded);
    assertThat(exit.file().reasons.keySet()).isSubsetOf(Set.of("queue full"));
    assertThat(exit.otlp().delivered).as(exit.line).isZero();
    assertThat(exit.otlp().dropped).as(exit.line).isEqualTo(exit.recorded);
    // The failing sink is reported once while running, then in the exit line.
    assertThat(run.rec.stderr.split("reqflow: export to OTLP", -1)).hasSize(2);

    // The pages never waited for an export: none came near the 5 s timeout, and the median is
    // that of the run without an endpoint, within a margin for a busy machine.
    assertThat(run.maxMicros).as("slowest page, us").isLessThan(2_500_000);
    assertThat(run.p50Micros)
        .as("median page, us; without endpoint %d", withoutEndpoint.p50Micros)
        .isLessThan(3 * withoutEndpoint.p50Micros + 20_000);

    // Memory: the spans the sink could not take were dropped, not kept.
    assertThat(run.heapGrowth).as("heap growth after GC, bytes").isLessThan(HEAP_BOUND);
    assertThat(withoutEndpoint.heapGrowth).isLessThan(HEAP_BOUND);
  }

  @Test
  void withoutEndpointTheFileHoldsWhatTheExitLineSays() {
    ExitReport exit = withoutEndpoint.exit;
    assertThat(exit.sinks.keySet()).isEqualTo(Set.of("file"));
    assertThat(exit.recorded).isEqualTo((long) PAGES * (1 + CALLS_PER_PAGE));
    assertThat(withoutEndpoint.rec.spans).hasSize((int) exit.file().delivered);
    assertThat(exit.file().delivered + exit.file().dropped).isEqualTo(exit.recorded);
    if (exit.file().dropped == 0) {
      assertThat(withoutEndpoint.rec.flows("GET /page")).hasSize(PAGES);
    }
  }
}
