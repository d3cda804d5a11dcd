package dev.reqflow.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelJsonFileReaderTest {
  @TempDir Path dir;

  private Path write(int flows, String extraLine) throws IOException {
    OtlpJsonLines otlp = new OtlpJsonLines();
    StringWriter w = new StringWriter();
    for (int i = 0; i < flows; i++) {
      Flow f =
          Timeline.parse(
              10,
              "GET /p" + (i % 3),
              "trace-" + i,
              "render |=aaaa=bbbb=|",
              "a      | ssss      | mode=sync",
              "b      |      ssss | mode=sync after-wait=a");
      otlp.write(f, w);
      if (i == flows / 2 && extraLine != null) {
        w.write(extraLine + "\n");
      }
    }
    Path file = dir.resolve("spans.jsonl");
    Files.writeString(file, w.toString());
    return file;
  }

  private static List<String> spans(List<RawSpan> raw) {
    List<String> out = new ArrayList<>();
    for (RawSpan s : raw) {
      out.add(
          s.traceId
              + "/"
              + s.spanId
              + "@"
              + s.line
              + " "
              + s.startNanos
              + " "
              + java.util.Arrays.asList(s.eventNames).subList(0, s.eventCount));
    }
    return out;
  }

  @Test
  void partsReadLikeTheWhole() throws IOException {
    Path file = write(40, null);
    List<RawSpan> whole = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      new OtlpJsonReader(new Interner()).read(in, "f", whole::add);
    }
    List<RawSpan> parts = new ArrayList<>();

    ParallelJsonFileReader.read(file, "f", parts::add, 3, 2000);

    assertThat(whole).hasSize(40 * 5);
    assertThat(spans(parts)).isEqualTo(spans(whole));
  }

  @Test
  void errorsInALaterPartNameTheLineInTheFile() throws IOException {
    Path file = write(40, "{\"resourceSpans\": 7}");

    assertThatThrownBy(() -> ParallelJsonFileReader.read(file, "f", s -> {}, 2, 2000))
        .isInstanceOf(OtlpFormatException.class)
        .hasMessage("f:22: resourceSpans should be an array, found 7");
  }
}
