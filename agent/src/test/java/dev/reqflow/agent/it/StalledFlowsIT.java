package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.reqflow.analysis.Deadlock;
import dev.reqflow.flow.Block;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.ThreadNow;
import dev.reqflow.otlp.Flows;
import dev.reqflow.report.ReportCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pages that deadlock, as reported of Java services (the program {@code com.example.stall
 * .StallPages}, against a backend the test serves on 127.0.0.1), under the real agent jar with
 * {@code stall.after=1s}: the trace holds the stalled flow, with what each of its threads waits on,
 * although it never ends; the report names the deadlock first. The process is stopped as a user
 * would stop it (SIGTERM, or {@code System.exit} from the application) once the agent's watchdog
 * wrote its stalled snapshot, and the exit writes the flow again. The fixed variant of each page
 * completes and gets no stall. JDK 17 and 25.
 */
class StalledFlowsIT {
  static final String MAIN = "com.example.stall.StallPages";
  static final String OPTIONS = "stall.after=1s";
  static final long MS = 1_000_000L;

  static LoopbackBackend backend;

  @BeforeAll
  static void start() throws Exception {
    backend = new LoopbackBackend(20);
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close();
  }

  // --- a JDK HttpClient whose executor's threads block in its own calls ---

  @Test
  void clientExecutorDeadlockStoppedBySigterm() throws Exception {
    clientExecutor(System.getProperty("java.home"));
  }

  @Test
  void clientExecutorDeadlockOnJdk25() throws Exception {
    clientExecutor(jdk25());
  }

  private static void clientExecutor(String javaHome) throws Exception {
    Hung run = hang(javaHome, "client-executor", OPTIONS, true, Stop.SIGTERM);
    Flow page = run.page();
    assertThat(page.stalled()).isTrue();
    List<Deadlock> deadlocks = Deadlock.of(page);
    assertThat(deadlocks).hasSize(1);
    Deadlock d = deadlocks.get(0);
    assertThat(d.kind()).isEqualTo(Deadlock.Kind.CLIENT_EXECUTOR);
    assertThat(d.threads()).isEqualTo(2);
    assertThat(d.executor().limit()).isEqualTo(2);
    assertThat(d.executor().active()).isEqualTo(2);
    assertThat(d.executor().queued()).isPositive();
    assertThat(d.awaited())
        .hasSize(2)
        .allMatch(a -> a.startsWith("GET " + backend.url() + "details"));
    // Each worker waits in send() on its call in progress, a call of the client on that executor.
    List<ThreadNow> workers = workers(page);
    assertThat(workers).hasSize(2);
    for (ThreadNow w : workers) {
      assertThat(w.kind()).isEqualTo("httpclient.send");
      assertThat(w.site().function()).endsWith("StallPages$ClientExecutorPage.details");
      assertThat(w.waitingOn()).hasSize(1);
      String call = w.waitingOn().get(0);
      assertThat(page.stall().callsInProgress()).contains(call);
      assertThat(page.stall().callExecutors().get(call)).isEqualTo(w.executor().id());
    }
    ThreadNow render = page.stall().threads().get(0);
    assertThat(render.thread().name()).startsWith("page-request-");
    assertThat(render.kind()).isEqualTo("completable.join");
    assertThat(render.site().function()).endsWith("StallPages$ClientExecutorPage.render");
    run.assertReportNamesTheDeadlockFirst(
        "are blocked in calls of an HTTP client that runs its own work on that same executor");
  }

  // --- a fixed pool whose tasks wait on tasks they queued in it ---

  @Test
  void nestedPoolDeadlockStoppedBySystemExit() throws Exception {
    nestedPool(System.getProperty("java.home"));
  }

  @Test
  void nestedPoolDeadlockOnJdk25() throws Exception {
    nestedPool(jdk25());
  }

