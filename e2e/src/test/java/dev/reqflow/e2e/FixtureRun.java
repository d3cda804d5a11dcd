package dev.reqflow.e2e;

import java.io.BufferedReader;
import java.io.IOException;
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
 * A Spring Boot fixture run as a user runs a service: {@code java -javaagent:reqflow-agent.jar=...
 * -jar app.jar}, on a given JDK, its pages loaded over loopback by a real client that measures what
 * it waited, then stopped (SIGTERM) so that the agent flushes its file at exit.
 */
final class FixtureRun implements AutoCloseable {
  private final Process process;
  private final Path trace;
  private final Path stderr;
  private final String pagesUrl;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** One page load: its status, body, and the time the client waited for it (nanoseconds). */
  record Load(String path, int status, String body, long clientNanos) {}

  private FixtureRun(Process process, Path trace, Path stderr, String pagesUrl) {
    this.process = process;
    this.trace = trace;
    this.stderr = stderr;
    this.pagesUrl = pagesUrl;
  }

  static Path jar(String property) {
    Path jar = Path.of(System.getProperty(property, "")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(property + " names no jar: " + jar + " (run mvn package)");
    }
    return jar;
  }

  /** The Java 25 home, or null where it is not installed. */
  static String jdk25() {
    String home = System.getProperty("reqflow.jdk25.home", "");
    return !home.isEmpty() && Files.isExecutable(Path.of(home, "bin", "java")) ? home : null;
  }

  /**
   * Starts {@code jar} on {@code javaHome} with the agent writing into {@code dir}, and waits for
   * its {@code pages: URL} line.
   */
  static FixtureRun start(
      String javaHome, Path jar, Path dir, String agentOptions, String backendUrl)
      throws IOException, InterruptedException {
    Path trace = dir.resolve(jar.getFileName() + ".otlp.jsonl");
    Files.deleteIfExists(trace);
    Path err = dir.resolve(jar.getFileName() + ".err");
    List<String> cmd =
        List.of(
            Path.of(javaHome, "bin", "java").toString(),
            "-javaagent:"
                + jar("reqflow.agent.jar")
                + "=endpoint=none,file="
                + trace
                + (agentOptions.isEmpty() ? "" : "," + agentOptions),
            "-jar",
            jar.toString(),
            "--backend=" + backendUrl,
            "--server.port=0",
            "--server.address=127.0.0.1");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    BlockingQueue<String> url = new ArrayBlockingQueue<>(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  if (line.startsWith("pages: ")) {
                    url.offer(line.substring("pages: ".length()));
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "fixture-stdout");
    reader.setDaemon(true);
    reader.start();
    String pages = url.poll(180, TimeUnit.SECONDS);
    if (pages == null) {
      p.destroyForcibly();
      throw new AssertionError(
          "fixture did not start: " + cmd + "\n" + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new FixtureRun(p, trace, err, pages);
  }

  /** Loads {@code path} (relative to the pages' URL) once. */
  Load load(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(pagesUrl + path)).timeout(Duration.ofSeconds(30)).build();
    long start = System.nanoTime();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    long waited = System.nanoTime() - start;
    return new Load(path, response.statusCode(), response.body(), waited);
  }

  /** Loads each of {@code paths} {@code times} times, round robin; returns every load in order. */
  List<Load> loadAll(List<String> paths, int times) throws IOException, InterruptedException {
    List<Load> loads = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      for (String p : paths) {
        loads.add(load(p));
      }
    }
    return loads;
  }

  /** Stops the service as an operator would (SIGTERM); returns the agent's file. */
  Path stop() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("fixture did not stop");
    }
    return trace;
  }

  /** What the service and the agent printed on stderr (the agent's start and exit lines). */
  String stderr() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
