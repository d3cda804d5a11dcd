package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The same agent on JDK 25 (virtual threads) and with OkHttp 5 instead of 4. */
class OtherRuntimesIT {

  @Test
  void jdk25WithVirtualThreads() throws Exception {
    String home = System.getProperty("reqflow.jdk25.home", "");
    assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no JDK 25 at " + home);
    Recorded rec =
        AgentRun.run(
            home,
            "",
            AgentRun.programClassPath(),
            PatternsIT.MAIN,
            "virtual",
            "pool-2",
            "dependent",
            "async-okhttp");
    assertThat(rec.stderr).doesNotContain("SELF-CHECK FAILED");

    RecordedSpan virtual = rec.page("virtual");
    List<RecordedSpan> calls = rec.under(virtual, "call");
    assertThat(calls).hasSize(3);
    for (RecordedSpan c : calls) {
      assertThat(c.attr("reqflow.thread.role")).isEqualTo("executor");
      assertThat(c.attr("reqflow.pool.name")).isEqualTo("virtual");
      assertThat(c.event("dispatched")).isNotNull();
    }
    List<String> callIds = calls.stream().map(c -> c.spanId).collect(Collectors.toList());
    List<RecordedSpan> renderBlocks =
        rec.waits(virtual).stream()
            .filter(b -> "render".equals(b.attr("reqflow.thread.role")))
            .collect(Collectors.toList());
    assertThat(renderBlocks).isNotEmpty();
    for (RecordedSpan b : renderBlocks) {
      assertThat(b.linked("waited-on")).isNotEmpty();
      assertThat(callIds).containsAll(b.linked("waited-on"));
    }

    List<RecordedSpan> dependent = rec.under(rec.page("dependent"), "call");
    assertThat(dependent).hasSize(2);
    assertThat(dependent.get(1).linked("callback")).containsExactly(dependent.get(0).spanId);

    assertThat(rec.under(rec.page("pool-2"), "call")).hasSize(6);
    // One wait, on allOf; and any monitor the page thread waited for (JDK Flight Recorder sees
    // the JDK HttpServer's, when the response is written while the server holds it).
    assertThat(
            rec.waits(rec.page("async-okhttp")).stream()
                .filter(b -> !"monitor.enter".equals(b.attr("reqflow.block.kind"))))
        .hasSize(1);
  }

  @Test
  void sampleAppOnJdk25() throws Exception {
    String home = System.getProperty("reqflow.jdk25.home", "");
    assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no JDK 25 at " + home);
    Recorded rec =
        SampleAppIT.record(home, "pool-2", "dependent", "async-okhttp", "per-host-limit");
    assertThat(rec.stderr).doesNotContain("SELF-CHECK FAILED");
    List<RecordedSpan> pool = rec.under(SampleAppIT.page(rec, "pool-2"), "call");
    assertThat(pool).hasSize(6);
    assertThat(pool.stream().filter(c -> c.event("dispatched").time - c.start > 50_000_000L))
        .hasSizeGreaterThanOrEqualTo(3);
    List<RecordedSpan> dependent = rec.under(SampleAppIT.page(rec, "dependent"), "call");
    RecordedSpan user = SampleAppIT.named(dependent, "GET /user");
    assertThat(SampleAppIT.named(dependent, "GET /recommendations").linked("callback"))
        .containsExactly(user.spanId);
    assertThat(rec.waits(SampleAppIT.page(rec, "async-okhttp")))
        .allMatch(b -> !b.linked("waited-on").isEmpty());
    assertThat(
            rec.under(SampleAppIT.page(rec, "per-host-limit"), "call").stream()
                .filter(
                    c ->
                        "per-host"
                            .equals(c.event("dispatched").attributes.get("reqflow.queue.kind"))))
        .hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void okHttp5() throws Exception {
    Path dir = Paths.get(System.getProperty("reqflow.okhttp5.dir", "target/okhttp5"));
    assumeTrue(Files.isDirectory(dir), "no OkHttp 5 jars in " + dir);
    String jars;
    try (Stream<Path> s = Files.list(dir)) {
      jars = s.map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
    String testClasses =
        Stream.of(AgentRun.programClassPath().split(File.pathSeparator))
            .filter(e -> e.endsWith("test-classes"))
            .collect(Collectors.joining(File.pathSeparator));
    Recorded rec =
        AgentRun.run(
            System.getProperty("java.home"),
            "",
            testClasses + File.pathSeparator + jars,
            PatternsIT.MAIN,
            "serial-new-client",
            "serial-shared-client",
            "per-host-limit",
            "async-okhttp");
    assertThat(rec.stderr).doesNotContain("instrumentation failed");
    for (RecordedSpan c : rec.under(rec.page("serial-new-client"), "call")) {
      assertThat(c.attributes.get("reqflow.connection.reused")).isEqualTo(false);
      assertThat(c.event("connect.start")).isNotNull();
      assertThat(c.event("response.body_done")).isNotNull();
    }
    List<RecordedSpan> shared = rec.under(rec.page("serial-shared-client"), "call");
    assertThat(shared.get(2).attributes.get("reqflow.connection.reused")).isEqualTo(true);
    List<RecordedSpan> perHost = rec.under(rec.page("per-host-limit"), "call");
    assertThat(perHost).hasSize(10);
    assertThat(
            perHost.stream()
                .filter(
                    c ->
                        c.event("dispatched") != null
                            && "per-host"
                                .equals(
                                    c.event("dispatched").attributes.get("reqflow.queue.kind"))))
        .hasSizeGreaterThanOrEqualTo(5);
    RecordedSpan block = rec.waits(rec.page("async-okhttp")).get(0);
    assertThat(block.linked("waited-on")).isNotEmpty();
  }
}
