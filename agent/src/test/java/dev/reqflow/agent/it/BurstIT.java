package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst of 30,000 real calls (OkHttp, keep-alive, to a loopback backend) in one flow, with a
 * small queue: the application never waits for the buffer, even when its sink is stalled, the heap
 * stays within what the queue can hold, and every span is accounted for. 30,000 calls are over a
 * hundred times what the queues hold, and holding their spans would take over three times {@link
 * #HEAP_BOUND}: enough to tell a bounded agent from one that keeps what it cannot send.
 */
class BurstIT {
  static final String MAIN = "com.example.faults.Faults";
  static final int CALLS = 30_000;
  static final int QUEUE = 256;

  /** Measured: about 3 KB per queued span of this program (100,000 held by a stalled sink). */
  static final long SPAN_BYTES = 8 * 1024;

  /** Per sink (file, OTLP): its queue and the batch being exported; and room for the JIT. */
  static final long HEAP_BOUND = 2 * (QUEUE + QUEUE) * SPAN_BYTES + 16 * 1024 * 1024;

  static LoopbackBackend backend;
  static Burst unstalled;

  @BeforeAll
  static void start() throws Exception {
    backend = new LoopbackBackend();
    unstalled = burst("burst", CALLS, "endpoint=none");
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close();
  }

  /** What the program and the agent said of one burst. */
  static final class Burst {
    final Recorded rec;
    final ExitReport exit;
    final long millis;
    final long slowestCallMicros;
    final long heapGrowth;

    Burst(Recorded rec) {
      this.rec = rec;
      this.exit = ExitReport.in(rec.stderr);
      Matcher t = Pattern.compile("burst-ms (\\d+) slowest-call-us (\\d+)").matcher(rec.stdout);
      Matcher h = Pattern.compile("heap-after-gc start (\\d+) end (\\d+)").matcher(rec.stdout);
      if (!t.find() || !h.find()) {
        throw new AssertionError("program output: " + rec.stdout + "\n" + rec.stderr);
      }
      millis = Long.parseLong(t.group(1));
      slowestCallMicros = Long.parseLong(t.group(2));
      heapGrowth = Long.parseLong(h.group(2)) - Long.parseLong(h.group(1));
    }
  }

  static Burst burst(String mode, int calls, String options) throws Exception {
    boolean serial = mode.equals("burst");
    return new Burst(
        AgentRun.run(
            System.getProperty("java.home"),
            "queue.size="
                + QUEUE
                + ",flows=com.example.faults.Faults#"
                + (serial ? "burst" : "burstEnqueue")
                // Serial: no block spans on the calls, so that the count of spans is exact.
                + (serial ? ",block.threshold=60s" : "")
                // A burst runs longer than stall.after: its snapshots would add to that count.
                + ",stall.after=0"
                + (options.isEmpty() ? "" : "," + options),
            AgentRun.programClassPath(),
            MAIN,
            mode,
            backend.url(),
            String.valueOf(calls)));
  }

  @Test
  void aStalledSinkNeitherHoldsTheCallsNorGrowsTheHeap() throws Exception {
    Burst stalled;
    try (ExportEndpoint hanging = ExportEndpoint.hanging()) {
      stalled = burst("burst", CALLS, "endpoint=" + hanging.url());
    }
    ExitReport exit = stalled.exit;
    // One flow and its calls, all recorded; the stalled sink delivered none and says why.
    assertThat(exit.recorded).as(exit.line).isEqualTo(CALLS + 1L);
    assertThat(exit.otlp().delivered).isZero();
    assertThat(exit.otlp().dropped).isEqualTo(exit.recorded);
    assertThat(exit.otlp().reason("queue full")).isGreaterThan(CALLS / 2L);
    assertThat(exit.otlp().reasons.keySet())
        .isSubsetOf(Set.of("queue full", "timed out", "not flushed at exit"));
    assertAccounted(stalled);

    // Never blocked: no call waited anywhere near the 5 s export timeout, and the burst took
    // about as long as with no stalled sink. The margin is wide, for a shared machine whose load
    // changes between the two runs: waiting on the sink would cost 5 s per 256 spans, half an
    // hour for this burst.
    assertThat(stalled.slowestCallMicros).as("slowest call, us").isLessThan(2_500_000);
    assertThat(stalled.millis)
        .as("burst ms; %d without the stalled sink", unstalled.millis)
        .isLessThan(4 * unstalled.millis + 10_000);
    // Bounded: 30,000 spans would be about 90 MB.
    assertThat(stalled.heapGrowth).as("heap growth after GC, bytes").isLessThan(HEAP_BOUND);
  }

  @Test
  void withoutAStalledSinkTheFileGetsWhatItsQueueTakes() {
    assertThat(unstalled.exit.recorded).isEqualTo(CALLS + 1L);
    assertAccounted(unstalled);
    assertThat(unstalled.slowestCallMicros).isLessThan(2_500_000);
    assertThat(unstalled.heapGrowth).isLessThan(HEAP_BOUND);
    assertThat(backend.served()).isGreaterThanOrEqualTo(CALLS);
  }

  /**
   * A wait on {@code allOf} 20,000 calls, its relays firing as the calls complete: the wait links
   * the first 128 (the span link limit) and the exit line says so; merging the calls up the tree of
   * relays stays cheap; and the agent's memory stays bounded although the application holds every
   * future. (20,000 rather than 100,000: OkHttp's dispatcher scans its whole queue on each enqueue,
   * which makes 100,000 queued calls slow with or without the agent.)
   */
  @Test
  void allOfTwentyThousandCalls() throws Exception {
    int calls = 20_000;
    Burst b = burst("burst-enqueue", calls, "");
    ExitReport exit = b.exit;
    // The calls, the flow, and the wait on allOf (plus any other wait over 1 ms).
    assertThat(exit.recorded).as(exit.line).isGreaterThanOrEqualTo(calls + 2L);
    assertAccounted(b);
    assertThat(exit.recorderLoss("spans linked to more calls")).as(exit.line).isPositive();
    // The wait on allOf, unless the full queue dropped it, links the first 128 calls.
    List<RecordedSpan> blocks =
        b.rec.spans.stream().filter(s -> "block".equals(s.type())).collect(Collectors.toList());
    for (RecordedSpan block : blocks) {
      assertThat(block.links).hasSizeLessThanOrEqualTo(128);
    }
    // What the agent keeps for a call whose future the application still holds: its record
    // (with the span's identity, not the span) and map entries. Measured about 500 bytes a call
    // with the queue; holding the span, it was 3 KB.
    assertThat(b.heapGrowth)
        .as("heap growth after GC, bytes")
        .isLessThan(HEAP_BOUND + calls * 1024L);
  }

  /** The file holds what the exit line says it wrote; what it did not write, it counted. */
  static void assertAccounted(Burst b) {
    ExitReport exit = b.exit;
    assertThat(b.rec.spans).hasSize((int) exit.file().delivered);
    assertThat(exit.file().delivered + exit.file().dropped).as(exit.line).isEqualTo(exit.recorded);
    assertThat(exit.file().reasons.keySet()).isSubsetOf(Set.of("queue full"));
  }
}
