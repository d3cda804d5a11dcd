package dev.reqflow.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} in its own JVM, as the agent's tests start it: the lines it prints, the stop. */
class ServeProcessTest {
  @Test
  void printsOneParseableLinePerListenerAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    // Destroying a process closes our ends of its pipes, so its stderr goes to a file.
    Path errFile = dir.resolve("serve.err");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process serve =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.reqflow.sample.Main",
                "serve",
                "--port",
                "0",
                "--latency-scale",
                "0.1")
            .redirectError(errFile.toFile())
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
      String backends = out.readLine();
      String pages = out.readLine();

      assertThat(backends).matches("backends: http://127\\.0\\.0\\.1:\\d+/");
      assertThat(pages).matches("pages: http://127\\.0\\.0\\.1:\\d+/");
      HttpResponse<String> home =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(pages.substring("pages: ".length()) + "home?strategy=async"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(home.statusCode()).isEqualTo(200);
      assertThat(home.body()).contains("<section id=\"deals\">");

      serve.destroy();
      assertThat(serve.waitFor(20, TimeUnit.SECONDS)).isTrue();
      String err = Files.readString(errFile);
      assertThat(err).contains("sample app stopped");
    } finally {
      serve.destroyForcibly();
    }
  }
}