  private static void nestedPool(String javaHome) throws Exception {
    Hung run = hang(javaHome, "nested-pool", OPTIONS, true, Stop.SYSTEM_EXIT);
    Flow page = run.page();
    assertThat(page.stalled()).isTrue();
    List<Deadlock> deadlocks = Deadlock.of(page);
    assertThat(deadlocks).hasSize(1);
    Deadlock d = deadlocks.get(0);
    assertThat(d.kind()).isEqualTo(Deadlock.Kind.QUEUED_TASK);
    assertThat(d.threads()).isEqualTo(2);
    assertThat(d.executor().active()).isEqualTo(2);
    assertThat(d.executor().queued()).isEqualTo(2);
    List<ThreadNow> workers = workers(page);
    assertThat(workers).hasSize(2);
    for (ThreadNow w : workers) {
      assertThat(w.kind()).isEqualTo("future.get");
      assertThat(w.site().function()).endsWith("StallPages$NestedPoolPage.section");
      assertThat(w.taskState()).isEqualTo("queued");
      assertThat(w.taskExecutor()).isEqualTo(w.executor().id());
    }
    // The render thread waits on the first section, which runs on a worker.
    ThreadNow render = page.stall().threads().get(0);
    assertThat(render.kind()).isEqualTo("future.get");
    assertThat(render.taskState()).isEqualTo("running");
    assertThat(render.taskThread())
        .isIn(workers.get(0).thread().name(), workers.get(1).thread().name());
    // The sections' first calls ended before the deadlock: the flow so far has them.
    assertThat(page.calls()).hasSize(2);
    assertThat(page.stall().callsInProgress()).isEmpty();
    run.assertReportNamesTheDeadlockFirst("wait on tasks queued behind them in that same executor");
  }

  /**
   * Stopped before {@code stall.after}: no stalled snapshot yet, but the exit writes the flow as it
   * is, in progress though not stalled, with its deadlock all the same.
   */
  @Test
  void aFlowThatHangsWhenTheProcessStopsIsWrittenAtExit() throws Exception {
    Hung run =
        hang(
            System.getProperty("java.home"), "nested-pool", "stall.after=60s", false, Stop.SIGTERM);
    Flow page = run.page();
    assertThat(page.inProgress()).isTrue();
    assertThat(page.stalled()).isFalse();
    assertThat(page.stall().reason()).isEqualTo("exit");
    assertThat(page.stall().seq()).isEqualTo(1);
    assertThat(Deadlock.of(page)).hasSize(1);
    assertThat(run.exit.line).contains("flows in progress written as snapshots: 1");
    assertThat(run.exit.line).doesNotContain(" stalled)");
    assertThat(run.rec.stderr).doesNotContain("reqflow: option");
    run.assertReportNamesTheDeadlockFirst("wait on tasks queued behind them in that same executor");
  }

  // --- the same deadlock, but the page gives up after 4 s and answers 500 ---

  @Test
  void clientExecutorDeadlockThePageTimesOut() throws Exception {
    clientExecutorTimeout(System.getProperty("java.home"));
  }

  @Test
  void clientExecutorDeadlockThePageTimesOutOnJdk25() throws Exception {
    clientExecutorTimeout(jdk25());
  }

