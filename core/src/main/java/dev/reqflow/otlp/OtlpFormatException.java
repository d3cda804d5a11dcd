package dev.reqflow.otlp;

import java.io.IOException;

/** Input that is not OTLP: names the file, the line (0 for binary input) and what is wrong. */
public final class OtlpFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;
  private final String detail;

  public OtlpFormatException(String source, long line, String detail, Throwable cause) {
    super(source + (line > 0 ? ":" + line : "") + ": " + detail, cause);
    this.source = source;
    this.line = line;
    this.detail = detail;
  }

  /** The file (or stream name) that was being read. */
  public String source() {
    return source;
  }

  /** 1-based line of the problem in text input, 0 for binary input. */
  public long line() {
    return line;
  }

  /** What is wrong, without the position. */
  public String detail() {
    return detail;
  }
}
