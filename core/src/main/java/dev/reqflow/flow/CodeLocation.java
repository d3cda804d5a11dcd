package dev.reqflow.flow;

import java.util.Objects;

/**
 * A line of the application: where a call was made or a thread waited, from the {@code code.*}
 * attributes. Empty strings and line 0 stand for what the trace did not say.
 */
public record CodeLocation(String function, String file, int line) {
  public static final CodeLocation UNKNOWN = new CodeLocation("", "", 0);

  public CodeLocation {
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(file, "file");
  }

  public boolean isKnown() {
    return !function.isEmpty() || !file.isEmpty();
  }

  /**
   * Stack-trace style for people: {@code Page.render(Page.java:42)}, keeping the last class segment
   * of the function only.
   */
  public String label() {
    if (!isKnown()) {
      return "unknown line";
    }
    String fn = function;
    int method = fn.lastIndexOf('.');
    if (method > 0) {
      int cls = fn.lastIndexOf('.', method - 1);
      fn = fn.substring(cls + 1);
    }
    if (file.isEmpty()) {
      return fn;
    }
    String where = line > 0 ? file + ":" + line : file;
    return fn.isEmpty() ? where : fn + "(" + where + ")";
  }
}
