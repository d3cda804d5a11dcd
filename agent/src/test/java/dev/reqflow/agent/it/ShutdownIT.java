package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * However the program ends (its {@code main} returns, {@code System.exit} from another thread while
 * calls are in flight, SIGTERM), every job it finished before the exit began is in the file: its
 * flow and its call. The exit line says what was not written.
 */
class ShutdownIT {
  static final String MAIN = "com.example.faults.Faults";
  static final String OPTIONS = "flows=com.example.faults.Faults#job,block.threshold=60s";
  static final int THREADS = 4;

  static LoopbackBackend backend;

  @BeforeAll
  static void start() throws Exception {
    backend = new LoopbackBackend();
  }

  @AfterAll
  static void stop() throws Exception {
    backend.close();
  }

  @Test
  void normalExit() throws Exception {
    int jobs = 2000;
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            OPTIONS,
            AgentRun.programClassPath(),
            MAIN,
            "jobs",
            backend.url(),
            String.valueOf(THREADS),
            String.valueOf(jobs));
    Set<Long> done = doneIds(List.of(rec.stdout.split("\n")));
    assertThat(done).hasSize(jobs);
    assertInFile(rec, done);
    ExitReport exit = ExitReport.in(rec.stderr);
    // One flow and one call per job; nothing open, nothing lost at a normal exit.
    assertThat(exit.recorded).as(exit.line).isEqualTo(2L * jobs);
    assertThat(exit.file().dropped).as(exit.line).isZero();
    assertThat(exit.recorder).as(exit.line).isEmpty();
  }

  @Test
  void systemExitFromAnotherThreadWhileCallsAreInFlight() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            OPTIONS,
            AgentRun.programClassPath(),
            MAIN,
            "jobs-exit",
            backend.url(),
            String.valueOf(THREADS),
            "1000");
    List<String> out = List.of(rec.stdout.split("\n"));
    int exitLine = out.indexOf("exit");
    assertThat(exitLine).as(rec.stdout).isPositive();
    Set<Long> beforeExit = doneIds(out.subList(0, exitLine));
    assertThat(beforeExit).isNotEmpty();
    assertInFile(rec, beforeExit);
  }

  @Test
  void sigterm() throws Exception {
    AgentProcess p =
        AgentProcess.start(
            OPTIONS,
            AgentRun.programClassPath(),
            MAIN,
            "jobs-forever",
            backend.url(),
            String.valueOf(THREADS));
    List<String> beforeSignal = new ArrayList<>();
    while (beforeSignal.size() < 1000) {
      String line = p.stdout.readLine();
      if (line == null) {
        throw new AssertionError("the program ended early: " + beforeSignal);
      }
      beforeSignal.add(line);
    }
    // SIGTERM, and the JVM runs its shutdown hooks. (Process.destroy would also close stdout.)
    p.process.toHandle().destroy();
    List<String> after = new ArrayList<>();
    Recorded rec = p.finish(after);
    assertThat(p.process.exitValue()).isEqualTo(143);
    assertInFile(rec, doneIds(beforeSignal));
  }

  static Set<Long> doneIds(List<String> lines) {
    return lines.stream()
        .filter(l -> l.startsWith("done "))
        .map(l -> Long.parseLong(l.substring(5).trim()))
        .collect(Collectors.toSet());
  }

  /**
   * Every job in {@code done} has its call span in the file, under its flow, unless the exit line
   * counts a span dropped for it; and the file holds exactly what the exit line says was written.
   */
  static void assertInFile(Recorded rec, Set<Long> done) {
    ExitReport exit = ExitReport.in(rec.stderr);
    assertThat(rec.spans).as(exit.line).hasSize((int) exit.file().delivered);
    assertThat(exit.file().delivered + exit.file().dropped).as(exit.line).isEqualTo(exit.recorded);
    Set<String> flowIds = new HashSet<>();
    for (RecordedSpan s : rec.spans) {
      if ("flow".equals(s.type()) && s.name.equals("Faults.job")) {
        flowIds.add(s.spanId);
      }
    }
    Set<Long> inFile = new HashSet<>();
    for (RecordedSpan s : rec.spans) {
      if ("call".equals(s.type())
          && s.request().startsWith("GET /job/")
          && flowIds.contains(s.parentSpanId)) {
        inFile.add(Long.parseLong(s.request().substring("GET /job/".length())));
      }
    }
    Set<Long> missing = new HashSet<>(done);
    missing.removeAll(inFile);
    // The exit flushed all that had ended before it began: only a full queue, counted, may
    // have kept a job out. (Jobs that ended while the exit ran may be counted as not flushed.)
    assertThat((long) missing.size())
        .as("jobs done before the exit but not in the file: %s; %s", missing, exit.line)
        .isLessThanOrEqualTo(exit.file().reason("queue full"));
  }
}