  /**
   * {@code stall.after=2500ms}, the page's own timeout 4 s: the watchdog writes the flow stalled
   * (once, between 2.5 and 3.2 s: its next look is due at twice that age, after the page's end),
   * then the page ends. Not {@code 2s}: the next snapshot would then be due at about 4 s, when the
   * page gives up; a look landing in the few ms between its timeout and its end wrote the render
   * thread running ({@code thread.state}) as the flow's last snapshot (seen three times). The flow
   * read back ended, and keeps what its snapshot knew: the deadlock, the workers' waits and their
   * calls, which never ended; the report lists it first and puts the page's wait down to the
   * deadlock, never "nothing to change".
   */
  private static void clientExecutorTimeout(String javaHome) throws Exception {
    Recorded rec =
        AgentRun.run(
            javaHome,
            "stall.after=2500ms",
            AgentRun.programClassPath(),
            MAIN,
            "client-executor-timeout",
            backend.url());
    assertThat(rec.stdout).as(rec.stderr).contains("loaded 500 ");
    ExitReport exit = ExitReport.in(rec.stderr);
    assertThat(exit.line).contains("flows in progress written as snapshots: 1 (1 stalled)");
    List<Flow> flows = Flows.read(rec.file).flows();
    assertThat(flows).as(rec.stderr).hasSize(1);
    Flow page = flows.get(0);
    assertThat(page.name()).isEqualTo("GET /page");
    assertThat(page.inProgress()).isFalse();
    assertThat(page.stalledThenEnded()).isTrue();
    // Ended by its own timeout, after the snapshot that found it stalled.
    long snapshotAge = page.stall().atNanos() - page.startNanos();
    assertThat(snapshotAge).isGreaterThanOrEqualTo(2_500 * MS).isLessThan(page.durationNanos());
    assertThat(page.durationNanos()).isGreaterThanOrEqualTo(4_000 * MS);
    List<Deadlock> deadlocks = Deadlock.of(page);
    assertThat(deadlocks).hasSize(1);
    Deadlock d = deadlocks.get(0);
    assertThat(d.kind()).isEqualTo(Deadlock.Kind.CLIENT_EXECUTOR);
    assertThat(d.threads()).isEqualTo(2);
    assertThat(d.awaited())
        .hasSize(2)
        .allMatch(a -> a.startsWith("GET " + backend.url() + "details"));
    // The workers still wait in send() on calls that never ended: they run to the flow's end.
    List<ThreadNow> workers = workers(page);
    assertThat(workers).hasSize(2);
    for (ThreadNow w : workers) {
      assertThat(w.kind()).isEqualTo("httpclient.send");
      assertThat(page.stall().openAtEnd()).contains(w.blockSpanId(), w.waitingOn().get(0));
      assertThat(page.call(w.waitingOn().get(0)).endNanos()).isEqualTo(page.endNanos());
    }
    // The render thread's wait ended at the page's timeout, released by no call.
    ThreadNow render = page.stall().threads().get(0);
    assertThat(render.thread().name()).startsWith("page-request-");
    assertThat(render.kind()).isEqualTo("completable.get");
    assertThat(page.stall().openAtEnd()).doesNotContain(render.blockSpanId());
    Block wait =
        page.blocks().stream()
            .filter(b -> b.spanId().equals(render.blockSpanId()))
            .findFirst()
            .orElseThrow();
    assertThat(wait.releasedBy()).isEmpty();
    assertThat(wait.durationNanos()).isGreaterThanOrEqualTo(4_000 * MS);

    String text = report(rec.file);
    String[] lines = text.split("\n");
    assertThat(lines[2])
        .as(text)
        .startsWith("Stalled flows, first: 1 flow stalled and ended only later: 1 deadlocked.");
    String stalled =
        text.substring(0, text.indexOf("What to change first")).replaceAll("\\s+", " ");
    assertThat(stalled)
        .contains("! GET /page")
        .contains("then ended after 4.")
        .contains("Deadlock: both threads of executor")
        .contains(
            "are blocked in calls of an HTTP client that runs its own work on that same executor")
        .contains("ended with no call releasing it: the deadlock held it.")
        .contains("still waiting when the flow ended");
    assertThat(text.replaceAll("\\s+", " "))
        .contains("What to change first: nothing beyond the stalled flows. That is no all-clear")
        .contains("held by the deadlock of executor")
        .doesNotContain("no flow has a suggestion")
        .doesNotContain("(no call that reqflow recorded released it)");
  }

  // --- the fixed variants: no stall ---

  @Test
  void fixedVariantsCompleteWithNoStall() throws Exception {
    fixed(System.getProperty("java.home"));
  }

  @Test
  void fixedVariantsOnJdk25() throws Exception {
    fixed(jdk25());
  }

  private static void fixed(String javaHome) throws Exception {
    // Both variants, one after the other, in one process. stall.after=10s, not the stalled
    // pages' 1 s: the first page of a cold JVM under the agent took over 1 s on a loaded machine
    // (JDK 25, load 11), and the watchdog rightly wrote it as a snapshot. Ten seconds still tells
    // a page that ends from one that hangs, and keeps the check that a flow that ended is never
    // left as a snapshot.
    Recorded rec =
        AgentRun.run(
            javaHome,
            "stall.after=10s",
            AgentRun.programClassPath(),
            MAIN,
            "client-executor-fixed+nested-pool-fixed",
            backend.url());
    assertThat(rec.stdout.split("loaded ", -1)).as(rec.stdout).hasSize(3);
    List<Flow> flows = new ArrayList<>(Flows.read(rec.file).flows());
    flows.sort(java.util.Comparator.comparingLong(Flow::startNanos));
    assertThat(flows).as(rec.stderr).hasSize(2);
    for (Flow page : flows) {
      assertThat(page.inProgress()).as(page.toString()).isFalse();
      assertThat(page.calls()).as(page.toString()).hasSize(4);
    }
    // No snapshot: the flows ended (the program waits for its requests' threads before it exits).
    ExitReport exit = ExitReport.in(rec.stderr);
    assertThat(exit.line).doesNotContain("written as snapshots").doesNotContain("open at exit");
    assertThat(report(rec.file)).doesNotContain("Stalled flows");
  }

  // --- helpers ---

  enum Stop {
    SIGTERM,
    SYSTEM_EXIT
  }

  /** A run whose page hung, stopped: what it recorded, read back. */
  static final class Hung {
    final Recorded rec;
    final ExitReport exit;
    final List<Flow> flows;

    Hung(Recorded rec) throws IOException {
      this.rec = rec;
      this.exit = ExitReport.in(rec.stderr);
      this.flows = Flows.read(rec.file).flows();
    }

