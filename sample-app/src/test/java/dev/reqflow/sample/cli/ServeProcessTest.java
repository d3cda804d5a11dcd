package dev.reqflow.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reqflow.sample.backend.BackendServer;
import dev.reqflow.sample.backend.BackendSettings;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} in its own JVM, as the agent's tests start it: the lines it prints, the stop. */
class ServeProcessTest {
  @Test
  void printsOneParseableLinePerListenerAndStopsOnSigterm(@TempDir Path dir) throws Exception {
    // Destroying a process closes our ends of its pipes, so its stderr goes to a file.
    Path errFile = dir.resolve("serve.err");
    Process serve = startServe(errFile, "--port", "0", "--latency-scale", "0.1");
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

  @Test
  void servesPagesFromBackendsThatRunInAnotherProcess(@TempDir Path dir) throws Exception {
    try (BackendServer backends =
        BackendServer.start(0, BackendSettings.defaults().withScale(0.1).withConnectMs(0))) {
      String backendsUrl = backends.baseUri().toString();
      Process serve =
          startServe(dir.resolve("serve.err"), "--port", "0", "--backends", backendsUrl);
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("backends: " + backendsUrl);
        String pages = out.readLine().substring("pages: ".length());

        HttpResponse<String> home =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(pages + "home?strategy=async-okhttp"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());

        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("<section id=\"deals\">").contains("Ada Lovelace");
      } finally {
        serve.destroyForcibly();
      }
    }
  }

  private static Process startServe(Path errFile, String... options) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.reqflow.sample.Main",
                "serve"));
    command.addAll(List.of(options));
    return new ProcessBuilder(command).redirectError(errFile.toFile()).start();
  }
}
