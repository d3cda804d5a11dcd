package dev.reqflow.viewer.app;

import dev.reqflow.viewer.bench.SyntheticTraces;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Trace files for UI tests: real OTLP protobuf bytes shaped like the agent's. */
final class TestTraces {
  private TestTraces() {}

  static Path homePages(Path dir, int pages) throws IOException {
    SyntheticTraces t = new SyntheticTraces(3);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < pages; i++) {
      spans.addAll(t.homePage());
    }
    Path file = dir.resolve("home.pb");
    try (OutputStream out = Files.newOutputStream(file)) {
      SyntheticTraces.request("shop", spans).writeTo(out);
    }
    return file;
  }
}