    /** The one page flow, read as the report reads it. */
    Flow page() {
      assertThat(flows).as(rec.stderr).hasSize(1);
      Flow f = flows.get(0);
      assertThat(f.name()).isEqualTo("GET /page");
      return f;
    }

    void assertReportNamesTheDeadlockFirst(String deadlock) throws IOException {
      String text = report(rec.file);
      String[] lines = text.split("\n");
      // The header, a blank line, then the stalled flows: before anything else.
      assertThat(lines[2]).as(text).startsWith("Stalled flows, first: 1 flow had not ended");
      String stalled =
          text.substring(0, text.indexOf("What to change first")).replaceAll("\\s+", " ");
      assertThat(stalled)
          .as(text)
          .contains("! GET /page")
          .contains("Deadlock: both threads of executor")
          .contains(deadlock);
      assertThat(stalled).contains("Threads then:").contains("StallPages.java:");
      // Nothing reads as an all-clear.
      assertThat(text).doesNotContain("No change suggested for: GET /page");
    }
  }

  /**
   * Runs {@code mode} until its page hung; if {@code awaitStalled}, until the file holds the
   * watchdog's snapshot of it; then stops it and reads what it wrote.
   */
  private static Hung hang(
      String javaHome, String mode, String options, boolean awaitStalled, Stop stop)
      throws Exception {
    AgentProcess p =
        AgentProcess.launch(
            javaHome,
            options,
            List.of("-cp", AgentRun.programClassPath(), MAIN, mode, backend.url()));
    try {
      expect(p, "loading");
      expect(p, "hung");
      if (awaitStalled) {
        awaitStalledSnapshot(p.file());
      }
      if (stop == Stop.SIGTERM) {
        p.process.toHandle().destroy();
      } else {
        p.tell("exit");
      }
      Recorded rec = p.finish(new ArrayList<>());
      assertThat(p.process.exitValue()).as(rec.stderr).isEqualTo(stop == Stop.SIGTERM ? 143 : 0);
      Hung run = new Hung(rec);
      // Everything recorded reached the file: the snapshots are counted like any span.
      assertThat(rec.spans).hasSize((int) run.exit.file().delivered);
      assertThat(run.exit.file().dropped).as(run.exit.line).isZero();
      if (awaitStalled) {
        assertThat(run.exit.line).contains("flows in progress written as snapshots: 1 (1 stalled)");
        // The watchdog's snapshot, then the exit's: one flow span id, two snapshots.
        List<RecordedSpan> versions = rec.flows("GET /page");
        assertThat(versions)
            .extracting(s -> s.attr("reqflow.snapshot.reason"))
            .containsExactly("stalled", "exit");
        assertThat(versions).extracting(s -> s.spanId).containsOnly(versions.get(0).spanId);
      }
      return run;
    } finally {
      p.process.destroyForcibly();
    }
  }

  private static List<ThreadNow> workers(Flow page) {
    List<ThreadNow> out = new ArrayList<>();
    for (ThreadNow t : page.stall().threads()) {
      if (t.executor().isKnown()) {
        out.add(t);
      }
    }
    return out;
  }

  private static void expect(AgentProcess p, String line) throws IOException {
    String got = p.stdout.readLine();
    assertThat(got).as("program's stdout").isEqualTo(line);
  }

  /** Waits until the agent's file holds a stalled snapshot (read by whole lines only). */
  private static void awaitStalledSnapshot(Path file) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        for (String line : text.substring(0, Math.max(0, end)).split("\n")) {
          if (!line.isBlank() && hasStalledSnapshot(line)) {
            return;
          }
        }
      }
      TimeUnit.MILLISECONDS.sleep(100); // polling a file another process appends to
    }
    throw new AssertionError("no stalled snapshot in " + file + " after 60 s");
  }

  @SuppressWarnings("unchecked")
  private static boolean hasStalledSnapshot(String line) {
    Map<String, Object> req = (Map<String, Object>) Json.parse(line);
    for (Object rs : (List<Object>) req.get("resourceSpans")) {
      for (Object ss : (List<Object>) ((Map<String, Object>) rs).get("scopeSpans")) {
        for (Object s : (List<Object>) ((Map<String, Object>) ss).get("spans")) {
          RecordedSpan span = new RecordedSpan((Map<String, Object>) s);
          if ("stalled".equals(span.attr("reqflow.snapshot.reason"))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** What {@code reqflow report FILE} prints. */
  static String report(Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ReportCli.run(
            new String[] {file.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  private static String jdk25() {
    String home = System.getProperty("reqflow.jdk25.home", "");
    assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no JDK 25 at " + home);
    return home;
  }
}
