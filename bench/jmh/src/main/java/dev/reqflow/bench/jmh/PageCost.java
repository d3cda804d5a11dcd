package dev.reqflow.bench.jmh;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * What a whole page costs the process with and without the agent, by the process's CPU time and the
 * bytes its threads allocated, not by the wall clock: a page is a method ({@link #page}) that makes
 * six calls with the JDK {@code HttpClient} to a server in the same JVM on 127.0.0.1, one after
 * another. The agent makes each page a flow when told {@code
 * flows=dev.reqflow.bench.jmh.PageCost#page}; run once without the agent and once per agent option,
 * and subtract. Unlike {@link ThreadCpuCost} it counts every thread (the client's selector, the
 * export), and the woven JDK methods' own cost, but no inbound-request server: it isolates the
 * agent from a page server's HTTP stack.
 *
 * <pre>
 * java [-javaagent:agent/target/reqflow-agent.jar=endpoint=none,file=/dev/null,jfr=off,\
 *   flows=dev.reqflow.bench.jmh.PageCost#page[,sample=0.1]] \
 *   -cp bench/jmh/target/reqflow-bench-jmh.jar dev.reqflow.bench.jmh.PageCost LABEL [ROUNDS [PAGES]]
 * </pre>
 *
 * Prints one Markdown row: the label, then the median over rounds (min – max) of CPU µs and
 * allocated KiB per page.
 */
public final class PageCost {
  private static final int CALLS = 6;
  private static final byte[] BODY = "{\"id\":42,\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static HttpClient client;
  private static URI[] uris;
  private static long sink;

  private PageCost() {}

  public static void main(String[] args) throws Exception {
    String label = args.length > 0 ? args[0] : "run";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int pages = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    // Without TCP_NODELAY the JDK server's small responses wait for the client's delayed ACK
    // (40 ms a call on Linux): the pages would measure that, not the agent.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, BODY.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(BODY);
          }
        });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    try {
      client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      uris = new URI[CALLS];
      for (int i = 0; i < CALLS; i++) {
        uris[i] =
            URI.create(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/part/" + i + "?user=7");
      }
      // Warm-up: as many pages again as all rounds, so that the JIT has compiled the path.
      for (int i = 0; i < rounds * pages; i++) {
        page();
      }
      double[] cpu = new double[rounds];
      double[] bytes = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long c0 = OS.getProcessCpuTime();
        long b0 = allocated();
        for (int i = 0; i < pages; i++) {
          page();
        }
        cpu[r] = (OS.getProcessCpuTime() - c0) / 1000.0 / pages;
        bytes[r] = (allocated() - b0) / 1024.0 / pages;
      }
      Arrays.sort(cpu);
      Arrays.sort(bytes);
      System.out.println(
          String.format(
              Locale.ROOT,
              "| %s | %.1f (%.1f – %.1f) | %.1f (%.1f – %.1f) |",
              label,
              cpu[rounds / 2],
              cpu[0],
              cpu[rounds - 1],
              bytes[rounds / 2],
              bytes[0],
              bytes[rounds - 1]));
      System.out.println("sink " + sink);
    } finally {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }

  /** One page: six calls, one after another. The agent's flow when {@code flows=} names it. */
  public static void page() throws IOException, InterruptedException {
    for (URI uri : uris) {
      HttpResponse<byte[]> r =
          client.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      sink += r.body().length;
    }
  }

  /** Bytes allocated so far by the live threads (threads that ended meanwhile are not counted). */
  private static long allocated() {
    long[] ids = THREADS.getAllThreadIds();
    long sum = 0;
    for (long b : THREADS.getThreadAllocatedBytes(ids)) {
      if (b > 0) {
        sum += b;
      }
    }
    return sum;
  }
}
