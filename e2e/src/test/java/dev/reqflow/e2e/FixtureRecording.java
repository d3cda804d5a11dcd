package dev.reqflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.analysis.Analysis;
import dev.reqflow.analysis.FlowReport;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.otlp.Flows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What a fixture's run left: every page load as the client saw it, paired with the flow the agent
 * recorded for it (loads are sequential, so the i-th flow by start time is the i-th load), and the
 * analysis of each flow.
 */
final class FixtureRecording {
  /** One load and its flow. */
  record Page(FixtureRun.Load load, FlowReport report) {
    Flow flow() {
      return report.flow();
    }

    long flowMs() {
      return flow().durationNanos() / 1_000_000;
    }

    long clientMs() {
      return load.clientNanos() / 1_000_000;
    }
  }

  final List<Page> pages = new ArrayList<>();
  final String stderr;

  FixtureRecording(List<FixtureRun.Load> loads, Path trace, String stderr) throws Exception {
    this.stderr = stderr;
    List<FlowReport> reports = new ArrayList<>(Analysis.analyse(Flows.read(trace).flows()).flows());
    reports.sort(Comparator.comparingLong(r -> r.flow().startNanos()));
    assertThat(reports)
        .as("one flow per request (%s)", stderr)
        .extracting(r -> r.flow().name())
        .hasSize(loads.size());
    for (int i = 0; i < loads.size(); i++) {
      pages.add(new Page(loads.get(i), reports.get(i)));
    }
  }

  /** The judged loads of one page: {@code path} without its first {@code warmUps} loads. */
  List<Page> of(String path, int warmUps) {
    List<Page> out = new ArrayList<>();
    for (Page p : pages) {
      if (p.load().path().equals(path)) {
        out.add(p);
      }
    }
    return out.subList(Math.min(warmUps, out.size()), out.size());
  }

  static long medianMs(List<Page> pages, ToLongFunction<Page> ms) {
    long[] v = pages.stream().mapToLong(ms).sorted().toArray();
    return v[v.length / 2];
  }

  /**
   * The flow lasted what the client waited, less what only the client and the server's container
   * see (connecting, sending, the container's filters before the servlet or handler, writing and
   * reading the response): 2 to 7 ms measured here on a loaded 2-core machine. A few loads may be
   * off by more (the machine's pauses, not the agent's: other builds share its two cores), never
   * the median.
   */
  static void flowsLastWhatTheClientWaited(List<Page> pages) {
    List<Long> gaps = new ArrayList<>();
    StringBuilder seen = new StringBuilder();
    int off = 0;
    for (Page p : pages) {
      seen.append(String.format(" %d/%d", p.clientMs(), p.flowMs()));
    }
    System.out.println("client/flow ms of " + pages.get(0).flow().name() + ":" + seen);
    for (Page p : pages) {
      long gap = p.load().clientNanos() - p.flow().durationNanos();
      // A flow may outlast what the client waited by the server's own work after the last byte
      // left: an async request's flow ends when its context completes, after the response was
      // flushed; a few ms, and once 12 ms on a quiet machine (Java 25, one load in five: a pause
      // between the flush and the completion), never a page's worth. The median is held below.
      assertThat(gap / 1_000_000.0)
          .as("%s: client waited %d ms, flow %d ms", p.flow().name(), p.clientMs(), p.flowMs())
          .isGreaterThan(-20.0);
      if (gap > 15_000_000L) {
        off++;
      }
      gaps.add(gap);
    }
    assertThat(off)
        .as("loads off by more than 15 ms:" + seen)
        .isLessThanOrEqualTo(pages.size() / 2);
    gaps.sort(null);
    assertThat(gaps.get(gaps.size() / 2) / 1_000_000.0)
        .as("median gap, ms:" + seen)
        .isLessThan(10.0)
        .isGreaterThan(-2.0);
  }

  /** The paths of a flow's calls, by resource: {@code /user}, {@code /cart}, ... */
  static List<String> callPaths(Flow flow) {
    List<String> out = new ArrayList<>();
    for (Call c : flow.calls()) {
      String path = java.net.URI.create(c.url()).getPath();
      out.add(path);
    }
    return out;
  }
}
