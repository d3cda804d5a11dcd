package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The launcher in its own JVM: the exit codes and output a script sees. */
class MainTest {
  private static Process run(String... args) throws Exception {
    return run(false, args);
  }

  private static Process run(boolean noDisplay, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (noDisplay) {
      pb.environment().remove("DISPLAY");
      pb.environment().remove("WAYLAND_DISPLAY");
    }
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p;
  }

  @Test
  void badArgumentsPrintTheUsageAndExit2() throws Exception {
    Process p = run("--port", "nope");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("--port needs a number").contains("Usage: reqflow view");
  }

  @Test
  void helpExits0() throws Exception {
    Process p = run("--help");
    assertThat(p.exitValue()).isZero();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("--screenshot");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void withoutADisplayItSaysSoInOneLineAndExits2() throws Exception {
    Process p = run(true, "--no-receiver");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out.strip()).isEqualTo(Main.NO_DISPLAY);
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void headlessReceivesWithoutLoadingJavaFx(@TempDir Path dir) throws Exception {
    Path classes = dir.resolve("classes.log");
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xlog:class+load=info:file=" + classes);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of("--headless", "--port", "0"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("DISPLAY");
    Process p = pb.start();
    try (java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      // Its first line says where it listens: it is up, without a display.
      String first = out.readLine();
      assertThat(first).startsWith("reqflow view: headless, OTLP on http://127.0.0.1:");
      // SIGTERM as Ctrl+C or a service manager sends it (Process.destroy would close our end of
      // its output first): the shutdown hook closes the receiver.
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      StringBuilder rest = new StringBuilder();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        rest.append(line).append('\n');
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(rest.toString()).doesNotContain("Exception");
    }
    assertThat(p.exitValue()).isIn(0, 143);
    String loaded = java.nio.file.Files.readString(classes);
    assertThat(loaded).contains("dev.reqflow.viewer.app.HeadlessReceiver");
    assertThat(loaded).doesNotContain(" javafx.").doesNotContain("com.sun.javafx");
  }

  @Test
  void theScreenshotModeStartsWithoutTheClassPathWarning(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("shot.png");
    Process p =
        run(
            true,
            "--screenshot",
            png.toString(),
            "--size",
            "1024x700",
            TestTraces.homePages(dir, 2).toString());
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).doesNotContain("Unsupported JavaFX configuration").doesNotContain("Exception");
    assertThat(out.strip()).isEqualTo("reqflow view: wrote " + png);
    java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(1024);
    assertThat(img.getHeight()).isEqualTo(700);
  }
}
