package dev.reqflow.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** One page load: its status, body, and the time the client waited for it (nanoseconds). */
  record Load(String path, int status, String body, long clientNanos) {}

  private final String javaHome;

  private FixtureRun(String javaHome, Process process, Path trace, Path stderr, String pagesUrl) {
    this.javaHome = javaHome;
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
    return new FixtureRun(javaHome, p, trace, err, pages);
  }

  /**
   * Loads {@code path} (relative to the pages' URL) once, on a connection of its own ({@code
   * Connection: close}): a page that blocks Reactor Netty's event loop can leave a kept-alive
   * connection that never answers its next request (seen here without the agent too), and one
   * load's mistake must not be the next load's time.
   */
  Load load(String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(pagesUrl + path).toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(30_000);
    c.setRequestProperty("Connection", "close");
    long start = System.nanoTime();
    int status;
    String body;
    try {
      status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          path + " timed out; the service's threads:\n" + threadDump() + "\n" + stderr(), e);
    } finally {
      c.disconnect();
    }
    long waited = System.nanoTime() - start;
    return new Load(path, status, body, waited);
  }

  /** Loads each of {@code paths} {@code times} times, round robin; returns every load in order. */
  List<Load> loadAll(List<String> paths, int times) throws IOException {
    List<Load> loads = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      for (String p : paths) {
        try {
          loads.add(load(p));
        } catch (AssertionError e) {
          throw new AssertionError("load " + loads.size() + " of " + trace + ": " + e.getMessage());
        }
      }
    }
    return loads;
  }

  /**
   * Loads {@code path} from {@code concurrency} clients at once (released together), as concurrent
   * users do; returns their loads, each as its client saw it.
   */
  List<Load> loadTogether(String path, int concurrency) throws Exception {
    java.util.concurrent.ExecutorService clients =
        java.util.concurrent.Executors.newFixedThreadPool(concurrency);
    try {
      java.util.concurrent.CyclicBarrier start =
          new java.util.concurrent.CyclicBarrier(concurrency);
      List<java.util.concurrent.Future<Load>> pending = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        pending.add(
            clients.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return load(path);
                }));
      }
      List<Load> loads = new ArrayList<>();
      for (java.util.concurrent.Future<Load> f : pending) {
        loads.add(f.get(60, TimeUnit.SECONDS));
      }
      return loads;
    } finally {
      clients.shutdownNow();
    }
  }

  private String threadDump() throws IOException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(javaHome, "bin", "jcmd").toString(),
                String.valueOf(process.pid()),
                "Thread.print")
            .redirectErrorStream(true)
            .start();
    return new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
