package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An exception thrown inside the recorder (forced by the {@code test.fail=HOOK} test hook) never
 * reaches the application: every page still answers with the same status and body as without the
 * fault, and the agent reports the error once and counts every one.
 */
class RecorderFailureIT {
  static final String[] PAGES = {"jdk-send", "async", "pool-2", "async-okhttp", "late-issue"};

  /** Calls the pages make: jdk-send 1, async 4, pool-2 6, async-okhttp 4, late-issue 2. */
  static final int CALLS = 17;

  static String expectedOutput;

  @BeforeAll
  static void withoutFault() throws Exception {
    Recorded rec = run("");
    expectedOutput = rec.stdout;
    assertThat(rec.stdout.lines()).hasSize(PAGES.length).allMatch(l -> l.contains(" 200 "));
    assertThat(ExitReport.in(rec.stderr).recorder).isEmpty();
  }

  static Recorded run(String options) throws Exception {
    return AgentRun.run(
        System.getProperty("java.home"),
        options,
        AgentRun.programClassPath(),
        PatternsIT.withMain(PAGES));
  }

  @ParameterizedTest
  @ValueSource(strings = {"callEnter", "blockExit", "futureCompleted", "taskEnter"})
  void theAppGetsTheSameAnswers(String hook) throws Exception {
    Recorded rec = run("test.fail=" + hook);
    assertThat(rec.stdout).isEqualTo(expectedOutput);
    // Reported once while running ...
    assertThat(rec.stderr.split("an instrumentation failed and was skipped", -1))
        .as(rec.stderr)
        .hasSize(2);
    assertThat(rec.stderr).contains("reqflow test.fail=" + hook);
    // ... and counted, each time, in the exit line.
    ExitReport exit = ExitReport.in(rec.stderr);
    assertThat(exit.recorderLoss("agent errors")).as(exit.line).isPositive();
    if (hook.equals("callEnter")) {
      // At least once per call the application made; no call is recorded.
      assertThat(exit.recorderLoss("agent errors")).isGreaterThanOrEqualTo(CALLS);
      assertThat(rec.spans).noneMatch(s -> "call".equals(s.type()));
    }
  }
}
