package dev.reqflow.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records the sample app as a user of reqflow would: the backends in a process of their own, the
 * page server in another one started with the real agent jar writing a file, pages loaded over
 * loopback, then the page server stopped so that the agent flushes at exit.
 */
final class SampleAppRecording {
  static final String FLOW_QUERY = "strategy;perHost;combine;timeoutMs";

  /**
   * The user the page is for, in its request, as a session would name it. Without it the page falls
   * back to a constant that equals what the user backend answers, and the agent, which sees that
   * value first in the user backend's response and then in the recommendations' request, rightly
   * takes the recommendations to need the user call (a data dependency).
   */
  static final String USER = "&userId=u-1042";

  private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
  private final Path agentJar = jar("reqflow.agent.jar");
  private final Path sampleJar = jar("reqflow.sample.jar");
  private final Path dir;

  SampleAppRecording(Path dir) {
    this.dir = dir;
  }

  private static Path jar(String property) {
    Path jar = Path.of(System.getProperty(property, "")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(property + " names no jar: " + jar + " (run mvn package)");
    }
    return jar;
  }

  /** Loads each page {@code loads} times in order, one at a time; returns the trace file. */
  Path record(List<String> pages, int loads) throws Exception {
    return record(pages, loads, false).get(0);
  }

  /**
   * As above; with {@code tracedBackends} the backends run with the agent too (service {@code
   * backends}, file {@code backends.otlp.jsonl}): returns the page server's file, then theirs.
   */
  List<Path> record(List<String> pages, int loads, boolean tracedBackends) throws Exception {
    Path trace = dir.resolve("sample.otlp.jsonl");
    Path backendsTrace = dir.resolve("backends.otlp.jsonl");
    // The agent appends to its file: a directory kept from an earlier run starts afresh.
    Files.deleteIfExists(trace);
    Files.deleteIfExists(backendsTrace);
    List<String> backendsArgs = new ArrayList<>();
    if (tracedBackends) {
      backendsArgs.add(
          "-javaagent:" + agentJar + "=endpoint=none,service.name=backends,file=" + backendsTrace);
    }
    backendsArgs.addAll(List.of("-jar", sampleJar.toString(), "backends", "--port", "0"));
    Process backends = start("backends", backendsArgs);
    try {
      String backendsUrl = lineAfter(backends, "backends: ");
      Process app =
          start(
              "serve",
              List.of(
                  "-javaagent:"
                      + agentJar
                      + "=endpoint=none,service.name=sample-app,flow.query="
                      + FLOW_QUERY
                      + ",file="
                      + trace,
                  "-jar",
                  sampleJar.toString(),
                  "serve",
                  "--port",
                  "0",
                  "--backends",
                  backendsUrl));
      try {
        String pagesUrl = lineAfter(app, "pages: ");
        HttpClient client = HttpClient.newHttpClient();
        for (String page : pages) {
          for (int i = 0; i < loads; i++) {
            HttpResponse<String> response =
                client.send(
                    HttpRequest.newBuilder(URI.create(pagesUrl + "home?strategy=" + page + USER))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
              throw new AssertionError(page + " answered " + response.statusCode());
            }
          }
        }
      } finally {
        stop(app);
      }
    } finally {
      stop(backends);
    }
    return tracedBackends ? List.of(trace, backendsTrace) : List.of(trace);
  }

  private Process start(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(args);
    return new ProcessBuilder(command).redirectError(dir.resolve(name + ".err").toFile()).start();
  }

  /** SIGTERM, so that shutdown hooks run: the agent writes what it still holds. */
  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  private static String lineAfter(Process p, String prefix) throws InterruptedException {
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(64);
    InputStream stdout = p.getInputStream();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.offer(line);
                }
              } catch (IOException e) {
                lines.offer("error: " + e);
              }
            },
            "stdout-of-" + p.pid());
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
      if (line == null && !p.isAlive()) {
        break;
      }
    }
    throw new AssertionError("process " + p.pid() + " printed no '" + prefix + "' line");
  }
}
