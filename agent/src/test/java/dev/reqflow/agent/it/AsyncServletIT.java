package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Servlet async without a framework, in Jetty 12 ({@code
 * com.example.reactive.AsyncServletProgram}): {@code startAsync} then {@code complete()} from a
 * worker, and {@code startAsync} then {@code dispatch()} to a second pass of the servlet. Each
 * request is one flow, lasting what the client waited, with the worker's call in it and the
 * response's wait linked to that call.
 */
class AsyncServletIT {
  private static final long BACKEND_MS = 80;

  @Test
  void completeAndDispatchAreOneFlowEach() throws Exception {
    try (LoopbackBackend backend = new LoopbackBackend(BACKEND_MS)) {
      Recorded rec =
          AgentRun.run(
              System.getProperty("java.home"),
              "",
              AgentRun.programClassPath(),
              "com.example.reactive.AsyncServletProgram",
              backend.url());
      assertThat(rec.stderr)
          .doesNotContain("could not instrument")
          .doesNotContain("instrumentation failed")
          .doesNotContain("still open at exit");
      for (String page : List.of("complete", "dispatch")) {
        List<RecordedSpan> flows = rec.flows("GET /" + page);
        assertThat(flows).as(page).hasSize(4);
        Matcher m = Pattern.compile(page + " 200 (\\d+) ms").matcher(rec.stdout);
        List<Long> gaps = new ArrayList<>();
        for (RecordedSpan flow : flows) {
          assertThat(m.find()).as(rec.stdout).isTrue();
          long clientMs = Long.parseLong(m.group(1));
          long flowMs = (flow.end - flow.start) / 1_000_000;
          // The flow ends when the async context completes, which may come a few ms after the
          // client had the last byte (the same allowance as e2e's FixtureRecording).
          assertThat(flowMs).as(page).isBetween(BACKEND_MS, clientMs + 5);
          gaps.add(clientMs - flowMs);
          assertThat(flow.attr("http.response.status_code")).isEqualTo("200");
          List<RecordedSpan> calls = rec.under(flow, "call");
          assertThat(calls).extracting(c -> c.request()).containsExactly("GET /slow");
          assertThat(calls.get(0).attr("reqflow.thread.role")).isEqualTo("executor");
          List<RecordedSpan> waits =
              rec.under(flow, "block").stream()
                  .filter(b -> "async.response".equals(b.attr("reqflow.block.kind")))
                  .collect(Collectors.toList());
          assertThat(waits).hasSize(1);
          assertThat(waits.get(0).attr("thread.name")).isEqualTo(flow.attr("thread.name"));
          assertThat(waits.get(0).linked("waited-on")).containsExactly(calls.get(0).spanId);
        }
        // The first load warms up; of the others, the median lasted what the client waited.
        List<Long> judged = new ArrayList<>(gaps.subList(1, gaps.size()));
        judged.sort(null);
        assertThat(judged.get(1)).as(page + ": client minus flow, ms: " + gaps).isLessThan(15);
      }
    }
  }

  /**
   * Under {@code sample=0.5} a request left out at its start stays out: its async dispatch (a
   * second pass of the servlet, on another thread) is not recorded as a flow of its own, which
   * would be a flow of the endpoint lasting a fraction of the request. With 30 rounds, a dispatch
   * recorded alone would show up with a probability of 1 - 0.75^30 (above 99.9%).
   */
  @Test
  void aRequestLeftOutBySamplingIsNotRecordedFromItsDispatch() throws Exception {
    int rounds = 30;
    try (LoopbackBackend backend = new LoopbackBackend(BACKEND_MS)) {
      Recorded rec =
          AgentRun.run(
              System.getProperty("java.home"),
              "sample=0.5",
              AgentRun.programClassPath(),
              "com.example.reactive.AsyncServletProgram",
              backend.url(),
              String.valueOf(rounds));
      assertThat(rec.stderr).doesNotContain("agent errors");
      int recorded = 0;
      for (String page : List.of("complete", "dispatch")) {
        List<RecordedSpan> flows = rec.flows("GET /" + page);
        assertThat(flows.size()).as(page).isLessThan(rounds);
        for (RecordedSpan flow : flows) {
          // Every flow is a whole request: it waited for the worker's call to the backend.
          assertThat((flow.end - flow.start) / 1_000_000)
              .as(page)
              .isGreaterThanOrEqualTo(BACKEND_MS);
          assertThat(rec.under(flow, "call"))
              .extracting(c -> c.request())
              .containsExactly("GET /slow");
        }
        recorded += flows.size();
      }
      assertThat(recorded).as("flows sampled in, of " + 2 * rounds).isPositive();
    }
  }
}
