package dev.reqflow.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent in the deployments services run in, with the same servlet page
 * (agent-fixtures/deploy-app's {@code PageServlet}: one async OkHttp call, two sync OkHttp calls as
 * executor tasks, one JDK {@code HttpClient.send}, then waits on the futures):
 *
 * <ul>
 *   <li>a Spring Boot fat jar ({@code java -jar}): Jetty, the servlet API and OkHttp in nested
 *       jars, loaded by Boot's {@code LaunchedClassLoader}, a child of the class loader the agent
 *       is in;
 *   <li>a servlet container: Jetty and the servlet API on the class path, the page and OkHttp only
 *       in an exploded webapp's {@code WEB-INF}, loaded child-first by Jetty's {@code
 *       WebAppClassLoader};
 * </ul>
 *
 * each on Java 17 (the build's JDK; platform threads only, since virtual threads do not exist
 * before 21) and Java 25 (a fixed pool of platform threads, then a virtual thread per task). Every
 * run must find the flow, its four calls with their phases (OkHttp's from the listener the agent
 * defines in OkHttp's own class loader), the request thread's waits linked to the calls, and no
 * instrumentation error.
 */
class DeploymentsIT {
  /**
   * The backend's latency per resource, each later than the one the page issued before it, so that
   * the page usually finds each future still running when it waits on it.
   */
  private static final Map<String, Integer> LATENCY_MS =
      Map.of("stock", 20, "profile", 100, "cart", 250, "offers", 400);

  private static final String BOOT_LOADER =
      "org.springframework.boot.loader.launch.LaunchedClassLoader";
  private static final String WEBAPP_LOADER = "org.eclipse.jetty.ee.webapp.WebAppClassLoader";

  private static HttpServer backend;
  private static ExecutorService backendThreads;
  private static String backendUrl;

  @BeforeAll
  static void startBackend() throws IOException {
    backendThreads = Executors.newCachedThreadPool(DeploymentsIT::daemon);
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    backend.setExecutor(backendThreads);
    backend.createContext("/", DeploymentsIT::serve);
    backend.start();
    backendUrl = "http://127.0.0.1:" + backend.getAddress().getPort() + "/";
  }

  @AfterAll
  static void stopBackend() {
    backend.stop(0);
    backendThreads.shutdownNow();
  }

  @Test
  void springBootFatJarOnJava17() throws Exception {
    Recorded rec = fatJar(System.getProperty("java.home"), "platform");
    assertPages(rec, 17, BOOT_LOADER, "platform");
  }

  @Test
  void springBootFatJarOnJava25WithPlatformAndVirtualThreads() throws Exception {
    Recorded rec = fatJar(jdk25(), "platform", "virtual");
    assertPages(rec, 25, BOOT_LOADER, "platform", "virtual");
  }

  @Test
  void webappInAServletContainerOnJava17() throws Exception {
    Recorded rec = container(System.getProperty("java.home"), "platform");
    assertPages(rec, 17, WEBAPP_LOADER, "platform");
  }

  @Test
  void webappInAServletContainerOnJava25WithPlatformAndVirtualThreads() throws Exception {
    Recorded rec = container(jdk25(), "platform", "virtual");
    assertPages(rec, 25, WEBAPP_LOADER, "platform", "virtual");
  }

  private static Recorded fatJar(String javaHome, String... threads) throws Exception {
    Path jar = deployDir().resolve("deploy-app.jar");
    List<String> launch = new ArrayList<>(List.of("-jar", jar.toString(), backendUrl));
    launch.addAll(List.of(threads));
    return AgentRun.launch(javaHome, "", launch);
  }

  private static Recorded container(String javaHome, String... threads) throws Exception {
    Path dir = deployDir().resolve("container");
    String classPath;
    try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
      classPath =
          Stream.concat(Stream.of(dir.resolve("classes")), jars.sorted())
              .map(Path::toString)
              .collect(Collectors.joining(File.pathSeparator));
    }
    List<String> launch =
        new ArrayList<>(
            List.of(
                "-cp",
                classPath,
                "com.example.deploy.launch.ContainerMain",
                deployDir().resolve("webapp").toString(),
                backendUrl));
    launch.addAll(List.of(threads));
    return AgentRun.launch(javaHome, "", launch);
  }

  /** One page per thread kind, in order; each must have the same recorded shape. */
  private static void assertPages(Recorded rec, int jdk, String appLoader, String... threads) {
    assertThat(rec.stderr)
        .contains("reqflow agent")
        .doesNotContain("SELF-CHECK FAILED")
        .doesNotContain("could not instrument")
        .doesNotContain("instrumentation failed")
        .doesNotContain("instrumentation errors");
    // The deployment is the one claimed: the page and OkHttp came from the app's own loader.
    for (String t : threads) {
      assertThat(rec.stdout)
          .contains(
              "page threads="
                  + t
                  + " 200 profile cart offers stock jdk="
                  + jdk
                  + " servlet-loader="
                  + appLoader
                  + " okhttp-loader="
                  + appLoader);
    }
    List<RecordedSpan> flows = rec.flows("GET /shop/page");
    assertThat(flows).hasSize(threads.length);
    Set<String> futureWaits = new HashSet<>();
    for (int i = 0; i < threads.length; i++) {
      futureWaits.addAll(
          assertPage(rec, flows.get(i), "virtual".equals(threads[i]) ? "virtual" : "page-pool"));
    }
    // Each page waits at once on a call it has just issued: at least that wait is seen.
    assertThat(futureWaits).containsAnyOf("completable.get", "future.get");
  }

  /** Checks one page; returns the kinds of the request thread's waits on futures. */
  private static Set<String> assertPage(Recorded rec, RecordedSpan flow, String executorPool) {
    assertThat(flow.kind).isEqualTo(2); // SERVER
    assertThat(flow.attr("http.response.status_code")).isEqualTo("200");

    Map<String, RecordedSpan> calls = new LinkedHashMap<>();
    for (RecordedSpan c : rec.under(flow, "call")) {
      calls.put(c.request(), c);
    }
    assertThat(calls)
        .as("calls of %s", flow)
        .containsOnlyKeys("GET /profile", "GET /cart", "GET /offers", "GET /stock");
    for (RecordedSpan c : calls.values()) {
      assertThat(c.kind).isEqualTo(3); // CLIENT
      assertThat(c.attr("http.response.status_code")).as(c.toString()).isEqualTo("200");
      assertThat(c.event("response.first_byte")).as(c.toString()).isNotNull();
      assertThat(c.event("response.body_done")).as(c.toString()).isNotNull();
      assertThat(c.event("response.first_byte").time)
          .isLessThanOrEqualTo(c.event("response.body_done").time);
    }
    for (String okhttp : List.of("GET /profile", "GET /cart", "GET /offers")) {
      RecordedSpan c = calls.get(okhttp);
      assertThat(c.attr("reqflow.call.client")).isEqualTo("okhttp");
      // Only the chained event listener reports these.
      assertThat(c.event("connection.acquired")).as(c.toString()).isNotNull();
      assertThat(c.event("request.sent")).as(c.toString()).isNotNull();
    }
    assertThat(calls.get("GET /profile").attr("reqflow.call.mode")).isEqualTo("async");
    assertThat(calls.get("GET /profile").event("dispatched").attributes.get("reqflow.queue.kind"))
        .isEqualTo("dispatcher");
    for (String task : List.of("GET /cart", "GET /offers")) {
      RecordedSpan c = calls.get(task);
      assertThat(c.attr("reqflow.thread.role")).isEqualTo("executor");
      assertThat(c.attr("reqflow.pool.name")).isEqualTo(executorPool);
      assertThat(c.event("dispatched").attributes.get("reqflow.queue.kind")).isEqualTo("executor");
    }
    RecordedSpan stock = calls.get("GET /stock");
    assertThat(stock.attr("reqflow.call.client")).isEqualTo("jdk-httpclient");
    assertThat(stock.attr("reqflow.thread.role")).isEqualTo("render");

    // Every wait of the request thread is linked to the calls that released it. The send always
    // waits; a future waits unless its call was already done when the page asked for it (a slow
    // machine can delay the page that long), and then it ended before the page moved on.
    Set<String> callIds = calls.values().stream().map(c -> c.spanId).collect(Collectors.toSet());
    Set<String> waitedOn = new HashSet<>();
    Set<String> kinds = new HashSet<>();
    for (RecordedSpan b : rec.under(flow, "block")) {
      assertThat(b.linked("waited-on")).as(b.toString()).isNotEmpty();
      assertThat(callIds).containsAll(b.linked("waited-on"));
      if ("render".equals(b.attr("reqflow.thread.role"))) {
        waitedOn.addAll(b.linked("waited-on"));
        kinds.add(b.attr("reqflow.block.kind"));
      }
    }
    assertThat(kinds).contains("httpclient.send");
    assertThat(waitedOn).contains(stock.spanId);
    for (String future : List.of("GET /profile", "GET /cart", "GET /offers")) {
      RecordedSpan c = calls.get(future);
      if (!waitedOn.contains(c.spanId)) {
        assertThat(c.end)
            .as("not waited on, so done before the send: %s", c)
            .isLessThan(stock.start);
      }
    }
    kinds.remove("httpclient.send");
    return kinds;
  }

  private static Path deployDir() {
    Path dir =
        Paths.get(System.getProperty("reqflow.deploy.dir", "../agent-fixtures/deploy-app/target"));
    assertThat(dir.resolve("deploy-app.jar"))
        .as("the deployment fixture is built by the reactor before the agent (mvn -pl agent -am)")
        .isRegularFile();
    return dir;
  }

  private static String jdk25() {
    String home = System.getProperty("reqflow.jdk25.home", "");
    assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no JDK 25 at " + home);
    return home;
  }

  private static void serve(HttpExchange ex) throws IOException {
    String what = ex.getRequestURI().getPath().substring(1);
    try {
      // The backend's own latency, as a slow service has: nothing waits on this sleep.
      Thread.sleep(LATENCY_MS.getOrDefault(what, 10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] body = what.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "deployments-backend");
    t.setDaemon(true);
    return t;
  }
}
