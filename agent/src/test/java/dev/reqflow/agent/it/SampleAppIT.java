package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample app, started as a user would ({@code java -javaagent:... -jar reqflow-sample-app.jar
 * serve --port 0}), one page per strategy; the file must show every call, wait and link the page
 * made. Skipped when the sample app jar has not been built.
 */
class SampleAppIT {
  static final long MS = 1_000_000L;
  static final String[] STRATEGIES = {
    "serial-new-client",
    "serial-shared-client",
    "pool-2",
    "pool-n",
    "async",
    "async-okhttp",
    "late-issue",
    "dependent",
    "per-host-limit",
    "blocking-callback",
    "blocking-callback&combine=true",
    "slow-outlier",
  };

  static Recorded rec;

  @BeforeAll
  static void run() throws Exception {
    rec = record(System.getProperty("java.home"), STRATEGIES);
  }

  static Path sampleJar() {
    return Paths.get(
        System.getProperty("reqflow.sample.jar", "../sample-app/target/reqflow-sample-app.jar"));
  }

  /** Serves the sample app with the agent on this JDK, loads one page per strategy, stops it. */
  static Recorded record(String javaHome, String... strategies) throws Exception {
    Path jar = sampleJar();
    assumeTrue(isSampleApp(jar), "no sample app jar at " + jar);
    Path dir = AgentRun.workDir();
    String id = ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path file = dir.resolve("sample-" + id + ".jsonl");
    Path err = dir.resolve("sample-" + id + ".err");
    Process p =
        new ProcessBuilder(
                Paths.get(javaHome, "bin", "java").toString(),
                "-javaagent:"
                    + AgentRun.agentJar().toAbsolutePath()
                    + "=file="
                    + file.toAbsolutePath()
                    + ",endpoint=none,flow.query=strategy;combine",
                "-jar",
                jar.toAbsolutePath().toString(),
                "serve",
                "--port",
                "0")
            .redirectError(err.toFile())
            .start();
    try {
      String pages = pagesUrl(p.getInputStream());
      for (String s : strategies) {
        HttpURLConnection c =
            (HttpURLConnection) new URL(pages + "home?strategy=" + s).openConnection();
        c.setReadTimeout(30_000);
        assertThat(c.getResponseCode()).as(s).isEqualTo(200);
        try (InputStream in = c.getInputStream()) {
          in.readAllBytes();
        }
      }
    } finally {
      p.destroy(); // SIGTERM: the agent's shutdown hook flushes the file
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    return new Recorded(file, Files.readString(err, StandardCharsets.UTF_8));
  }

  private static boolean isSampleApp(Path jar) {
    if (!Files.isRegularFile(jar)) {
      return false;
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      return j.getEntry("dev/reqflow/sample/Main.class") != null;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static String pagesUrl(InputStream stdout) throws InterruptedException {
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(100);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.offer(line);
                }
              } catch (java.io.IOException e) {
                lines.offer("error: " + e);
              }
            },
            "sample-stdout");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith("pages: ")) {
        return line.substring("pages: ".length()).trim();
      }
    }
    throw new AssertionError("the sample app printed no pages: line");
  }

  static RecordedSpan page(String strategy) {
    return page(rec, strategy);
  }

  static RecordedSpan page(Recorded rec, String strategy) {
    List<RecordedSpan> flows =
        rec.spans.stream()
            .filter(s -> "flow".equals(s.type()))
            .filter(s -> s.name.equals("GET /home?strategy=" + strategy))
            .collect(Collectors.toList());
    assertThat(flows).as(strategy).hasSize(1);
    return flows.get(0);
  }

  static List<RecordedSpan> calls(String strategy) {
    return rec.under(page(strategy), "call");
  }

  static List<RecordedSpan> renderBlocks(String strategy) {
    return rec.waits(page(strategy)).stream()
        .filter(b -> "render".equals(b.attr("reqflow.thread.role")))
        .collect(Collectors.toList());
  }

  static RecordedSpan named(List<RecordedSpan> calls, String name) {
    return calls.stream().filter(c -> c.request().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void flowQueryNamesEachStrategyWhileOtherQueryValuesStayRedacted() {
    RecordedSpan dependent = page("dependent");
    assertThat(dependent.attr("url.query")).isEqualTo("strategy=dependent");
    assertThat(page("blocking-callback&combine=true").attr("url.query"))
        .isEqualTo("strategy=blocking-callback&combine=true");
    assertThat(named(calls("dependent"), "GET /user").attr("url.full"))
        .endsWith("/user?session=REDACTED");
    assertThat(named(calls("dependent"), "GET /recommendations").attr("url.full"))
        .endsWith("/recommendations?userId=REDACTED");
  }

  @Test
  void everyPageHasItsCallsWithPhasesAndCallSites() {
    assertThat(rec.stderr).doesNotContain("SELF-CHECK FAILED").doesNotContain("failed");
    for (String s : STRATEGIES) {
      RecordedSpan flow = page(s);
      assertThat(flow.kind).isEqualTo(2);
      List<RecordedSpan> calls = calls(s);
      assertThat(calls.size()).as(s).isGreaterThanOrEqualTo(6);
      for (RecordedSpan c : calls) {
        assertThat(c.attr("http.response.status_code")).as(c.toString()).isEqualTo("200");
        assertThat(c.start).isGreaterThanOrEqualTo(flow.start);
        assertThat(c.event("response.body_done")).as(c.toString()).isNotNull();
        assertThat(c.attr("code.function.name")).as(c.toString()).startsWith("dev.reqflow.sample.");
      }
    }
  }

  @Test
  void serialNewClientOpensAConnectionPerCall() {
    List<RecordedSpan> calls = calls("serial-new-client");
    for (RecordedSpan c : calls) {
      assertThat(c.attributes.get("reqflow.connection.reused")).as(c.name).isEqualTo(false);
      assertThat(c.attr("reqflow.call.mode")).isEqualTo("sync");
    }
    for (int i = 1; i < calls.size(); i++) {
      assertThat(calls.get(i).linked("after-wait")).containsExactly(calls.get(i - 1).spanId);
    }
  }

  @Test
  void serialSharedClientReusesItsConnection() {
    List<RecordedSpan> calls = calls("serial-shared-client");
    for (RecordedSpan c : calls.subList(1, calls.size())) {
      assertThat(c.attributes.get("reqflow.connection.reused")).as(c.name).isEqualTo(true);
    }
  }

  @Test
  void poolOfTwoQueuesCallsAndThePageWaitsOnThem() {
    List<RecordedSpan> calls = calls("pool-2");
    assertThat(calls).hasSize(6);
    for (RecordedSpan c : calls) {
      assertThat(c.attr("reqflow.pool.kind")).isEqualTo("executor");
      assertThat(c.attr("reqflow.pool.limit")).isEqualTo("2");
    }
    assertThat(calls.stream().filter(c -> c.event("dispatched").time - c.start > 50 * MS))
        .hasSizeGreaterThanOrEqualTo(3);
    // The JDK client shows whether a pooled connection was taken: two workers, two connections.
    assertThat(calls).allMatch(c -> c.attributes.containsKey("reqflow.connection.reused"));
    assertThat(
            calls.stream()
                .filter(c -> Boolean.TRUE.equals(c.attributes.get("reqflow.connection.reused"))))
        .hasSizeGreaterThanOrEqualTo(2);
    List<String> ids = calls.stream().map(c -> c.spanId).collect(Collectors.toList());
    List<RecordedSpan> blocks = renderBlocks("pool-2");
    assertThat(blocks).isNotEmpty();
    for (RecordedSpan b : blocks) {
      assertThat(b.attr("reqflow.block.kind")).isEqualTo("future.get");
      assertThat(b.linked("waited-on")).isNotEmpty();
      assertThat(ids).containsAll(b.linked("waited-on"));
    }
  }

  @Test
  void poolOfNRunsEveryCallOnItsOwnWorker() {
    // Shape, not time: with enough workers no worker runs two calls; with two, two run all six.
    List<RecordedSpan> calls = calls("pool-n");
    for (RecordedSpan c : calls) {
      assertThat(c.attr("reqflow.pool.limit")).isEqualTo("64");
    }
    assertThat(calls.stream().map(c -> c.attr("thread.name")).distinct()).hasSize(calls.size());
    assertThat(calls("pool-2").stream().map(c -> c.attr("thread.name")).distinct()).hasSize(2);
  }

  @Test
  void asyncIssuesEverythingBeforeTheFirstWait() {
    for (String s : new String[] {"async", "async-okhttp", "slow-outlier"}) {
      long firstWait = renderBlocks(s).get(0).start;
      for (RecordedSpan c : calls(s)) {
        assertThat(c.start).as(s + " " + c.name).isLessThan(firstWait);
        assertThat(c.attr("reqflow.call.mode")).isEqualTo("async");
      }
      for (RecordedSpan b : renderBlocks(s)) {
        assertThat(b.linked("waited-on")).as(s).isNotEmpty();
      }
    }
    assertThat(calls("slow-outlier")).anyMatch(c -> c.request().equals("GET /ads/auction"));
  }

  @Test
  void lateIssueCallsFollowTheWaitOnReviews() {
    List<RecordedSpan> calls = calls("late-issue");
    RecordedSpan reviews = named(calls, "GET /reviews");
    RecordedSpan firstWait = renderBlocks("late-issue").get(0);
    assertThat(firstWait.linked("waited-on")).contains(reviews.spanId);
    List<RecordedSpan> late =
        calls.stream().filter(c -> c.start >= firstWait.end).collect(Collectors.toList());
    assertThat(late).hasSize(4);
    for (RecordedSpan c : late) {
      assertThat(c.linked("after-wait")).as(c.name).contains(reviews.spanId);
    }
  }

  @Test
  void dependentRecommendationsAreACallbackOfTheUser() {
    List<RecordedSpan> calls = calls("dependent");
    RecordedSpan user = named(calls, "GET /user");
    RecordedSpan recs = named(calls, "GET /recommendations");
    assertThat(recs.linked("callback")).containsExactly(user.spanId);
    assertThat(recs.start).isGreaterThanOrEqualTo(user.end - 5 * MS);
    assertThat(recs.attr("reqflow.thread.role")).isEqualTo("client-dispatcher");
    for (RecordedSpan c : calls) {
      if (c != recs) {
        assertThat(c.linked("callback")).isEmpty();
      }
    }
  }

  @Test
  void perHostLimitQueuesTheSecondWave() {
    List<RecordedSpan> calls = calls("per-host-limit");
    assertThat(calls).hasSize(10);
    List<RecordedSpan> queued =
        calls.stream()
            .filter(
                c -> "per-host".equals(c.event("dispatched").attributes.get("reqflow.queue.kind")))
            .collect(Collectors.toList());
    assertThat(queued).hasSizeGreaterThanOrEqualTo(4);
    for (RecordedSpan c : queued) {
      assertThat(c.attr("reqflow.pool.limit_per_host")).isEqualTo("5");
      assertThat(c.event("dispatched").time - c.start).isGreaterThan(50 * MS);
    }
  }

  @Test
  void combinedFuturesDoNotBlockTheDispatcher() {
    String s = "blocking-callback&combine=true";
    List<RecordedSpan> calls = calls(s);
    RecordedSpan recs = named(calls, "GET /recommendations");
    assertThat(rec.waits(page(s)))
        .noneMatch(b -> "client-dispatcher".equals(b.attr("reqflow.thread.role")));
    // No call waits for the recommendations to free a dispatcher slot, as in the blocking version.
    for (RecordedSpan c : calls) {
      assertThat(c.event("dispatched").time).as(c.name).isLessThan(recs.end);
    }
    // thenCombine(section call, recommendations): the page's waits link both.
    assertThat(renderBlocks(s)).anyMatch(b -> b.linked("waited-on").contains(recs.spanId));
    assertThat(renderBlocks(s)).allMatch(b -> b.linked("waited-on").size() >= 1);
  }

  @Test
  void blockingCallbackWaitsOnDispatcherThreads() {
    List<RecordedSpan> calls = calls("blocking-callback");
    RecordedSpan recs = named(calls, "GET /recommendations");
    // The callbacks' waits on futures; not the monitors their code also waited for (inside the
    // JDK their code called: JDK Flight Recorder reports those too).
    List<RecordedSpan> dispatcherWaits =
        rec.waits(page("blocking-callback")).stream()
            .filter(b -> "client-dispatcher".equals(b.attr("reqflow.thread.role")))
            .filter(b -> !"monitor.enter".equals(b.attr("reqflow.block.kind")))
            .filter(b -> !"lock.park".equals(b.attr("reqflow.block.kind")))
            .collect(Collectors.toList());
    assertThat(dispatcherWaits).isNotEmpty();
    for (RecordedSpan b : dispatcherWaits) {
      assertThat(b.linked("waited-on")).contains(recs.spanId);
    }
    RecordedSpan deals = named(calls, "GET /deals");
    assertThat(deals.event("dispatched").time).isGreaterThanOrEqualTo(recs.end - 5 * MS);
    // The render thread's first wait was released by the recommendations its callback awaited.
    assertThat(renderBlocks("blocking-callback").get(0).linked("waited-on")).contains(recs.spanId);
  }
}
