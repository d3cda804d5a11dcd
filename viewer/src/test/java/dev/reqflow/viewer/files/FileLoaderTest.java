package dev.reqflow.viewer.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reqflow.otlp.OtlpFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files are named for what they are: JSON errors as JSON, with the file and the line. */
class FileLoaderTest {
  @TempDir Path dir;

  private Path file(String name, byte[] bytes) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    return f;
  }

  private Path file(String name, String text) throws Exception {
    return file(name, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void malformedJsonIsAJsonErrorAtItsLine() throws Exception {
    Path f = file("bad.jsonl", "{\"resourceSpans\": []}\n{\"resourceSpans\": [ oops\n");
    assertThatThrownBy(() -> FileLoader.load(List.of(f), p -> {}))
        .isInstanceOf(OtlpFormatException.class)
        .hasMessageStartingWith(f + ":2: not JSON")
        .hasMessageNotContaining("protobuf");
  }

  /** A byte-order mark, or a JSON array, was read as protobuf and reported as a broken message. */
  @Test
  void jsonAfterAByteOrderMarkOrAsAnArrayIsReadAsJson() throws Exception {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] text = "{\"resourceSpans\": []}\n{oops\n".getBytes(StandardCharsets.UTF_8);
    byte[] both = new byte[bom.length + text.length];
    System.arraycopy(bom, 0, both, 0, bom.length);
    System.arraycopy(text, 0, both, bom.length, text.length);
    Path withBom = file("bom.jsonl", both);
    assertThatThrownBy(() -> FileLoader.load(List.of(withBom), p -> {}))
        .hasMessageStartingWith(withBom + ":2: ")
        .hasMessageNotContaining("protobuf");
    Path array = file("array.json", "[{\"resourceSpans\": []}]");
    assertThatThrownBy(() -> FileLoader.load(List.of(array), p -> {}))
        .hasMessageStartingWith(array + ":1: ")
        .hasMessageNotContaining("protobuf");
    Path ok = file("ok.json", "\ufeff{\"resourceSpans\": []}");
    assertThat(FileLoader.load(List.of(ok), p -> {}).read().flows()).isEmpty();
  }

  @Test
  void textThatIsNotJsonIsNamedSo() throws Exception {
    Path f = file("notes.txt", "hello world, this is not a trace");
    assertThatThrownBy(() -> FileLoader.load(List.of(f), p -> {}))
        .isInstanceOf(OtlpFormatException.class)
        .hasMessageStartingWith(f + ":1: not OTLP: text that is not JSON (it starts with \"hello");
  }
}
