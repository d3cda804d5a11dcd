package dev.reqflow.cases;

import dev.reqflow.cases.backend.SlowServices;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Records the cases as a user would record a service: the slow services in this JVM, the case
 * server in a JVM of its own started with the real agent jar writing a file, each case's pages
 * loaded one at a time over loopback (a bad page, a fixed one, and so on), then the server stopped
 * with SIGTERM so that the agent flushes at exit.
 *
 * <p>{@link #SERVERS} such recordings run at once, each taking the next case when it is done with
 * one: the pages mostly wait on the services' latency, so two at a time take about half the time.
 * Each has slow services and a service name of its own ({@code reqflow-cases-1}, ...), so that no
 * statistic the analysis keeps per service or per host mixes two of them; a case is recorded whole
 * by one of them. Their files are joined into one recording.
 */
final class CasesRecording {
  /** Flow names carry the variant: {@code GET /case/serial-calls?variant=bad}. */
  static final String AGENT_OPTIONS = "endpoint=none,flow.query=variant";

  /** Case servers recording at once: {@code -Dreqflow.cases.servers=N}, 2 by default. */
  static final int SERVERS = Math.max(1, Integer.getInteger("reqflow.cases.servers", 2));

  /**
   * {@code supplyAsync} without an executor runs on the common pool only when its parallelism is
   * above 1; on a 2-core machine it would start a thread per task instead. Fixed at 2, what a
   * 3-core host has, so that the common-pool case is the same on any machine.
   */
  static final String COMMON_POOL = "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2";

  private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
  private final Path dir;

  CasesRecording(Path dir) {
    this.dir = dir;
  }

  private static Path file(String property) {
    Path p = Path.of(System.getProperty(property, "")).toAbsolutePath().normalize();
    if (!Files.exists(p)) {
      throw new IllegalStateException(property + " names nothing: " + p + " (run mvn package)");
    }
    return p;
  }

  /** A pair of pages loaded while the machine stalled longer than this is loaded again. */
  static final long STALL_MILLIS = 50;

  /** Pairs loaded again at most, per case. */
  static final int MAX_RELOADS = 2;

  /**
   * Per case name, the load indices of the pairs (a bad page and the fixed one after it) loaded
   * while the machine stalled: not to be judged.
   */
  final Map<String, Set<Integer>> stalled = new ConcurrentHashMap<>();

  /** Loads every case's pages; returns the trace file. */
  Path record(Collection<Case> cases) throws Exception {
    Path trace = dir.resolve("cases.otlp.jsonl");
    Files.deleteIfExists(trace);
    String classPath =
        file("reqflow.cases.classes")
            + File.pathSeparator
            + Files.readString(file("reqflow.cases.classpath")).trim();
    // The cases with the most pages first, so that none of them is left to one server at the end.
    List<Case> byLoads = new ArrayList<>(cases);
    byLoads.sort(Comparator.comparingInt(Case::loads).reversed());
    Queue<Case> next = new ConcurrentLinkedQueue<>(byLoads);
    ExecutorService recordings = Executors.newFixedThreadPool(SERVERS);
    List<Future<Path>> parts = new ArrayList<>();
    try {
      for (int i = 1; i <= SERVERS; i++) {
        int n = i;
        parts.add(recordings.submit(() -> record(n, next, classPath)));
      }
      try (OutputStream out = Files.newOutputStream(trace)) {
        for (Future<Path> part : parts) {
          Path file = part.get();
          byte[] lines = Files.readAllBytes(file);
          out.write(lines);
          if (lines.length > 0 && lines[lines.length - 1] != '\n') {
            out.write('\n');
          }
          Files.delete(file);
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      recordings.shutdownNow();
    }
    return trace;
  }

  /**
   * Loads the pages of the cases it takes from {@code next} with case server {@code n}; returns
   * that server's file.
   */
  private Path record(int n, Queue<Case> next, String classPath) throws Exception {
    Path trace = dir.resolve("cases-" + n + ".otlp.jsonl");
    Files.deleteIfExists(trace);
    try (SlowServices services = SlowServices.start()) {
      List<String> command =
          List.of(
              java.toString(),
              COMMON_POOL,
              "-javaagent:"
                  + file("reqflow.agent.jar")
                  + "="
                  + AGENT_OPTIONS
                  + ",service.name=reqflow-cases-"
                  + n
                  + ",file="
                  + trace,
              "-cp",
              classPath,
              CaseServer.class.getName(),
              services.baseUrl());
      Process server =
          new ProcessBuilder(command)
              .redirectError(dir.resolve("case-server-" + n + ".err").toFile())
              .start();
      try {
        String pages = lineAfter(server, "pages: ");
        HttpClient client = HttpClient.newHttpClient();
        try (StallProbe probe = new StallProbe()) {
          for (Case c = next.poll(); c != null; c = next.poll()) {
            Set<Integer> again = stalled.computeIfAbsent(c.name(), k -> new TreeSet<>());
            // Alternating, so that a machine busy with other work slows both variants alike.
            for (int i = 0; i < c.loads() + again.size(); i++) {
              probe.worstMillisAndReset();
              for (String variant : List.of("bad", "fixed")) {
                load(client, pages + "case/" + c.name() + "?variant=" + variant);
              }
              if (probe.worstMillisAndReset() > STALL_MILLIS
                  && c.judged(i)
                  && again.size() < MAX_RELOADS) {
                again.add(i);
              }
            }
          }
        }
      } finally {
        stop(server);
      }
    }
    return trace;
  }

  private static void load(HttpClient client, String url) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError(url + " answered " + r.statusCode() + ":\n" + r.body());
    }
  }

  /** SIGTERM, so that the agent's shutdown hook writes what it holds. */
  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String lineAfter(Process p, String prefix) throws InterruptedException {
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(64);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.offer(line);
                }
              } catch (IOException e) {
                lines.offer("error: " + e);
              }
            },
            "case-server-stdout");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
        seen.add(line);
      } else if (!p.isAlive()) {
        break;
      }
    }
    throw new AssertionError("the case server printed no '" + prefix + "' line: " + seen);
  }
}
