package dev.reqflow.bench.overhead;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sample app's backends in a JVM of their own, never with an agent, answering at once ({@code
 * --latency-scale 0 --connect-ms 0}): the page server then spends its time on CPU, not waiting, so
 * what an agent adds to each page is not hidden behind sleeping backends.
 */
final class SampleBackends implements AutoCloseable {
  private final Process process;
  private final String url;

  private SampleBackends(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  static SampleBackends start(String java, Jars jars, Cpus cpus, Path log) throws IOException {
    List<String> command =
        cpus.othersCommand(
            List.of(
                java,
                "-jar",
                jars.sampleApp().toString(),
                "backends",
                "--port",
                "0",
                "--latency-scale",
                "0",
                "--connect-ms",
                "0"));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("backends: ")) {
      process.destroyForcibly();
      throw new IOException("the backends did not start (see " + log + "): " + line);
    }
    return new SampleBackends(process, line.substring("backends: ".length()).trim());
  }

  String url() {
    return url;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
