package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.sampling.SlowPages;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code sample=0.1,keep.slow} on 400 pages of which 1% are slow (a 150 ms backend call, the others
 * answered at once): every slow page is exported, most fast ones are not, and the exit line counts
 * the flows left out. The backend runs in the same JVM (the JDK's HTTP server): its requests are
 * flows too ({@code GET /fast/N}, one endpoint {@code GET /fast/{id}}), sampled alike. One forked
 * JVM.
 */
class SamplingIT {
  private static final int PAGES = 400;
  private static final int SLOW_EVERY = 100;

  @Test
  void keepSlowExportsEverySlowPageAndSamplesTheRest() throws Exception {
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            "flows=com.example.sampling.SlowPages#page,sample=0.1,keep.slow,jfr=off",
            AgentRun.programClassPath(),
            SlowPages.class.getName(),
            String.valueOf(PAGES),
            String.valueOf(SLOW_EVERY));
    Set<Integer> slow =
        Arrays.stream(rec.stdout.trim().split(" "))
            .map(Integer::valueOf)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(slow).hasSize(PAGES / SLOW_EVERY);

    List<RecordedSpan> flows = rec.flows("SlowPages.page");
    Set<Integer> slowExported = new TreeSet<>();
    int fastExported = 0;
    for (RecordedSpan flow : flows) {
      List<RecordedSpan> calls = rec.under(flow, "call");
      assertThat(calls).as("a kept flow is exported whole: its call too").hasSize(1);
      String path = calls.get(0).request();
      if (path.startsWith("GET /slow/")) {
        slowExported.add(Integer.valueOf(path.substring("GET /slow/".length())));
      } else {
        fastExported++;
      }
    }
    assertThat(slowExported).as(rec.stderr).isEqualTo(slow);
    // 10% at start, plus the first 20 (no p90 yet) and the fast ones above a p90 of fast pages:
    // far fewer than all 396.
    int fast = PAGES - slow.size();
    assertThat(fastExported).as("fast pages exported").isLessThan(fast / 2);
    // Nothing exported but whole kept flows: no call span of a flow left out.
    assertThat(rec.spans.stream().filter(s -> "call".equals(s.type()))).hasSize(flows.size());

    // The backend's flows: every slow one kept, most fast ones not.
    List<RecordedSpan> backendFlows =
        rec.spans.stream()
            .filter(s -> "flow".equals(s.type()) && !s.name.equals("SlowPages.page"))
            .collect(Collectors.toList());
    assertThat(backendFlows.stream().filter(s -> s.name.startsWith("GET /slow/")))
        .hasSize(slow.size());
    assertThat(backendFlows.stream().filter(s -> s.name.startsWith("GET /fast/")).count())
        .isLessThan(fast / 2);

    // A page and its backend flow are one trace (the call carries traceparent): decided together,
    // exported both or neither.
    Set<String> pageTraces = flows.stream().map(f -> f.traceId).collect(Collectors.toSet());
    Set<String> backendTraces =
        backendFlows.stream().map(f -> f.traceId).collect(Collectors.toSet());
    assertThat(backendTraces).as("traces of backend flows exported").isEqualTo(pageTraces);

    ExitReport exit = ExitReport.in(rec.stderr);
    long exported = flows.size() + backendFlows.size();
    assertThat(exit.flowsExported).as(exit.line).isEqualTo(exported);
    assertThat(exit.flowsEnded).as(exit.line).isEqualTo(2L * PAGES);
    assertThat(exit.flowsExported + exit.flowsNotExported).as(exit.line).isEqualTo(exit.flowsEnded);
    assertThat(exit.flowsExportedBy.values().stream().mapToLong(Long::longValue).sum())
        .as("the reasons add up: " + exit.line)
        .isEqualTo(exported);
    assertThat(exit.flowsExportedBy)
        .as(exit.line)
        .containsKeys(
            "sampled at start",
            "slower than their endpoint's p90",
            "before their endpoint had a p90",
            "failed",
            "with their trace");
    // Each endpoint's first 20 flows have no p90 yet (counted so unless sampled in at start or
    // failed): the page's and GET /fast/{id}'s first 20, GET /slow/{id}'s 4 (it never has 20).
    assertThat(exit.flowsExportedBy.get("before their endpoint had a p90"))
        .as(exit.line)
        .isBetween(1L, 44L);
    assertThat(exit.flowsExportedBy.get("failed")).as(exit.line).isZero();
    // Every flow was recorded to its end: the spans recorded are those exported and those let go
    // with the flows not kept (most of them), said apart so that the first reads as the recording.
    assertThat(exit.toExport).as(exit.line).isEqualTo(rec.spans.size());
    assertThat(exit.heldDropped).as(exit.line).isZero();
    assertThat(exit.recorded).as(exit.line).isEqualTo(exit.toExport + exit.letGo);
    assertThat(exit.letGo)
        .as("spans of the flows not exported, at least each flow's own: " + exit.line)
        .isGreaterThanOrEqualTo(exit.flowsNotExported);

    // Each exported flow says it is one of a sample and why it was kept, as the exit line counts.
    List<RecordedSpan> allFlows = new java.util.ArrayList<>(flows);
    allFlows.addAll(backendFlows);
    Map<Object, Long> because =
        allFlows.stream()
            .peek(
                f ->
                    assertThat(f.attributes.get("reqflow.flow.sampling"))
                        .as(f.name)
                        .isEqualTo("sample=0.1,keep.slow"))
            .collect(
                Collectors.groupingBy(
                    f -> f.attributes.get("reqflow.flow.sampled_because"), Collectors.counting()));
    assertThat(because.get("slower_than_p90"))
        .isEqualTo(exit.flowsExportedBy.get("slower than their endpoint's p90"));
    assertThat(because.get("at_start")).isEqualTo(exit.flowsExportedBy.get("sampled at start"));
    assertThat(because.get("with_trace")).isEqualTo(exit.flowsExportedBy.get("with their trace"));
  }
}
