package dev.reqflow.viewer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void defaults() throws Exception {
    Options o = Options.parse();
    assertThat(o.port()).isEqualTo(4318);
    assertThat(o.bind()).isEqualTo("127.0.0.1");
    assertThat(o.files()).isEmpty();
    assertThat(o.screenshot()).isNull();
  }

  @Test
  void filesAndOptions() throws Exception {
    Options o =
        Options.parse(
            "a.json",
            "--port",
            "0",
            "--bind",
            "0.0.0.0",
            "b.pb",
            "--open-cmd",
            "idea --line {line} {file}");
    assertThat(o.files()).containsExactly(Path.of("a.json"), Path.of("b.pb"));
    assertThat(o.port()).isZero();
    assertThat(o.bind()).isEqualTo("0.0.0.0");
    assertThat(o.openCommand()).isEqualTo("idea --line {line} {file}");
    assertThat(Options.parse("--screenshot", "out.png", "t.json").screenshot())
        .isEqualTo(Path.of("out.png"));
  }

  @Test
  void badArgumentsSayWhy() {
    assertThatThrownBy(() -> Options.parse("--port", "x")).hasMessageContaining("number");
    assertThatThrownBy(() -> Options.parse("--port", "70000")).hasMessageContaining("65535");
    assertThatThrownBy(() -> Options.parse("--port")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> Options.parse("--frobnicate")).hasMessageContaining("unknown option");
    assertThatThrownBy(() -> Options.parse("--screenshot", "x.png")).hasMessageContaining("FILE");
  }

  @Test
  void theScreenshotsSizeAndEndpoint() throws Exception {
    Options o =
        Options.parse("--screenshot", "o.png", "--size", "1024x700", "--endpoint", "pool-2", "t");
    assertThat(o.width()).isEqualTo(1024);
    assertThat(o.height()).isEqualTo(700);
    assertThat(o.select()).isEqualTo("pool-2");
    assertThatThrownBy(() -> Options.parse("--size", "big")).hasMessageContaining("WIDTHxHEIGHT");
    assertThatThrownBy(() -> Options.parse("--size", "100x100")).hasMessageContaining("640x400");
  }
}
