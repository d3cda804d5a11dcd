package dev.reqflow.otlp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads flows from OTLP files: the entry point for the CLI, the viewer and tests. */
public final class Flows {
  private Flows() {}

  /**
   * Reads OTLP JSON, JSON lines or protobuf files (gzipped or not) and assembles their spans into
   * flows, across files.
   *
   * @throws OtlpFormatException when a file is not OTLP, naming the file and line
   * @throws IOException when a file cannot be read
   */
  public static ReadResult read(Path... files) throws IOException {
    return read(List.of(files));
  }

  public static ReadResult read(List<Path> files) throws IOException {
    FlowAssembler assembler = new FlowAssembler();
    for (Path f : files) {
      assembler.addFile(f);
    }
    return assembler.buildOnce();
  }
}
