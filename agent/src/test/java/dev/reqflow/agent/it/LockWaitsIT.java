package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.Blindness;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.analysis.SuggestionKind;
import dev.reqflow.otlp.Flows;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Calls serialized by a lock, recorded by the real agent jar in a forked JVM ({@code
 * com.example.locks.LockedPages}) against a slow backend this JVM serves on 127.0.0.1: six calls
 * issued together through a client wrapper whose methods are {@code synchronized}, from platform
 * threads (Java 17 and 25: JDK Flight Recorder's {@code jdk.JavaMonitorEnter}) and from virtual
 * threads (Java 25: they unmount, and the agent's advice on {@code VirtualThread} sees them); a
 * {@code Semaphore} of one or two permits; and the fixed variant of each. What the trace holds (a
 * block span per wait, with the lock's class, the waiting line and its flow), and the report's
 * first suggestion with its prediction against the fixed variant measured.
 */
class LockWaitsIT {
  static final String MAIN = "com.example.locks.LockedPages";
  static final String CLIENT = "com.example.locks.LockedClient";
  static final String UNSEEN_LOCK_WAITS = "reqflow.unseen.lock_waits";

  /** Page loads per variant: the first is a warm-up; the analysis judges the other five. */
  static final int LOADS = 6;

  static SlowBackend backend;
  static final Map<String, Recorded> RUNS = new HashMap<>();

  @BeforeAll
  static void startBackend() throws Exception {
    backend = SlowBackend.http();
  }

  @AfterAll
  static void stopBackend() throws Exception {
    backend.close();
  }

  static String home(String jdk) {
    if (jdk.equals("17")) {
      return System.getProperty("java.home");
    }
    String home = System.getProperty("reqflow.jdk25.home", "");
    assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no JDK 25 at " + home);
    return home;
  }

  /** The run on this JDK with these threads, recorded once. */
  static synchronized Recorded run(String jdk, String threads) throws Exception {
    String key = jdk + "/" + threads;
    Recorded rec = RUNS.get(key);
    if (rec != null) {
      return rec;
    }
    List<String> args = new ArrayList<>(List.of(MAIN, backend.url()));
    // Bad and fixed pages alternate, so that a busy machine slows both alike. A locked page comes
    // last: the program exits right after it (theLastPagesMonitorWaitsAreFlushedAtExit).
    for (int i = 0; i < LOADS; i++) {
      for (String client : new String[] {"shared", "semaphore1", "semaphore2", "locked"}) {
        args.add(client + "-" + threads);
      }
    }
    if (threads.equals("virtual")) {
      args.add("pinned-virtual");
    }
    rec = AgentRun.run(home(jdk), "", AgentRun.programClassPath(), args.toArray(new String[0]));
    RUNS.put(key, rec);
    return rec;
  }

  static List<RecordedSpan> waits(Recorded rec, RecordedSpan flow, String kind) {
    List<RecordedSpan> out = new ArrayList<>();
    for (RecordedSpan b : rec.under(flow, "block")) {
      if (kind.equals(b.attr("reqflow.block.kind"))) {
        out.add(b);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "Java {0}, {1} threads")
  @CsvSource({"17, platform", "25, platform", "25, virtual"})
  void eachWaitForTheClientsMonitorIsABlockSpanOfItsFlow(String jdk, String threads)
      throws Exception {
    Recorded rec = run(jdk, threads);
    assertThat(rec.stderr)
        .contains("jfr=on")
        .doesNotContain("SELF-CHECK FAILED")
        .doesNotContain("could not instrument")
        .doesNotContain("instrumentation failed")
        .doesNotContain("could not be placed")
        .doesNotContain("agent errors");
    // JDK Flight Recorder starts with the agent; the program's first page may come before its
    // recording runs (then it is marked and the exit says so), the others come after it.
    assertThat(rec.stdout).contains("jfr-recording after=true");
    List<RecordedSpan> flows = rec.flows("GET /page/locked-" + threads);
    assertThat(flows).hasSize(LOADS);
    RecordedSpan first = null;
    for (RecordedSpan flow : rec.spans) {
      if ("flow".equals(flow.type()) && (first == null || flow.start < first.start)) {
        first = flow;
      }
    }
    if (first.attr(UNSEEN_LOCK_WAITS) != null) {
      assertThat(first.attr(UNSEEN_LOCK_WAITS)).isEqualTo("jfr-starting");
      assertThat(rec.stderr)
          .contains("JDK Flight Recorder recorded from ")
          .contains("(1 flow marked reqflow.unseen.lock_waits)");
    }
    for (RecordedSpan flow : rec.spans) {
      if ("flow".equals(flow.type()) && flow != first) {
        assertThat(flow.attr(UNSEEN_LOCK_WAITS)).as(flow.toString()).isNull();
      }
    }
    for (RecordedSpan flow : flows.subList(1, LOADS)) {
      List<RecordedSpan> calls = rec.under(flow, "call");
      assertThat(calls).hasSize(6);
      List<RecordedSpan> waits = waits(rec, flow, "monitor.enter");
      // Six calls through one monitor: every thread but the first to take it waited (a pool
      // thread that ran two of the tasks took the monitor again at once for the second).
      long threadsThatCalled = calls.stream().map(c -> c.attr("thread.id")).distinct().count();
      assertThat(waits).as(flow + "\n" + rec.stderr).hasSizeBetween((int) threadsThatCalled - 1, 5);
      int linked = 0;
      for (RecordedSpan w : waits) {
        assertThat(w.attr("reqflow.lock.class")).isEqualTo(CLIENT);
        assertThat(w.attr("code.function.name")).isEqualTo(CLIENT + ".get");
        assertThat(w.attr("code.file.path")).isEqualTo("LockedClient.java");
        assertThat(w.attributes.get("code.line.number")).isNotNull();
        assertThat(w.attr("reqflow.thread.role")).isEqualTo("executor");
        assertThat(w.traceId).isEqualTo(flow.traceId);
        assertThat(w.start).isGreaterThanOrEqualTo(flow.start);
        assertThat(w.end).isLessThanOrEqualTo(flow.end);
        // The wait's thread made one of the flow's calls once it had the monitor.
        assertThat(calls).anyMatch(c -> c.attr("thread.id").equals(w.attr("thread.id")));
        for (String held : w.linked("waited-on")) {
          assertThat(calls).anyMatch(c -> c.spanId.equals(held));
          linked++;
        }
      }
      if (threads.equals("platform")) {
        // JDK Flight Recorder names the monitor's previous owner: its call held the lock.
        assertThat(linked)
            .as("waits linked to the call that held the lock")
            .isEqualTo(waits.size());
      }
    }
  }

  @ParameterizedTest(name = "Java {0}, {1} threads")
  @CsvSource({"17, platform", "25, platform", "25, virtual"})
  void theReportSaysTheCallsQueuedOnTheMonitorAndPredictsTheFixedPage(String jdk, String threads)
      throws Exception {
    Recorded rec = run(jdk, threads);
    Analysed a = Analysed.of(rec.file);
    a.topSuggestionPredicts(
        "GET /page/locked-" + threads,
        SuggestionKind.SERIALIZED_BY_LOCK,
        "GET /page/shared-" + threads);
    FlowReport r = a.judged("GET /page/locked-" + threads).get(0);
    assertThat(r.suggestions().get(0).title())
        .startsWith("Do not hold the monitor of LockedClient while calling, at LockedClient.get(");
    for (FlowReport fixed : a.judged("GET /page/shared-" + threads)) {
      assertThat(fixed.flow().blocks()).noneMatch(b -> b.isLockWait());
      assertThat(fixed.suggestions()).isEmpty();
    }
  }

  @ParameterizedTest(name = "Java {0}, {1} threads, {2} permits")
  @CsvSource({
    "17, platform, 1",
    "17, platform, 2",
    "25, platform, 2",
    "25, virtual, 1",
    "25, virtual, 2"
  })
  void aSemaphoreIsALimitToRaise(String jdk, String threads, int permits) throws Exception {
    Recorded rec = run(jdk, threads);
    String page = "GET /page/semaphore" + permits + "-" + threads;
    for (RecordedSpan flow : rec.flows(page).subList(1, LOADS)) {
      List<RecordedSpan> calls = rec.under(flow, "call");
      List<RecordedSpan> waits = waits(rec, flow, "lock.park");
      // One wait per acquisition that found no permit: at most all but the first permits' calls.
      assertThat(waits).as(flow.toString()).hasSizeBetween(1, 6 - permits);
      for (RecordedSpan w : waits) {
        assertThat(calls).anyMatch(c -> c.attr("thread.id").equals(w.attr("thread.id")));
        assertThat(w.attr("reqflow.lock.class")).isEqualTo("java.util.concurrent.Semaphore");
        assertThat(w.attr("code.function.name")).isEqualTo(MAIN + ".limited");
        assertThat(w.attr("code.file.path")).isEqualTo("LockedPages.java");
      }
    }
    Analysed a = Analysed.of(rec.file);
    a.topSuggestionPredicts(page, SuggestionKind.RAISE_POOL_LIMIT, "GET /page/shared-" + threads);
    for (FlowReport r : a.judged(page)) {
      assertThat(r.suggestions().get(0).title())
          .startsWith("Raise the permits of the Semaphore acquired at LockedPages.limited(")
          .endsWith(" from " + permits + " to 6");
    }
  }

  @Test
  void aVirtualThreadPinnedToItsCarrierIsABlockSpanOfItsFlow() throws Exception {
    Recorded rec = run("25", "virtual");
    RecordedSpan flow = rec.flows("GET /page/pinned-virtual").get(0);
    List<RecordedSpan> pinned = waits(rec, flow, "virtual-thread.pinned");
    assertThat(pinned).as(rec.stderr).isNotEmpty();
    for (RecordedSpan p : pinned) {
      assertThat(p.attr("reqflow.thread.role")).isEqualTo("executor");
      assertThat(p.attr("code.function.name")).startsWith("com.example.locks.");
      assertThat(p.end - p.start).isGreaterThan(1_000_000L);
    }
    assertThat(pinned)
        .anyMatch(p -> p.attr("code.function.name").equals("com.example.locks.SlowStart.<clinit>"));
  }

  /**
   * The last page's monitor waits reach the file although the program exits right after it: JDK
   * Flight Recorder delivers about a second late, and the agent waits for it before its flush. The
   * platform runs end with a locked page.
   */
  @ParameterizedTest(name = "Java {0}")
  @CsvSource({"17", "25"})
  void theLastPagesMonitorWaitsAreFlushedAtExit(String jdk) throws Exception {
    Recorded rec = run(jdk, "platform");
    List<RecordedSpan> flows = rec.flows("GET /page/locked-platform");
    RecordedSpan last = flows.get(flows.size() - 1);
    for (RecordedSpan flow : rec.spans) {
      if ("flow".equals(flow.type())) {
        assertThat(flow.start).as("the program's last page").isLessThanOrEqualTo(last.start);
      }
    }
    long threadsThatCalled =
        rec.under(last, "call").stream().map(c -> c.attr("thread.id")).distinct().count();
    assertThat(waits(rec, last, "monitor.enter"))
        .as(rec.stderr)
        .hasSizeBetween((int) threadsThatCalled - 1, 5);
  }

  /**
   * A fast {@code main}: its first flow begins while JDK Flight Recorder is still starting, so its
   * wait for a monitor is not recorded, and its flow span says so; the second, once the recording
   * runs, has its wait recorded and no mark. JDK Flight Recorder starts with the agent, not with
   * the first flow.
   */
  @ParameterizedTest(name = "Java {0}")
  @CsvSource({"17", "25"})
  void aFlowBeforeTheRecordingRanIsMarkedAndOneAfterIsNot(String jdk) throws Exception {
    Recorded rec =
        AgentRun.run(
            home(jdk),
            "flows=com.example.locks.JfrGapPages#page",
            AgentRun.programClassPath(),
            "com.example.locks.JfrGapPages");
    // JDK Flight Recorder did not exist yet inside the first page: the recording ran after it
    // began. (It takes 0.9 to 2.5 s to start; main's first lines come milliseconds after premain.)
    assertThat(rec.stdout)
        .as(rec.stderr)
        .contains("page 1 jfr-initialized=false")
        .contains("recording true")
        .contains("page 2 jfr-initialized=true");
    List<RecordedSpan> pages = rec.flows("JfrGapPages.page");
    assertThat(pages).as(rec.stderr).hasSize(2);
    RecordedSpan before = pages.get(0);
    RecordedSpan after = pages.get(1);
    assertThat(before.attr(UNSEEN_LOCK_WAITS)).isEqualTo("jfr-starting");
    assertThat(waits(rec, before, "monitor.enter")).isEmpty();
    assertThat(after.attr(UNSEEN_LOCK_WAITS)).isNull();
    // Its wait is recorded when JDK Flight Recorder delivers it before the exit: a program that
    // exits within a second of the recording's start may lose it (seen on 17 and 25, a known
    // limit of the exit, not of the mark; theLastPagesMonitorWaitsAreFlushedAtExit covers the
    // exit of a program whose recording ran for longer).
    List<RecordedSpan> seen = waits(rec, after, "monitor.enter");
    assertThat(seen).hasSizeLessThanOrEqualTo(1);
    for (RecordedSpan w : seen) {
      assertThat(w.attr("code.function.name")).isEqualTo("com.example.locks.JfrGapPages.page");
    }
    assertThat(rec.stderr)
        .contains("JDK Flight Recorder recorded from ")
        .contains("(1 flow marked reqflow.unseen.lock_waits)");

    // The report says it of the first page before it says that no suggestion came.
    List<FlowReport> reports = Analysis.analyse(Flows.read(rec.file).flows()).flows();
    assertThat(reports).hasSize(2);
    for (FlowReport r : reports) {
      boolean first = r.flow().spanId().equals(before.spanId);
      assertThat(Blindness.lockWaitsUnseen(r.flow())).isEqualTo(first);
      String lockWaits =
          "Waits for monitors in this flow could not be seen: JDK Flight Recorder was still"
              + " starting when it began.";
      if (first) {
        // Its wait was not recorded: nothing else to say of it, no all-clear either.
        assertThat(Blindness.sentence(r.flow())).isEqualTo(lockWaits);
      } else {
        assertThat(Blindness.sentence(r.flow())).doesNotContain(lockWaits);
      }
    }
  }

  @Test
  void jfrOffRecordsNoMonitorWaitsAndStartsNoStream() throws Exception {
    Recorded rec =
        AgentRun.run(
            home("17"),
            "jfr=off",
            AgentRun.programClassPath(),
            MAIN,
            backend.url(),
            "locked-platform*2");
    assertThat(rec.stderr).contains("jfr=off");
    assertThat(rec.stdout).contains("jfr-recording after=false");
    assertThat(rec.stderr).doesNotContain("JDK Flight Recorder");
    for (RecordedSpan flow : rec.flows("GET /page/locked-platform")) {
      assertThat(waits(rec, flow, "monitor.enter")).isEmpty();
      // Turned off by the user, not starting: the flows are not marked.
      assertThat(flow.attr(UNSEEN_LOCK_WAITS)).isNull();
      assertThat(rec.under(flow, "call")).hasSize(6);
    }
  }
}
