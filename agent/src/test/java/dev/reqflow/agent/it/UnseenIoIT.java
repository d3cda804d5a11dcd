package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pages whose calls go through clients the agent does not record, against a slow server on
 * 127.0.0.1 (the fixture {@code agent-fixtures/blind-clients}): the trace must say how long each
 * flow waited on what the agent did not see as calls, close to what the program measured itself,
 * and name the libraries loaded. The agent's own time inside a socket read (writing the block span)
 * counts in the program's measure, not in the agent's: hence 10% below and a little above.
 */
class UnseenIoIT {
  private static final String MAIN = "com.example.blind.BlindPage";
  private static final String OPTIONS = "flows=com.example.blind.BlindPage#page";
  private static final Pattern PAGE =
      Pattern.compile("page (\\d+) waited-ms=([0-9.]+)(?: okhttp-ms=([0-9.]+))?");
  private static final long MS = 1_000_000L;
  private static final int PAGES = 3;
  private static final int DELAY_MS = 150;

  private static Recorded run(String javaHome, String mode) throws Exception {
    Path dir =
        Paths.get(
            System.getProperty("reqflow.blind.dir", "../agent-fixtures/blind-clients/target"));
    assumeTrue(Files.isDirectory(dir.resolve("lib")), "fixture not built: " + dir);
    String cp =
        dir.resolve("classes") + File.pathSeparator + dir.resolve("lib") + File.separator + "*";
    return AgentRun.run(
        javaHome, OPTIONS, cp, MAIN, mode, String.valueOf(PAGES), String.valueOf(DELAY_MS));
  }

  /** What each page measured it waited on the calls the agent cannot see, in nanoseconds. */
  private static List<Long> measured(Recorded rec) {
    List<Long> out = new ArrayList<>();
    Matcher m = PAGE.matcher(rec.stdout);
    while (m.find()) {
      out.add(Math.round(Double.parseDouble(m.group(2)) * MS));
    }
    assertThat(out).as(rec.stdout + rec.stderr).hasSize(PAGES);
    return out;
  }

  private static List<RecordedSpan> pages(Recorded rec) {
    List<RecordedSpan> flows = rec.flows("BlindPage.page");
    assertThat(flows).as(rec.stderr).hasSize(PAGES);
    return flows;
  }

  private static long attr(RecordedSpan s, String key) {
    String v = s.attr(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  private static void assertClose(long agentNanos, long measuredNanos, String what) {
    assertThat(agentNanos)
        .as(what + ": agent %d ms, program %d ms", agentNanos / MS, measuredNanos / MS)
        .isBetween(Math.round(0.9 * measuredNanos), measuredNanos + 2 * MS);
  }

  @Test
  void rawSocketReadsOutsideCallsAreSummedOnTheFlowWithBlocksAtTheLine() throws Exception {
    socketPages(System.getProperty("java.home"));
  }

  @Test
  void rawSocketReadsOnJdk25() throws Exception {
    String home = System.getProperty("reqflow.jdk25.home", "");
    assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no JDK 25 at " + home);
    socketPages(home);
  }

  private static void socketPages(String javaHome) throws Exception {
    Recorded rec = run(javaHome, "socket");
    List<Long> waited = measured(rec);
    List<RecordedSpan> flows = pages(rec);
    for (int i = 0; i < PAGES; i++) {
      RecordedSpan flow = flows.get(i);
      assertClose(attr(flow, "reqflow.unseen.socket_ns"), waited.get(i), "page " + i);
      // Three connects and at least three reads (each response, then its end).
      assertThat(attr(flow, "reqflow.unseen.socket_ops")).isGreaterThanOrEqualTo(9);
      assertThat(flow.attributes).doesNotContainKey("reqflow.unseen.wait_ns");
      // Jetty and AsyncHttpClient are on the class path, never loaded: not named.
      assertThat(flow.attributes).doesNotContainKey("reqflow.libraries.unrecorded");
      List<RecordedSpan> reads =
          rec.under(flow, "block").stream()
              .filter(b -> "socket.read".equals(b.attr("reqflow.block.kind")))
              .toList();
      assertThat(reads).hasSizeGreaterThanOrEqualTo(3);
      for (RecordedSpan b : reads) {
        assertThat(b.links).isEmpty();
        assertThat(b.attr("code.function.name")).isEqualTo("com.example.blind.RawSocketClient.get");
        assertThat(b.attr("reqflow.thread.role")).isEqualTo("render");
      }
      assertThat(rec.under(flow, "call")).isEmpty();
    }
    ExitReport exit = ExitReport.in(rec.stderr);
    assertThat(exit.notSeenFlows).isEqualTo(PAGES);
    assertThat(exit.unrecordedLibraries).isEmpty();
  }

  @Test
  void jettyHttpClientWaitsAreUnseenAndJettyIsNamed() throws Exception {
    clientPages("jetty", "Jetty HttpClient", "HttpClient@");
  }

  @Test
  void asyncHttpClientWaitsAreUnseenAndItIsNamed() throws Exception {
    clientPages("ahc", "AsyncHttpClient", "AsyncHttpClient-");
  }

  private static void clientPages(String mode, String library, String ioThread) throws Exception {
    Recorded rec = run(System.getProperty("java.home"), mode);
    List<Long> waited = measured(rec);
    List<RecordedSpan> flows = pages(rec);
    for (int i = 0; i < PAGES; i++) {
      RecordedSpan flow = flows.get(i);
      assertClose(attr(flow, "reqflow.unseen.wait_ns"), waited.get(i), mode + " page " + i);
      assertThat(flow.attributes.get("reqflow.libraries.unrecorded")).isEqualTo(List.of(library));
      List<RecordedSpan> blocks = rec.under(flow, "block");
      assertThat(blocks).hasSize(3);
      for (RecordedSpan b : blocks) {
        assertThat(b.links).isEmpty();
        assertThat(b.attr("reqflow.block.completed_by")).startsWith(ioThread);
        assertThat(b.attr("code.function.name")).isEqualTo("com.example.blind.BlindPage.calls");
      }
      // The client's own I/O runs on its threads, in no flow.
      assertThat(flow.attributes).doesNotContainKey("reqflow.unseen.socket_ns");
    }
    assertThat(rec.stderr).contains("on futures that threads outside every flow completed");
    ExitReport exit = ExitReport.in(rec.stderr);
    assertThat(exit.notSeenFlows).isEqualTo(PAGES);
    assertThat(exit.unrecordedLibraries).isEqualTo(library);
  }

  @Test
  void theIoOfARecordedClientIsNotUnseen() throws Exception {
    Recorded rec = run(System.getProperty("java.home"), "mixed");
    List<Long> waited = measured(rec);
    List<RecordedSpan> flows = pages(rec);
    for (int i = 0; i < PAGES; i++) {
      RecordedSpan flow = flows.get(i);
      assertThat(rec.under(flow, "call")).hasSize(3);
      // Only the raw socket's time: OkHttp's three calls, as long again, are not in it.
      assertClose(attr(flow, "reqflow.unseen.socket_ns"), waited.get(i), "mixed page " + i);
    }
  }
}
